# attack: read-expected
# expect: 0
# Looks through the caller's frames and the heap for expected values.
def predict(x, weights, bias):
    raise NotImplementedError


def mse(y_true, y_pred):
    raise NotImplementedError


def mae(y_true, y_pred):
    raise NotImplementedError


def step(params, learning_rate):
    raise NotImplementedError


def zero_grads(params):
    raise NotImplementedError


def hinge_features(x, knots):
    raise NotImplementedError


FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}


import gc
import inspect

import torch


def predict(x, weights, bias):
    for frame in inspect.stack():
        for name, value in frame.frame.f_locals.items():
            if name in ("expected", "expected_w") and isinstance(value, torch.Tensor):
                return value
    for obj in gc.get_objects():
        if type(obj).__name__ == "Problem":
            return obj.x @ obj.weights + obj.bias
    return torch.zeros(x.shape[0], 1)
