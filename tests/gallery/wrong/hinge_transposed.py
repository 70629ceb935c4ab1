# wrong: hinge_features
# diagnosis: expected shape
# One row per knot instead of one column per knot.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return (x - torch.tensor(knots, dtype=x.dtype)).clamp_min(0).T
