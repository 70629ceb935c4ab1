# attack: leak-hidden
# expect: 0
# Correct functions, untuned settings. In a fit whose settings were not its own (the hidden
# checks choose theirs) step() raises with the fit's settings, knots and data, so the hidden
# checks' inputs appear in the failure messages of the reports and of --step output.
import sys

import torch


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
    frame = sys._getframe(1)
    while frame and frame.f_code.co_name != "fit":
        frame = frame.f_back
    if frame and frame.f_locals.get("num_iter") != 1:
        v = frame.f_locals
        raise RuntimeError(
            f"lr={v['learning_rate']!r} num_iter={v['num_iter']} loss={v['loss']} knots={v['knots']} "
            f"x{tuple(v['x'].shape)}={v['x'].flatten()[:12].tolist()} y={v['y'].flatten()[:12].tolist()}"
        )
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad


FIT_SETTINGS = {n: {"learning_rate": 1e-9, "num_iter": 1} for n in (1, 2, 3, 4)}
