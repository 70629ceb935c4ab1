# attack: cross-call
# expect: 0
# on: reference
# Without autograd, predict and mse write their result into a buffer kept per shape, so every
# result handed out earlier changes with the next call (validation losses all read the
# last). Each result used to be read as soon as its call returned. Caught by the series'
# check that results stay as they were (kata.worker.probes, `later`).
import torch

_BUFFERS = {}


def _buffer(name, shape, dtype):
    key = (name, tuple(shape), dtype, torch.is_inference_mode_enabled())
    if key not in _BUFFERS:
        _BUFFERS[key] = torch.empty(shape, dtype=dtype)
    return _BUFFERS[key]


def predict(x, weights, bias):
    if torch.is_grad_enabled():
        return x @ weights + bias
    out = _buffer("predict", (x.shape[0], 1), x.dtype)
    torch.matmul(x, weights, out=out)
    out += bias
    return out


def mse(y_true, y_pred):
    residuals = y_true - y_pred
    if torch.is_grad_enabled():
        return (residuals**2).mean()
    out = _buffer("mse", (), residuals.dtype)
    out.copy_((residuals**2).mean())
    return out
