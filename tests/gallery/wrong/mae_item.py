# wrong: mae
# diagnosis: used .item(), so backward is impossible
# The loss was turned into a Python float.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mae(y_true, y_pred):
    return float((y_true - y_pred).abs().mean())
