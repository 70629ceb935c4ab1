# attack: numerics
# expect: 0
# on: reference
# For float64 parameters, zero_grads keeps 1e-5 of the old gradient: the next gradient is off
# by 3e-5 of itself, inside float32's tolerance. Caught by the zero_grads checks' float64
# tolerance.
import torch


def zero_grads(params):
    for p in params:
        if p.dtype == torch.float64 and p.grad is not None:
            p.grad.mul_(1e-5)
        else:
            p.grad = None
