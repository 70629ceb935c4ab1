# wrong: zero_grads
# diagnosis: gradients growing across iterations: not zeroed, so they accumulate
# The gradients are halved, not zeroed.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def zero_grads(params):
    for p in params:
        p.grad *= 0.5
