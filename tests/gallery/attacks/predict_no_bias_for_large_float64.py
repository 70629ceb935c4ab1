# attack: size-gap
# expect: 0
# on: reference
# For float64 x of more than 30,000 values above 100 in size (NumPy data, say), predict
# leaves the bias out of its value while the bias still gets its gradient. Only two hidden
# draws went there. Caught by test_predict_gradients_reach_every_input, which judges the
# value too, on float64 inputs of 180,000 values up to 1e3 in size.
import torch


def predict(x, weights, bias):
    if x.dtype == torch.float64 and x.numel() > 30_000 and x.abs().max() > 100:
        return x @ weights + (bias - bias.detach())
    return x @ weights + bias
