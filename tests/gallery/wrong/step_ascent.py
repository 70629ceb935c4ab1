# wrong: step
# diagnosis: parameters moving uphill: gradient ascent, the sign is flipped
# The gradient was added: the parameters climb the loss.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p += learning_rate * p.grad
