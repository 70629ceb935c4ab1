# attack: cross-call
# expect: 0
# on: reference
# predict keeps a copy of x, renewed when another tensor comes or torch counts a change to
# it: stale when the caller writes through .data or a NumPy array sharing the memory (no
# count). Caught by test_predict_same_tensors_changed_in_place (every other pair is written
# through .data).
_last = [None, None, None]


def predict(x, weights, bias):
    if _last[0] is not x or _last[1] != x._version:
        _last[:] = [x, x._version, x if x.requires_grad else x.clone()]
    return _last[2] @ weights + bias
