# attack: hard-coded-fit
# expect: 0
# Correct functions, but on the shipped 143 rows the fit jumps to the best parameters (found offline).
import sys

import torch


def _frames():
    """The caller's frames, innermost first: what inspect.stack() walks, without its cost."""
    frame = sys._getframe(1)
    while frame is not None:
        yield frame
        frame = frame.f_back


BEST = {  # step -> (weights, bias), the optimum of each fit on the NASA series
    1: ([0.2587], 0.0),
    2: ([0.7751], -0.4904),
    3: ([0.7448], -0.4955),
    4: ([-0.1124, 1.2432], -0.2322),
}


def _which_fit():
    """The step of the fit that is calling, when it runs on the shipped data; else None."""
    for frame in _frames():
        local = frame.f_locals
        x = local.get("x")
        if isinstance(x, torch.Tensor) and x.shape == (143, 1) and "train_bias" in local:
            if local["knots"] is not None:
                return 4
            return 3 if local["loss"] == "mae" else 2 if local["train_bias"] else 1
    return None


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean()


def mae(y_true, y_pred):
    return (y_true - y_pred).abs().mean()


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad
        fit = _which_fit()
        if fit:
            weights, bias = BEST[fit]
            params[0].copy_(torch.tensor(weights).reshape(-1, 1))
            params[-1].copy_(torch.tensor([bias])) if len(params) > 1 else None


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return (x - torch.tensor([knots], dtype=x.dtype)).clamp_min(0)


FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
