# wrong: step
# diagnosis: the learning rate was not applied
# The whole gradient was subtracted.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= p.grad
