# attack: unprobed-conditions
# expect: 0
# on: reference
# mse and mae are right while autograd records, and half the loss under torch.no_grad() or
# inference_mode() (where a notebook evaluates a model), or when y_true requires grad.
import torch


def mse(y_true, y_pred):
    value = ((y_true - y_pred) ** 2).mean()
    return value if torch.is_grad_enabled() and not y_true.requires_grad else value / 2


def mae(y_true, y_pred):
    value = (y_true - y_pred).abs().mean()
    return value if torch.is_grad_enabled() and not y_true.requires_grad else value / 2
