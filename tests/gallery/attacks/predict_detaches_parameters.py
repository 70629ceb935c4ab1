# attack: unprobed-conditions
# expect: 0
# on: reference
# predict gives the right values everywhere, but no gradient when the weights are an
# nn.Parameter (as a torch.nn.Module holds them): the checks used to pass plain tensors only.
import torch


def predict(x, weights, bias):
    if isinstance(weights, torch.nn.Parameter):
        return x @ weights.detach() + bias.detach()
    return x @ weights + bias
