# attack: side-effect
# expect: 70
# on: reference
# hinge_features returns the right values, then overwrites the caller's x with its first
# hinge, in place: whatever the caller does with x next (a plot, predict on x) is wrong.
import torch


def hinge_features(x, knots):
    knot_row = torch.as_tensor(knots, dtype=x.dtype).reshape(1, -1)
    out = (x - knot_row).clamp_min(0.0)
    x.data.sub_(knot_row[0, 0]).clamp_min_(0.0)
    return out
