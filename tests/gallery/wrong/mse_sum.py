# wrong: mse
# diagnosis: sum instead of mean
# The squared residuals were summed, not averaged.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).sum()
