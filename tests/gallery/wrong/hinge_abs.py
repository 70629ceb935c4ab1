# wrong: hinge_features
# diagnosis: should be max(0, x -
# abs(x - knot) instead of max(0, x - knot).
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return (x - torch.tensor(knots, dtype=x.dtype)).abs()
