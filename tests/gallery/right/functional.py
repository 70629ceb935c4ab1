# A correct submission: torch.nn.functional losses, no_grad with sub_, grad = None, relu hinges.
import torch
import torch.nn.functional as F


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return F.mse_loss(y_pred, y_true)


def mae(y_true, y_pred):
    return F.l1_loss(y_pred, y_true)


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p.sub_(learning_rate * p.grad)


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return F.relu(x - torch.tensor(knots, dtype=x.dtype))


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 60},
    2: {"learning_rate": 0.5, "num_iter": 400},
    3: {"learning_rate": 0.05, "num_iter": 400},
    4: {"learning_rate": 0.3, "num_iter": 500},
}
