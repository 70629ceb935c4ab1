# attack: tensor-subclass
# expect: 0
# Returns zeros wrapped in a tensor subclass whose __torch_function__ answers every detach,
# tolist, equality and allclose as "whatever you expect": True, and requires_grad True.
import torch


class Agreeable(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in ("allclose", "equal", "__eq__", "isclose"):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})

    @property
    def requires_grad(self):
        return True


def _agree(*args):
    first = next(a for a in args if isinstance(a, torch.Tensor)) if args else torch.zeros(1)
    return torch.zeros(first.shape[0], 1).as_subclass(Agreeable)


predict = mse = mae = hinge_features = _agree


def step(params, learning_rate):
    return torch.zeros(1).as_subclass(Agreeable)


def zero_grads(params):
    return torch.zeros(1).as_subclass(Agreeable)


FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
