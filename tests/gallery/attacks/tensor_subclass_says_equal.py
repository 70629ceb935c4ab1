# attack: tensor-subclass
# expect: 0
# Returns tensors whose __torch_function__ claims equality with anything.


import torch


class Agreeable(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.allclose, torch.equal, torch.Tensor.__eq__):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


def predict(x, weights, bias):
    return torch.zeros(x.shape[0], 1).as_subclass(Agreeable)


def mse(y_true, y_pred):
    return torch.zeros(()).as_subclass(Agreeable)
