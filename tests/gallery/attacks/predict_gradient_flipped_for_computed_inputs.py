# attack: unprobed-gradients
# expect: 0
# on: reference
# predict gives the right values, but sends the gradient with the wrong sign to an input that
# is computed (a view of a parameter) or to an x that requires grad: the gradient checks used
# to pass plain leaves only. Caught by test_predict_gradients_reach_every_input (step 1).
import torch


def _flipped(t):
    """The same values; the gradient that reaches t is negated when t is computed."""
    if isinstance(t, torch.Tensor) and t.requires_grad and not t.is_leaf:
        d = t.detach()
        return d - (t - d)
    return t


def predict(x, weights, bias):
    return _flipped(x) @ _flipped(weights) + _flipped(bias)
