# wrong: predict
# diagnosis: the bias is not added
# The bias was left out of the prediction.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return x @ weights
