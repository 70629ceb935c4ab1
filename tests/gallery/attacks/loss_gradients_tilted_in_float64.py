# attack: numerics
# expect: 0
# on: reference
# For float64 inputs, mse and mae give the right value and gradients 1.00005 times too large:
# inside float32's tolerance, which the gradient checks used whatever the dtype. Caught by
# their float64 tolerance.
import torch


def _tilted(loss):
    if loss.dtype == torch.float64 and loss.requires_grad:
        return loss + 5e-5 * (loss - loss.detach())
    return loss


def mse(y_true, y_pred):
    return _tilted(((y_true - y_pred) ** 2).mean())


def mae(y_true, y_pred):
    return _tilted((y_true - y_pred).abs().mean())
