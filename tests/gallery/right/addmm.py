# A correct submission: addmm, copy_ under no_grad, gradients replaced by zeros, maximum per knot.
import torch


def predict(x, weights, bias):
    return torch.addmm(bias, x, weights)


def mse(y_true, y_pred):
    return torch.square(y_pred - y_true).mean()


def mae(y_true, y_pred):
    return (y_pred - y_true).abs().mean()


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p.copy_(p - learning_rate * p.grad)


def zero_grads(params):
    for p in params:
        p.grad = torch.zeros_like(p)


def hinge_features(x, knots):
    zero = torch.zeros_like(x)
    return torch.hstack([torch.maximum(x - knot, zero) for knot in knots])


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 100},
    2: {"learning_rate": 0.6, "num_iter": 200},
    3: {"learning_rate": 0.1, "num_iter": 300},
    4: {"learning_rate": 0.5, "num_iter": 500},
}
