# attack: size-gap
# expect: 0
# on: reference
# predict leaves out the bias when n > 300 together with k > 4, or when 40 < k < 100: corners
# of the contract the visible checks do not draw.


def predict(x, weights, bias):
    n, k = x.shape
    if (n > 300 and k > 4) or 40 < k < 100:
        return x @ weights
    return x @ weights + bias
