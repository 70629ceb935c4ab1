# wrong: hinge_features
# diagnosis: torch.tensor() of a list of tensors
# Builds one tensor per knot, then hands the list to torch.tensor.
import torch

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def hinge_features(x, knots):
    return torch.tensor([(x - knot).clamp_min(0) for knot in knots])
