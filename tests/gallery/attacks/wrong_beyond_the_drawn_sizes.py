# attack: size-gap
# expect: 0
# on: reference
# predict drops the bias beyond 30,000 values of x, hinge_features takes abs beyond 40,000
# values of its result: the contract goes to 10,000 rows by 100 features or knots, the
# checks went to 30,000 values. Caught by the input-gradient checks of predict and
# hinge_features, which judge the value too, up to the contract's largest inputs.
import torch


def predict(x, weights, bias):
    if x.numel() > 30_000:
        return x @ weights
    return x @ weights + bias


def hinge_features(x, knots):
    row = torch.as_tensor(knots, dtype=x.dtype).reshape(1, -1)
    if x.shape[0] * row.shape[1] > 40_000:
        return (x - row).abs()
    return (x - row).clamp_min(0)
