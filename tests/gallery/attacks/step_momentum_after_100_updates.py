# attack: late-behaviour
# expect: 0
# on: reference
# step is plain gradient descent for its first 100 updates of a parameter list, then adds
# momentum: every fit still ends near where plain descent ends, and the checks that look only
# at the first updates see nothing. Every step's fit calls step, so nothing is earned.
import weakref

import torch

_STATE = {"first": lambda: None, "count": 0, "velocity": []}


def step(params, learning_rate):
    if _STATE["first"]() is not params[0]:  # a new parameter list: start counting again
        _STATE.update(first=weakref.ref(params[0]), count=0, velocity=[torch.zeros_like(p) for p in params])
    with torch.no_grad():
        for p, v in zip(params, _STATE["velocity"]):
            v.mul_(0.5 if _STATE["count"] >= 100 else 0.0).add_(p.grad)
            p -= learning_rate * v
    _STATE["count"] += 1
