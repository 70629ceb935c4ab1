# attack: network
# expect: 0
# Sends its environment to a local port and looks for a grader socket.
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
import socket

for port in (22, 80, 8000, 8080):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(repr(dict(os.environ)).encode())
    except OSError:
        pass
