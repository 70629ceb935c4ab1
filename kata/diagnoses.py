"""The catalogue of likely mistakes that the checks name, word for word.

Every failure message that recognises a mistake ends with "Likely cause: <one of these>".
The gallery (tests/gallery/wrong) feeds each mistake in and checks that its words appear.
"""

FORGOT_MEAN = "forgot the mean"
USED_ITEM = "used .item(), so backward is impossible"
SUM_NOT_MEAN = "sum instead of mean"
BROADCAST = "shapes (n,) and (n, 1) broadcast to (n, n)"
DETACHED = "no gradient reaching weights: detached, or used .data, in predict"
LEAF_IN_PLACE = "the in-place error on a leaf: step needs torch.no_grad()"
UPHILL = "parameters moving uphill: gradient ascent, the sign is flipped"
ACCUMULATING = "gradients growing across iterations: not zeroed, so they accumulate"
NEGATIVE_HINGE = "negative hinge features: the max with 0 is missing"
DIVERGED = "the fit diverged: lower the learning rate"
NAN_GRADIENT = (
    "the gradient itself is not a number right from the start, whatever the learning rate: a square "
    "root, a division or a log at zero in the loss (abs() has a gradient everywhere)"
)
STILL_IMPROVING = "still improving at the end: more iterations or a larger learning rate"
NOT_RETURNING = "did not return: is there a loop that never ends?"

# Mistakes recognised beyond the list above.
RMSE = "took the square root (that is RMSE); MSE has no root"
SQUARED_MEAN = "squared the mean; square each residual first, then average"
ABS_OF_MEAN = "took abs of the mean; take abs of each residual first"
SQUARED_NOT_ABS = "squared the residuals; MAE uses their absolute values"
ABS_NOT_SQUARED = "took absolute values instead of squares (that is MAE)"
RAW_RESIDUALS = "averaged the raw residuals, so positive and negative errors cancel"
NO_BIAS = "the bias is not added"
NOT_IN_PLACE = "p = p - ... makes a new tensor; change p in place (p -= ..., p.data -= ...)"
CHANGED_INPUT = (
    "an in-place operation on an argument (x.sub_(...), x[...] = ..., x.data, x -= ...); "
    "compute a new tensor instead (x - k, torch.clamp(...))"
)
NO_LEARNING_RATE = "the learning rate was not applied"
ZEROED_PARAMETER = "zeroed p (or p.data) instead of p.grad"
OFF_PATH = (
    "during a fit, the loss, step or zero_grads do something else than in their own checks (a loss "
    "at another scale, the learning rate used at another size, gradients kept, momentum, or a "
    "function that changes its ways after some number of calls)"
)

# Mistakes recognised from the exception the learner's code raised (see from_error).
ELEMENTWISE = "elementwise * where the matrix product @ is meant (x @ weights)"
WEIGHT_SHAPE = "weights used in another shape than (k, 1): no .T, no reshape, just x @ weights"
UNDEFINED_NAME = "a name that is not defined here: a typo, or a variable of another function"
BACKWARD_IN_LOSS = "called .backward() inside the loss; return the loss, the fit calls backward"
LIST_OF_TENSORS = "torch.tensor() of a list of tensors; build the columns with torch.cat or torch.stack"

# The words of the first list, as the issue tracker and README name them.
REQUIRED = (
    FORGOT_MEAN,
    USED_ITEM,
    SUM_NOT_MEAN,
    BROADCAST,
    DETACHED,
    LEAF_IN_PLACE,
    UPHILL,
    ACCUMULATING,
    NEGATIVE_HINGE,
    DIVERGED,
    STILL_IMPROVING,
    NOT_RETURNING,
)


def from_error(function: str | None, error: dict) -> str | None:
    """The likely mistake behind an exception a learner's function raised, from its type, its
    message and the source line it came from (error as kata.worker.serve reports it)."""
    kind, message, source = error.get("type", ""), error.get("message", ""), error.get("source", "")
    if kind == "NameError":
        return UNDEFINED_NAME
    if "backward through the graph a second time" in message or ".backward(" in source:
        return BACKWARD_IN_LOSS
    if "only one element tensors can be converted" in message or (
        "torch.tensor(" in source and "Tensor" in message
    ):
        return LIST_OF_TENSORS
    if function == "predict" and "must match the size of tensor" in message and "@" not in source:
        return ELEMENTWISE
    if function == "predict" and ("cannot be multiplied" in message or "size mismatch" in message):
        return WEIGHT_SHAPE
    return None


def likely(cause: str | None) -> str:
    """' Likely cause: <cause>.' or nothing."""
    return f" Likely cause: {cause}." if cause else ""
