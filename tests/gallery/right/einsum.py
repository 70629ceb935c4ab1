# A correct submission: einsum, add_ with alpha, sums divided by the count, where-based hinges.
import torch


def predict(x, weights, bias):
    return torch.einsum("nk,ko->no", x, weights) + bias


def mse(y_true, y_pred):
    residuals = y_true - y_pred
    return residuals.pow(2).sum() / residuals.numel()


def mae(y_true, y_pred):
    residuals = y_true - y_pred
    return residuals.abs().sum() / len(residuals)


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p.add_(p.grad, alpha=-learning_rate)


def zero_grads(params):
    for p in params:
        if p.grad is not None:
            p.grad.zero_()


def hinge_features(x, knots):
    shifted = x - torch.as_tensor(knots, dtype=x.dtype)
    return torch.where(shifted > 0, shifted, torch.zeros_like(shifted))


FIT_SETTINGS = {
    1: {"learning_rate": 0.2, "num_iter": 40},
    2: {"learning_rate": 0.5, "num_iter": 150},
    3: {"learning_rate": 0.02, "num_iter": 1500},
    4: {"learning_rate": 0.4, "num_iter": 300},
}
