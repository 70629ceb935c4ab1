# wrong: predict
# diagnosis: should be
# The bias was subtracted instead of added.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return x @ weights - bias
