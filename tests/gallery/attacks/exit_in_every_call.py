# attack: early-exit
# expect: 0
# Imports fine, then ends its worker with os._exit(0) inside every call, and raises
# SystemExit(0) / KeyboardInterrupt from the functions it does not exit in.
import os


def predict(x, weights, bias):
    os._exit(0)


def mse(y_true, y_pred):
    raise SystemExit(0)


def mae(y_true, y_pred):
    raise KeyboardInterrupt


def step(params, learning_rate):
    os.kill(os.getpid(), 9)


def zero_grads(params):
    os._exit(0)


def hinge_features(x, knots):
    raise SystemExit(0)


FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
