# wrong: mae
# diagnosis: sum instead of mean
# The absolute residuals were summed, not averaged.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mae(y_true, y_pred):
    return (y_true - y_pred).abs().sum()
