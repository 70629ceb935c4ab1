# attack: unprobed-conditions
# expect: 0
# on: reference
# Every function is wrong when an input lies in memory another way than the checks used to
# build it: at an offset (a slice such as y[1:]), with a zero stride (expand), or column by
# column (a transpose).
import torch


def _odd(t):
    if not isinstance(t, torch.Tensor):
        return False
    if t.storage_offset() != 0 or 0 in t.stride():
        return True
    return t.dim() == 2 and t.shape[0] > 1 and t.shape[1] > 1 and t.stride(0) < t.stride(1)


def predict(x, weights, bias):
    return x @ weights if _odd(x) or _odd(weights) else x @ weights + bias


def mse(y_true, y_pred):
    residuals = y_true - y_pred
    return (residuals**2).sum() if _odd(y_true) or _odd(y_pred) else (residuals**2).mean()


def mae(y_true, y_pred):
    residuals = (y_true - y_pred).abs()
    return residuals.sum() if _odd(y_true) or _odd(y_pred) else residuals.mean()


def hinge_features(x, knots):
    shifted = x - torch.as_tensor(knots, dtype=x.dtype).reshape(1, -1)
    return shifted.abs() if _odd(x) else shifted.clamp_min(0.0)
