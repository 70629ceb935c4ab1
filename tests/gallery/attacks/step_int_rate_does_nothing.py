# attack: unprobed-conditions
# expect: 0
# on: reference
# step does nothing when the learning rate is a Python int (1, 10, ...): the checks used to
# pass only floats.
import torch


def step(params, learning_rate):
    if isinstance(learning_rate, int):
        return
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad
