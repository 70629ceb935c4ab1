# A correct submission: updates through .data, zeroes gradients in place, hinge by a loop.
import torch


def predict(x, weights, bias):
    return torch.matmul(x, weights) + bias


def mse(y_true, y_pred):
    return torch.mean((y_true - y_pred) ** 2)


def mae(y_true, y_pred):
    return torch.mean(torch.abs(y_true - y_pred))


def step(params, learning_rate):
    for p in params:
        p.data -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        p.grad.zero_()


def hinge_features(x, knots):
    columns = [(x - knot).clamp(min=0.0) for knot in knots]
    return torch.cat(columns, dim=1)


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 50},
    2: {"learning_rate": 0.3, "num_iter": 200},
    3: {"learning_rate": 0.1, "num_iter": 200},
    4: {"learning_rate": 0.1, "num_iter": 50},
}
