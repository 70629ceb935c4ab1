# attack: side-effect
# expect: 0
# on: reference
# predict returns the right values, then sets every entry of the caller's x larger than 10 in
# size to 0, in place: a fit on the course's data (|x| < 2) never notices.


def predict(x, weights, bias):
    out = x @ weights + bias
    x.data[x.data.abs() > 10] = 0
    return out
