# wrong: hinge_features
# diagnosis: should be max(0, x -
# A step (0 or 1) instead of a hinge.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return (x > torch.tensor(knots, dtype=x.dtype)).to(x.dtype)
