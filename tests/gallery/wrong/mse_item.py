# wrong: mse
# diagnosis: used .item(), so backward is impossible
# The loss was turned into a Python float with .item().
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean().item()
