# attack: unprobed-conditions
# expect: 0
# on: reference
# step does nothing unless the learning rate is exactly a Python int or float: a NumPy float
# (a rate from np.logspace) leaves the parameters where they were.
import torch


def step(params, learning_rate):
    if type(learning_rate) not in (int, float):
        return
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad
