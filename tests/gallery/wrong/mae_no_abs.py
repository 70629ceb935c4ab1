# wrong: mae
# diagnosis: positive and negative errors cancel
# abs was forgotten.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mae(y_true, y_pred):
    return (y_true - y_pred).mean()
