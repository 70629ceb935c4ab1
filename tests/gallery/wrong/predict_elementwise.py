# wrong: predict
# diagnosis: elementwise * where the matrix product @ is meant
# The most common first bug: it works while there is one feature (step 1) and breaks on more.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return x * weights + bias
