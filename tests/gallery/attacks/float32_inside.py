# attack: precision
# expect: 0
# on: reference
# Every function computes in float32 whatever it is given; predict and the losses cast the
# result back to the inputs' dtype, so only float64's lost digits tell.
import torch


def predict(x, weights, bias):
    return (x.float() @ weights.float() + bias.float()).to(x.dtype)


def mse(y_true, y_pred):
    return ((y_true.float() - y_pred.float()) ** 2).mean().to(y_true.dtype)


def mae(y_true, y_pred):
    return (y_true.float() - y_pred.float()).abs().mean().to(y_true.dtype)


def hinge_features(x, knots):
    return (x.float() - torch.tensor([list(knots)], dtype=torch.float32)).clamp_min(0.0)
