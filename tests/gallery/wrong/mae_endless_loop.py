# wrong: mae
# diagnosis: mae did not return: is there a loop that never ends?
# A while loop whose condition never changes.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mae(y_true, y_pred):
    total = 0.0
    i = 0
    while i < len(y_true):
        total = total + (y_true[i] - y_pred[i]).abs()
    return total / len(y_true)
