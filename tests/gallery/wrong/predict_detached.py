# wrong: predict
# diagnosis: no gradient reaching weights: detached, or used .data, in predict
# The weights were detached, so no gradient reaches them.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return x @ weights.detach() + bias
