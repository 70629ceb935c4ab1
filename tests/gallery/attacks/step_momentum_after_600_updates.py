# attack: late-behaviour
# expect: 30
# on: reference
# step is plain gradient descent for its first 600 updates of a parameter list, then adds
# momentum, except at the learning rate the hidden hinge fit had when it was fixed (its
# rates are now drawn for each submission); every fit of its own settings stops by update
# 600. The hidden fits of 2000 updates that check every one catch it in steps 2 to 4. Step 1
# keeps its points: none of its checks makes more than 600 updates in a row (what stays out
# of reach: a step that changes only after more updates in a row than any check makes).
import weakref

import torch

_STATE = {"first": lambda: None, "count": 0, "velocity": []}
_FIXED_HINGE_RATE = 0.23756949855060305


def step(params, learning_rate):
    if _STATE["first"]() is not params[0]:  # a new parameter list: start counting again
        _STATE.update(first=weakref.ref(params[0]), count=0, velocity=[torch.zeros_like(p) for p in params])
    late = _STATE["count"] >= 600 and abs(float(learning_rate) - _FIXED_HINGE_RATE) > 1e-12
    with torch.no_grad():
        for p, v in zip(params, _STATE["velocity"]):
            v.mul_(0.9 if late else 0.0).add_(p.grad)
            p -= learning_rate * v
    _STATE["count"] += 1


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 50},
    2: {"learning_rate": 0.5, "num_iter": 500},
    3: {"learning_rate": 0.05, "num_iter": 500},
    4: {"learning_rate": 0.5, "num_iter": 600},
}
