# attack: rewrite-losses
# expect: 0
# A correct loop's bookkeeping rewritten: the last recorded loss set inside the band.
import sys

import torch


def _frames():
    """The caller's frames, innermost first: what inspect.stack() walks, without its cost."""
    frame = sys._getframe(1)
    while frame is not None:
        yield frame
        frame = frame.f_back


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean()


mae = mse


def step(params, learning_rate):
    pass  # never moves: the loss stays where it started


def zero_grads(params):
    for frame in _frames():
        losses = frame.f_locals.get("losses")
        if isinstance(losses, list) and losses:
            losses[-1] = 0.1 if len(params) == 1 else 0.032


def hinge_features(x, knots):
    return (x - torch.tensor([knots])).clamp_min(0)
