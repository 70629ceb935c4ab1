# attack: unprobed-conditions
# expect: 0
# on: reference
# Called with autograd already off (`with torch.no_grad(): step(...)`, the usual loop), step
# climbs the gradient and zero_grads clears nothing. Every probe used to call them with
# autograd on. Caught by test_step_with_autograd_off and test_zero_grads_with_autograd_off.
import torch


def step(params, learning_rate):
    sign = 1 if torch.is_grad_enabled() else -1
    with torch.no_grad():
        for p in params:
            p -= sign * learning_rate * p.grad


def zero_grads(params):
    if torch.is_grad_enabled():
        for p in params:
            p.grad = None
