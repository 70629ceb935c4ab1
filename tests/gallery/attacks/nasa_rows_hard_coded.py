# attack: hard-coded-fit
# expect: 0
# Correct functions, untuned settings; when the fit runs on the shipped 143 rows (recognised by
# their first values) step() writes the NASA optimum found offline. Held-out series differ.
import sys

import torch

BEST = {(1, False): [0.2589], (1, True): [0.7751, -0.4904], (2, True): [-0.1158, 1.2478, -0.2312]}


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean()


def mae(y_true, y_pred):
    return (y_true - y_pred).abs().mean()


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return (x - torch.tensor([knots], dtype=x.dtype)).clamp_min(0)


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad
        frame = sys._getframe(1)
        while frame and frame.f_code.co_name != "fit":
            frame = frame.f_back
        y = frame.f_locals.get("y") if frame else None
        if (
            y is not None
            and y.shape == (143, 1)
            and abs(float(y[0, 0]) + 0.16) + abs(float(y[1, 0]) + 0.08) < 1e-4
        ):
            best = BEST[(params[0].shape[0], len(params) == 2)]
            params[0].copy_(torch.tensor(best[: params[0].shape[0]]).reshape(-1, 1))
            if len(params) == 2:
                params[1].fill_(best[-1])


FIT_SETTINGS = {n: {"learning_rate": 1e-9, "num_iter": 1} for n in (1, 2, 3, 4)}
