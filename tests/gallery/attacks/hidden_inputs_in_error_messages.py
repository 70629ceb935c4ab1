# attack: leak-hidden
# expect: 0
# on: reference
# Correct code, except that a fit run with settings other than its own raises an error
# holding that fit's settings and data: the hidden checks choose their own settings, so the
# reports would show their inputs (marked LEAKED-HIDDEN-INPUT) to whoever reads the log.
import sys

import torch


def step(params, learning_rate):
    frame = sys._getframe(1)
    while frame is not None and "num_iter" not in frame.f_locals:
        frame = frame.f_back
    if frame is not None and (learning_rate, frame.f_locals["num_iter"]) not in OWN:
        print("LEAKED-HIDDEN-INPUT (printed)", frame.f_locals["y"].flatten()[:8].tolist())
        raise RuntimeError(
            f"LEAKED-HIDDEN-INPUT {learning_rate} {frame.f_locals['y'].flatten()[:8].tolist()}"
        )
    with torch.no_grad():
        for p in params:
            p -= learning_rate * p.grad


OWN = {(s["learning_rate"], s["num_iter"]) for s in FIT_SETTINGS.values()}  # noqa: F821 (the reference's)
