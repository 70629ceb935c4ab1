# A correct submission that imports plotting and data libraries at the top and prints.
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

print("linreg.py: loading, numpy", np.__version__, "pandas", pd.__version__)
plt.figure()  # a learner's leftover plotting code


def predict(x, weights, bias):
    return torch.matmul(x, weights) + bias


def mse(y_true, y_pred):
    return torch.mean(torch.square(y_true - y_pred))


def mae(y_true, y_pred):
    return torch.mean(torch.abs(y_true - y_pred))


def step(params, learning_rate):
    for p in params:
        p.data -= learning_rate * p.grad.data


def zero_grads(params):
    for p in params:
        if p.grad is not None:
            p.grad.zero_()


def hinge_features(x, knots):
    columns = [torch.maximum(x - k, torch.zeros_like(x)) for k in knots]
    return torch.cat(columns, dim=1)


FIT_SETTINGS = {
    1: {"learning_rate": 0.2, "num_iter": 60},
    2: {"learning_rate": 0.6, "num_iter": 400},
    3: {"learning_rate": 0.05, "num_iter": 600},
    4: {"learning_rate": 0.5, "num_iter": 1200},
}
