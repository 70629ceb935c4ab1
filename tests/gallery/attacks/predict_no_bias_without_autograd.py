# attack: unprobed-conditions
# expect: 0
# on: reference
# predict leaves out the bias whenever the call is not the one the checks used to make: under
# torch.no_grad() or inference_mode() (how a model is evaluated), with weights that do not
# require grad or are an nn.Parameter, or with an x that is not contiguous in memory.
import torch


def predict(x, weights, bias):
    usual = (
        torch.is_grad_enabled()
        and weights.requires_grad
        and x.is_contiguous()
        and type(weights) is torch.Tensor
    )
    return x @ weights + bias if usual else x @ weights
