# wrong: mse
# diagnosis: took absolute values instead of squares
# The residuals were made absolute instead of squared.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return (y_true - y_pred).abs().mean()
