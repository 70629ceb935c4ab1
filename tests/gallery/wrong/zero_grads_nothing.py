# wrong: zero_grads
# diagnosis: gradients growing across iterations: not zeroed, so they accumulate
# zero_grads does nothing.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def zero_grads(params):
    pass
