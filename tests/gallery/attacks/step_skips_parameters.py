# attack: unprobed-conditions
# expect: 0
# on: reference
# step and zero_grads do nothing to a torch.nn.Parameter (the usual way to hold parameters),
# and step skips a gradient that is not contiguous in memory.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            if type(p) is torch.Tensor and p.grad.is_contiguous():
                p -= learning_rate * p.grad


def zero_grads(params):
    for p in params:
        if type(p) is torch.Tensor:
            p.grad = None
