# wrong: hinge_features
# diagnosis: negative hinge features: the max with 0 is missing
# x - knot without the max with zero.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return x - torch.tensor(knots, dtype=x.dtype)
