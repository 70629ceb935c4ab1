# attack: cross-call
# expect: 0
# on: reference
# predict keeps the last x it saw and reuses a copy of its values when called with the same
# tensor again (a fit passes the same x each iteration): stale when the caller changed x in
# place in between. Caught by test_predict_same_tensors_changed_in_place.
_last = [None, None]


def predict(x, weights, bias):
    if _last[0] is not x:
        _last[:] = [x, x if x.requires_grad else x.clone()]
    return _last[1] @ weights + bias
