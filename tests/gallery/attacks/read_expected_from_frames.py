# attack: read-expected
# expect: 0
# Looks through the caller's frames and the heap for expected values.


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
