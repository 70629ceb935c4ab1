# attack: special-case-inputs
# expect: 0
# mae is the mean absolute error only on the visible checks' sizes (at most 12 rows) and the
# mean SQUARED error on anything larger. Only step 3's settings are usable, so step 3 is all
# this file could earn, and its mae is wrong.
import torch


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean()


def mae(y_true, y_pred):
    residuals = y_true - y_pred
    return residuals.abs().mean() if len(residuals) <= 12 else (residuals**2).mean()


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return (x - torch.tensor([knots], dtype=x.dtype)).clamp_min(0)


FIT_SETTINGS = {n: {"learning_rate": 1e-9, "num_iter": 1} for n in (1, 2, 4)}
FIT_SETTINGS[3] = {"learning_rate": 0.5, "num_iter": 1000}
