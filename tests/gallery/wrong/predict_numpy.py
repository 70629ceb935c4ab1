# wrong: predict
# diagnosis: no gradient reaching weights: detached, or used .data, in predict
# A round trip through numpy cuts the autograd graph.
import torch  # noqa: F401

from solutions.linreg import *  # noqa: F403  (the reference for everything else)


def predict(x, weights, bias):
    product = x.detach().numpy() @ weights.detach().numpy()
    return torch.from_numpy(product) + bias
