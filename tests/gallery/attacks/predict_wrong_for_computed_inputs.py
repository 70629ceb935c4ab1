# attack: unprobed-conditions
# expect: 0
# on: reference
# predict leaves out the bias when x requires grad or the weights or the bias are computed
# (a view of a parameter, say): the checks used to pass plain leaves only.


def predict(x, weights, bias):
    if x.requires_grad or weights.grad_fn is not None or bias.grad_fn is not None:
        return x @ weights
    return x @ weights + bias
