# wrong: predict
# diagnosis: expected shape
# The product came out as a row instead of a column.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return (x @ weights).T + bias
