# wrong: step
# diagnosis: Every parameter in the list must be updated
# Only the first parameter (the weights) is updated.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def step(params, learning_rate):
    with torch.no_grad():
        params[0] -= learning_rate * params[0].grad
