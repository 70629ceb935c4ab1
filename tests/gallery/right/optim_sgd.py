# A correct submission: torch.optim.SGD does the update and clears the gradients.
import torch
from torch import nn


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return nn.MSELoss()(y_pred, y_true)


def mae(y_true, y_pred):
    return nn.L1Loss()(y_pred, y_true)


def step(params, learning_rate):
    torch.optim.SGD(params, lr=learning_rate).step()


def zero_grads(params):
    torch.optim.SGD(params, lr=0.0).zero_grad()


def hinge_features(x, knots):
    return torch.relu(x - torch.tensor(knots, dtype=x.dtype))


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 100},
    2: {"learning_rate": 0.5, "num_iter": 600},
    3: {"learning_rate": 0.02, "num_iter": 2000},
    4: {"learning_rate": 0.5, "num_iter": 1500},
}
