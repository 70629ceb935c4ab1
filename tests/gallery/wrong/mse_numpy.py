# wrong: mse
# diagnosis: backward() cannot reach the parameters
# The loss went through numpy and back.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    residuals = (y_true - y_pred).detach().numpy()
    return torch.tensor((residuals**2).mean())
