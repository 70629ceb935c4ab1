# attack: forge-probes
# expect: 0
# All six functions are the stubs; the worker's probe harness is patched to call private
# implementations instead, so the grade describes code that the named functions do not hold.
import torch

import kata.worker.probes as probes


def predict(x, weights, bias):
    raise NotImplementedError("predict is not written yet (step 1)")


def mse(y_true, y_pred):
    raise NotImplementedError("mse is not written yet (step 1)")


def mae(y_true, y_pred):
    raise NotImplementedError("mae is not written yet (step 3)")


def step(params, learning_rate):
    raise NotImplementedError("step is not written yet (step 1)")


def zero_grads(params):
    raise NotImplementedError("zero_grads is not written yet (step 1)")


def hinge_features(x, knots):
    raise NotImplementedError("hinge_features is not written yet (step 4)")


def _step(params, lr):
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad


_HIDDEN = {
    "predict": lambda x, w, b: x @ w + b,
    "mse": lambda t, p: ((t - p) ** 2).mean(),
    "mae": lambda t, p: (t - p).abs().mean(),
    "step": _step,
    "zero_grads": lambda ps: [setattr(p, "grad", None) for p in ps] and None,
    "hinge_features": lambda x, k: (x - torch.tensor([k], dtype=x.dtype)).clamp_min(0),
}
probes.Probes.call = lambda self, name, *args: _HIDDEN[name](*args)
FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 50},
    2: {"learning_rate": 0.5, "num_iter": 500},
    3: {"learning_rate": 0.05, "num_iter": 500},
    4: {"learning_rate": 0.5, "num_iter": 1000},
}
