# attack: cross-call
# expect: 0
# on: reference
# predict leaves the x of its own call alone, but adds 1 in place to the x of the call before
# (the learner's data changes behind their back). Only the arguments of the call itself used
# to be compared. Caught by the series' check that arguments stay as they were, later too.
import torch

_seen = [None]


def predict(x, weights, bias):
    previous = _seen[0]
    if previous is not None and previous is not x:
        with torch.no_grad():
            try:
                previous.add_(1.0)
            except RuntimeError:
                pass
    _seen[0] = x
    return x @ weights + bias
