# wrong: zero_grads
# diagnosis: the old gradient was not cleared
# zero_grads does nothing.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def zero_grads(params):
    pass
