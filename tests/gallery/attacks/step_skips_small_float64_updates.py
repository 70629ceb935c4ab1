# attack: numerics
# expect: 0
# on: reference
# For float64 parameters, step skips every update below 1e-5 + 1.5e-4 |p|: a float64 fit
# stops short of its optimum. It hid inside float32's tolerance, and every fit runs in
# float32. Caught by the step checks' float64 tolerance.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params:
            update = learning_rate * p.grad
            if p.dtype == torch.float64:
                update = torch.where(update.abs() < 1e-5 + 1.5e-4 * p.abs(), torch.zeros_like(update), update)
            p -= update
