# attack: break-the-run
# expect: 0
# graded: apart
# The exceptions of huge_exception_names.py, and fits that sleep until just under their
# limit, so that the per-submission time limit kills the checks while a record is on its way:
# that once crashed `kata grade`, which wrote no report at all. Graded beside a correct
# submission, with a short --timeout (tests/selfcheck/test_grading.py).
import time

import torch

NAME = "E" * 4_000_000
Huge = type(NAME, (Exception,), {})


def predict(x, weights, bias):
    if x.shape[0] == 143:  # the fits: sleep out most of their 60 s
        time.sleep(4.9)
        return x @ weights + bias
    raise Huge("predict")


def mse(y_true, y_pred):
    return ((y_true - y_pred) ** 2).mean()


def mae(y_true, y_pred):
    raise Huge("mae")


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad


def zero_grads(params):
    raise Huge("zero_grads")


def hinge_features(x, knots):
    raise Huge("hinge_features")
