# wrong: predict
# diagnosis: weights used in another shape than (k, 1)
# Transposes the weights before the product.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    return x @ weights.T + bias
