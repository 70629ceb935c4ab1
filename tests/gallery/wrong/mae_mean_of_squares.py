# wrong: mae
# diagnosis: squared the residuals
# The mean of squares (that is MSE) was returned.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mae(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean()
