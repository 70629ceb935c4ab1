# wrong: mse
# diagnosis: shapes (n,) and (n, 1) broadcast to (n, n)
# y_true was flattened to (n,) and broadcast against y_pred of shape (n, 1).
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def mse(y_true, y_pred):
    return ((y_true.flatten() - y_pred) ** 2).mean()
