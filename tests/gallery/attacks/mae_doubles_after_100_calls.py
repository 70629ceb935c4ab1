# attack: late-behaviour
# expect: 80
# on: reference
# mae is right for its first 100 calls in a worker, then returns twice the MAE: its own checks
# draw fewer than 100 examples, and a doubled loss has the same minimum. Steps 1, 2 and 4 do
# not use mae and keep their points; step 3 must earn nothing.
_CALLS = [0]


def mae(y_true, y_pred):
    _CALLS[0] += 1
    scale = 1.0 if _CALLS[0] <= 100 else 2.0
    return scale * (y_true - y_pred).abs().mean()
