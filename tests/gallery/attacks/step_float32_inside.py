# attack: numerics
# expect: 0
# on: reference
# step does its arithmetic in float32 whatever the parameters' dtype: a float64 parameter
# keeps float32's digits of each update. The step checks held float64 parameters to
# float32's tolerance. Caught by the step checks' float64 tolerance.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            p.copy_(p.float() - learning_rate * p.grad.float())
