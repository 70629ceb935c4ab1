# wrong: zero_grads
# diagnosis: zeroed p (or p.data) instead of p.grad
# The parameters were zeroed instead of their gradients.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def zero_grads(params):
    for p in params:
        p.data.zero_()
