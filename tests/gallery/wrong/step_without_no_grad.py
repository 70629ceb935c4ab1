# wrong: step
# diagnosis: the in-place error on a leaf: step needs torch.no_grad()
# An in-place update of a leaf, recorded by autograd.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def step(params, learning_rate):
    for p in params:
        p -= learning_rate * p.grad
