# wrong: mse
# diagnosis: took the square root
# The root of the mean squared error (RMSE) was returned.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean().sqrt()
