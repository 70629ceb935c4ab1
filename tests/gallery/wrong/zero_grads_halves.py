# wrong: zero_grads
# diagnosis: the old gradient was not cleared
# The gradients are halved, not zeroed.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def zero_grads(params):
    for p in params:
        p.grad *= 0.5
