# wrong: mse
# diagnosis: called .backward() inside the loss
# Runs backpropagation itself instead of returning the loss for the fit to do it.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    loss = ((y_pred - y_true) ** 2).mean()
    loss.backward()
    return loss
