# attack: cross-call
# expect: 0
# on: reference
# When x does not require grad, predict multiplies through one holder tensor per dtype,
# pointed at each new x by swapping its .data (autograd sees no change). Two predictions
# summed into one backward() (a step over several mini-batches) then both use the last x.
# Every check ran backward() right after its own call. Caught by
# test_predict_of_several_batches_in_one_backward.
import torch

_HOLDERS = {}


def predict(x, weights, bias):
    if x.requires_grad:
        return x @ weights + bias
    holder = _HOLDERS.setdefault(x.dtype, torch.zeros(0, dtype=x.dtype))
    holder.data = x.detach()
    return holder @ weights + bias
