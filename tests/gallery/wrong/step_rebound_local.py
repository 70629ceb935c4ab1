# wrong: step
# diagnosis: p = p - ... makes a new tensor
# p = p - ... makes a new tensor; the parameter never moves.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def step(params, learning_rate):
    for p in params:
        p = p - learning_rate * p.grad  # noqa: PLW2901
