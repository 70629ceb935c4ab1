# attack: fit-settings
# expect: 0
# on: reference
# Untuned FIT_SETTINGS (one tiny update), but step() climbs to the fit's frame, reads its
# inputs and jumps straight to the least-squares parameters of whatever series it is on.
import sys

import torch


def step(params, learning_rate):
    frame = sys._getframe(1)
    while frame is not None and "features" not in frame.f_locals:
        frame = frame.f_back
    with torch.no_grad():
        if frame is None:
            for p in params:
                p -= learning_rate * p.grad
            return
        inputs, y = frame.f_locals["features"].double(), frame.f_locals["y"].double()
        if len(params) == 2:
            inputs = torch.cat([inputs, torch.ones(len(inputs), 1, dtype=inputs.dtype)], dim=1)
        best = torch.linalg.lstsq(inputs, y).solution.to(params[0].dtype)
        params[0].copy_(best[: len(params[0])])
        if len(params) == 2:
            params[1].copy_(best[-1])


FIT_SETTINGS = {n: {"learning_rate": 1e-6, "num_iter": 1} for n in (1, 2, 3, 4)}
