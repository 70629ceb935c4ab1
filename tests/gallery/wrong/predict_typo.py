# wrong: predict
# diagnosis: a name that is not defined here
# Returns a misspelt variable.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    y_pred = x @ weights + bias  # noqa: F841
    return y_preds  # noqa: F821
