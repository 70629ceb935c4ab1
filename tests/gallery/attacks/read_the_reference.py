# attack: read-reference
# expect: 0
# Imports the reference solution and uses it for everything.
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


import kata  # the grader's package: where its checkout is
from pathlib import Path
import importlib.util
import sys

for root in (str(Path(kata.__file__).parents[1]), *sys.path):
    try:
        spec = importlib.util.spec_from_file_location("ref", f"{root}/solutions/linreg.py")
        ref = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ref)
    except (OSError, AttributeError, ImportError):
        continue
    globals().update({k: v for k, v in vars(ref).items() if not k.startswith("__")})
    break
