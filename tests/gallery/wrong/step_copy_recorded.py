# wrong: step
# diagnosis: the in-place error on a leaf: step needs torch.no_grad()
# copy_ on a leaf that requires grad, outside no_grad.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def step(params, learning_rate):
    for p in params:
        p.copy_(p - learning_rate * p.grad)
