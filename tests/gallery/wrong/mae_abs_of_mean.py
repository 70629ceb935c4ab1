# wrong: mae
# diagnosis: took abs of the mean
# abs came after the mean instead of before it.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mae(y_true, y_pred):
    return (y_true - y_pred).mean().abs()
