# A correct submission: nn loss modules, a no_grad decorator, broadcasting instead of a matmul.
import torch

_squared = torch.nn.MSELoss()
_absolute = torch.nn.L1Loss()


def predict(x, weights, bias):
    return (x * weights.T).sum(dim=1, keepdim=True) + bias


def mse(y_true, y_pred):
    return _squared(y_pred, y_true)


def mae(y_true, y_pred):
    return _absolute(y_pred, y_true)


@torch.no_grad()
def step(params, learning_rate):
    for p in params:
        p -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        p.grad.data.zero_()


def hinge_features(x, knots):
    return torch.clamp(x - torch.tensor([list(knots)], dtype=x.dtype), min=0)


FIT_SETTINGS = {
    1: {"learning_rate": 0.05, "num_iter": 120},
    2: {"learning_rate": 0.4, "num_iter": 300},
    3: {"learning_rate": 0.01, "num_iter": 3000},
    4: {"learning_rate": 0.2, "num_iter": 300},
}
