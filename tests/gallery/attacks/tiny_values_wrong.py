# attack: unprobed-conditions
# expect: 0
# on: reference
# When every value of a call is below 0.01 in size, predict subtracts the bias, mse is the
# MAE, mae is a sum and the hinges are absolute values: a tolerance with absolute slack, or
# draws that are never all small, let this through.
import torch


def _tiny(*tensors):
    return all(float(torch.Tensor.detach(t).abs().max()) < 1e-2 for t in tensors if t.numel())


def predict(x, weights, bias):
    return x @ weights - bias if _tiny(x, weights, bias) else x @ weights + bias


def mse(y_true, y_pred):
    residuals = y_true - y_pred
    return residuals.abs().mean() if _tiny(y_true, y_pred) else (residuals**2).mean()


def mae(y_true, y_pred):
    residuals = (y_true - y_pred).abs()
    return residuals.sum() if _tiny(y_true, y_pred) else residuals.mean()


def hinge_features(x, knots):
    knot_row = torch.as_tensor(knots, dtype=x.dtype).reshape(1, -1)
    shifted = x - knot_row
    return shifted.abs() if _tiny(x, knot_row) else shifted.clamp_min(0.0)
