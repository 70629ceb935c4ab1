# attack: fit-settings
# expect: 0
# Correct functions but FIT_SETTINGS that land nowhere; the worker's own fit scenario is
# replaced at import by one that swaps in tuned settings whenever it sees the untuned ones.
import torch

from kata.worker import probes


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return ((y_pred - y_true) ** 2).mean()


def mae(y_true, y_pred):
    return (y_pred - y_true).abs().mean()


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return torch.relu(x - torch.tensor(knots, dtype=x.dtype))


TUNED = {("mse", False): (0.1, 50), ("mse", True): (0.5, 1000), ("mae", True): (0.05, 500)}
original_fit = probes.Probes.fit


def swapped_fit(self, x, y, loss, knots, train_bias, learning_rate, num_iter):
    if num_iter == 2:
        learning_rate, num_iter = TUNED[loss, train_bias]
    return original_fit(self, x, y, loss, knots, train_bias, learning_rate, num_iter)


probes.Probes.fit = swapped_fit
FIT_SETTINGS = {n: {"learning_rate": 1e-4, "num_iter": 2} for n in (1, 2, 3, 4)}
