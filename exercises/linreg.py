# Your copy of the kata: fill in the functions and FIT_SETTINGS below.
# (Generated from solutions/linreg.py by `python -m kata stubs`.)
"""Linear regression by gradient descent, with gradients from backpropagation.

This is the only file you edit. Work through the steps in order; run `pytest`
after each change to see where you stand, and `python -m kata hint` for a nudge.

Shapes used throughout:
    n  number of data points (rows)
    k  number of features (columns)
    x        (n, k)  inputs, one row per data point
    weights  (k, 1)  one weight per feature
    bias     (1,)    a single number, added to every prediction
    y_true, y_pred  (n, 1)

Every function must keep the computation inside PyTorch, so that
`loss.backward()` can send gradients back to `weights` and `bias`.

The checks hold each function to its docstring everywhere: from 1 row to 10,000,
up to 100 features and 100 knots, float32 and float64, values from 1e-4 to a
million in size, learning rates from 1e-6 to 1e3 (Python or NumPy floats, or whole
numbers), and many calls in a row (each call returns a tensor of its own, which
later calls leave alone). Also however a function may be called: with autograd on
or off (torch.no_grad(); torch.inference_mode() too, except step and zero_grads),
parameters as plain tensors or as torch.nn.Parameter, inputs that are themselves
computed (a prediction, a view of a parameter: backward() gives them their true
gradients too), tensors laid out anyhow in memory (slices, transposes, expanded),
the same tensors again after the caller changed them in place. float64 inputs
give a float64 result with float64's digits. Only step and zero_grads change what
they are given; the other functions leave their arguments as they were.
"""

import torch


def predict(x, weights, bias):
    """Step 1: the model's predictions, x @ weights + bias.

    x (n, k), weights (k, 1), bias (1,)  ->  (n, 1)
    """
    raise NotImplementedError("predict is not written yet (step 1)")


def mse(y_true, y_pred):
    """Step 1: mean squared error, the mean of (y_true - y_pred) ** 2.

    y_true (n, 1), y_pred (n, 1)  ->  0-dim tensor (a scalar you can call .backward() on)
    """
    raise NotImplementedError("mse is not written yet (step 1)")


def step(params, learning_rate):
    """Step 1: one gradient-descent update, in place: p <- p - learning_rate * p.grad.

    params: a list of 1 to 12 leaf tensors that require grad and already hold a
    .grad, of any shape (up to 4 dimensions and 10,000 values each). After the
    update each p is still the same tensor object, still a leaf that requires grad.
    Returns nothing.
    """
    raise NotImplementedError("step is not written yet (step 1)")


def zero_grads(params):
    """Step 1: clear the gradients, so that the next backward() starts afresh.

    params: as for step; each p already holds a .grad (zero_grads is called after
    backward()). PyTorch adds new gradients to whatever .grad already holds. Either
    zero each p.grad or set it to None. Returns nothing.
    """
    raise NotImplementedError("zero_grads is not written yet (step 1)")


def mae(y_true, y_pred):
    """Step 3: mean absolute error, the mean of |y_true - y_pred|.

    y_true (n, 1), y_pred (n, 1)  ->  0-dim tensor
    """
    raise NotImplementedError("mae is not written yet (step 3)")


def hinge_features(x, knots):
    """Step 4: one hinge feature per knot; column j is max(0, x - knots[j]).

    x (n, 1), knots a list or tuple of m floats  ->  (n, m)
    A hinge is flat (zero) left of its knot and rises with slope 1 to the right.
    """
    raise NotImplementedError("hinge_features is not written yet (step 4)")


# The learning rate and number of iterations of each step's fit.
# Tune these until each fit lands in its target loss band (see README.md).
FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 50},
    2: {"learning_rate": 0.1, "num_iter": 50},
    3: {"learning_rate": 0.1, "num_iter": 50},
    4: {"learning_rate": 0.1, "num_iter": 50},
}
