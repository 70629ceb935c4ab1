# attack: unprobed-conditions
# expect: 0
# on: reference
# step updates, and zero_grads clears, p.reshape(-1): a view of a contiguous tensor, a copy
# of a transposed one. On a transposed nn.Parameter nothing moves and the gradients pile
# up. Parameters used to be contiguous in every check. Caught by
# test_step_on_parameters_laid_out_anyhow and test_zero_grads_on_parameters_laid_out_anyhow.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p.reshape(-1).sub_(learning_rate * p.grad.reshape(-1))


def zero_grads(params):
    for p in params:
        p.grad.reshape(-1).zero_()
