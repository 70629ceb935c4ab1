# A correct submission: method chains, updates on p.data, gradients zeroed through .data.
import torch


def predict(x, weights, bias):
    return x.matmul(weights).add(bias)


def mse(y_true, y_pred):
    return torch.nn.functional.mse_loss(y_pred, y_true, reduction="mean")


def mae(y_true, y_pred):
    return torch.mean(torch.abs(torch.sub(y_true, y_pred)))


def step(params, learning_rate):
    for p in params:
        p.data.add_(-learning_rate * p.grad.data)


def zero_grads(params):
    for p in params:
        p.grad.data.zero_()


def hinge_features(x, knots):
    out = torch.empty(x.shape[0], len(knots), dtype=x.dtype)
    for j, knot in enumerate(knots):
        out[:, j] = torch.relu(x[:, 0] - knot)
    return out


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 50},
    2: {"learning_rate": 0.2, "num_iter": 300},
    3: {"learning_rate": 0.08, "num_iter": 250},
    4: {"learning_rate": 0.3, "num_iter": 400},
}
