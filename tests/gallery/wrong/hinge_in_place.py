# wrong: hinge_features
# diagnosis: an in-place operation on an argument
# Shifts the caller's x in place for each knot and back again: the values come out right,
# but x is left changed (rounding), and under autograd the in-place edits would break it.
import torch

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    columns = []
    for knot in knots:
        x -= knot
        columns.append(x.clamp_min(0))
        x += knot
    return torch.cat(columns, dim=1)
