# attack: size-gap
# expect: 0
# on: reference
# step leaves every float32 parameter of more than 256 values as it is (a 500 by 300 float32
# regression never moves). The checks' large parameters were all float64. Caught by
# test_step_on_the_largest_parameters.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            if p.dtype == torch.float32 and p.numel() > 256:
                continue
            p -= learning_rate * p.grad
