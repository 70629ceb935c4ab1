# wrong: hinge_features
# diagnosis: should be max(0, x -
# max(0, knot - x): the hinge points the wrong way.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return (torch.tensor(knots, dtype=x.dtype) - x).clamp_min(0)
