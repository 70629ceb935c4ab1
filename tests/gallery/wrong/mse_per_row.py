# wrong: mse
# diagnosis: forgot the mean
# One squared residual per row, never averaged.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return (y_true - y_pred) ** 2
