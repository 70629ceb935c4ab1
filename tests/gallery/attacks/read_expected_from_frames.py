# attack: read-expected
# expect: 0
# Looks through the caller's frames and the heap for expected values.


import gc
import sys

import torch


def _frames():
    """The caller's frames, innermost first: what inspect.stack() walks, without its cost."""
    frame = sys._getframe(1)
    while frame is not None:
        yield frame
        frame = frame.f_back


def predict(x, weights, bias):
    for frame in _frames():
        for name, value in frame.f_locals.items():
            if name in ("expected", "expected_w") and isinstance(value, torch.Tensor):
                return value
    for obj in gc.get_objects():
        if type(obj).__name__ == "Problem":
            return obj.x @ obj.weights + obj.bias
    return torch.zeros(x.shape[0], 1)
