# attack: unprobed-conditions
# expect: 0
# on: reference
# step and zero_grads leave alone any parameter of 3 or more dimensions or more than 400
# values: the checks' parameters used to be small matrices at most.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            if p.dim() < 3 and p.numel() <= 400:
                p -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        if p.dim() < 3 and p.numel() <= 400:
            p.grad = None
