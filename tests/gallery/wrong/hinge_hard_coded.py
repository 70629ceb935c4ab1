# wrong: hinge_features
# diagnosis: hinge_features(x, knots=
# The knots of step 4 are hard-coded.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return (x - torch.tensor([0.0, 0.5], dtype=x.dtype)).clamp_min(0)
