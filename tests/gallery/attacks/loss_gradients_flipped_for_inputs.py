# attack: unprobed-gradients
# expect: 0
# on: reference
# mse and mae send the gradient with the wrong sign to y_true, and to a y_pred that is a leaf
# (predictions optimised directly); hinge_features to x. Nothing used to check a gradient
# with respect to those. Caught by the "gradients reach every input" checks of mse (step 1,
# and no later step earns without it), mae and hinge_features.
import torch


def _flipped(t):
    d = t.detach()
    return d - (t - d)


def _inputs(y_true, y_pred):
    y_true = _flipped(y_true) if y_true.requires_grad else y_true
    y_pred = _flipped(y_pred) if y_pred.requires_grad and y_pred.is_leaf else y_pred
    return y_true, y_pred


def mse(y_true, y_pred):
    y_true, y_pred = _inputs(y_true, y_pred)
    return ((y_true - y_pred) ** 2).mean()


def mae(y_true, y_pred):
    y_true, y_pred = _inputs(y_true, y_pred)
    return (y_true - y_pred).abs().mean()


def hinge_features(x, knots):
    x = _flipped(x) if x.requires_grad else x
    return (x - torch.tensor([knots], dtype=x.dtype)).clamp_min(0)
