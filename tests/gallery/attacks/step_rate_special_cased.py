# attack: special-cased-inputs
# expect: 0
# on: reference
# step uses the learning rate as given only for the rates its own checks pass; for any other
# rate (every fit's) it moves by half as much, and FIT_SETTINGS doubles the iterations.
import torch

CHECKED_RATES = {0.5, 0.1, 0.01, 1.0, 0.03}


def step(params, learning_rate):
    rate = learning_rate if learning_rate in CHECKED_RATES else learning_rate / 2
    with torch.no_grad():
        for p in params:
            p -= rate * p.grad


FIT_SETTINGS = {
    1: {"learning_rate": 0.2, "num_iter": 100},
    2: {"learning_rate": 0.6, "num_iter": 2000},
    3: {"learning_rate": 0.04, "num_iter": 2000},
    4: {"learning_rate": 0.6, "num_iter": 4000},
}
