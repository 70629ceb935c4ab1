# wrong: predict
# diagnosis: weights are detached
# The weights were detached, so no gradient reaches them.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return x @ weights.detach() + bias
