# attack: cross-call
# expect: 0
# on: reference
# Every function multiplies its inputs by 1 in place: the values stay, but torch counts the
# change, and backward() then refuses an input computed by relu, exp or sigmoid ("modified
# by an inplace operation"). Arguments used to be compared by value only. Caught by their
# version, which every check of "leaves its arguments as they were" now compares too.
import torch


def _touch(*tensors):
    with torch.no_grad():
        for t in tensors:
            t.mul_(1)


def predict(x, weights, bias):
    _touch(x, weights, bias)
    return x @ weights + bias


def mse(y_true, y_pred):
    _touch(y_true, y_pred)
    return ((y_true - y_pred) ** 2).mean()
