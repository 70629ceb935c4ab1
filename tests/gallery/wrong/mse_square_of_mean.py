# wrong: mse
# diagnosis: squared the mean
# The residuals were averaged before squaring.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return (y_true - y_pred).mean() ** 2
