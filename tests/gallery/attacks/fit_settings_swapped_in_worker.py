# attack: hard-coded-fit
# expect: 0
# Correct functions, FIT_SETTINGS untuned (1 iteration) as the grader reads them; the
# worker's fit probe is patched to run with tuned settings instead.
import torch

import kata.worker.probes as probes


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


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return (x - torch.tensor([knots], dtype=x.dtype)).clamp_min(0)


_fit = probes.Probes.fit


def _tuned_fit(self, x, y, loss, knots, train_bias, learning_rate, num_iter):
    if num_iter == 1:  # one of our own (untuned) fits
        learning_rate, num_iter = (0.05, 500) if loss == "mae" else (0.5, 1000) if train_bias else (0.1, 50)
    return _fit(self, x, y, loss, knots, train_bias, learning_rate, num_iter)


probes.Probes.fit = _tuned_fit
FIT_SETTINGS = {n: {"learning_rate": 1e-9, "num_iter": 1} for n in (1, 2, 3, 4)}
