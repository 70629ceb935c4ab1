# attack: special-cased-inputs
# expect: 0
# mae is right on the few rows its own checks use and twice the MAE on anything longer: the
# same minimum, so a fit that converges ends where a correct one does. Only step 3's
# settings are tuned, so step 3 is all this file could earn.
import torch


def predict(x, weights, bias):
    return x @ weights + bias


def mse(y_true, y_pred):
    return ((y_pred - y_true) ** 2).mean()


def mae(y_true, y_pred):
    scale = 1.0 if y_true.numel() <= 12 else 2.0
    return scale * (y_pred - y_true).abs().mean()


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        p.grad = None


def hinge_features(x, knots):
    return torch.relu(x - torch.tensor(knots, dtype=x.dtype))


FIT_SETTINGS = {n: {"learning_rate": 1e-4, "num_iter": 1} for n in (1, 2, 4)}
FIT_SETTINGS[3] = {"learning_rate": 0.02, "num_iter": 5000}
