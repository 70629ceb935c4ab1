# A correct submission: torch.mv, nn.MSELoss summed then divided, a torch.optim.SGD kept per
# parameter list with its rate set on every call, hinges by expand and an in-place clamp of
# a fresh tensor (tried in the third attack round as an honest style).
import torch

_OPTIMIZERS = {}


def predict(x, weights, bias):
    return torch.mv(x, weights.squeeze(1)).unsqueeze(1) + bias


def mse(y_true, y_pred):
    return torch.nn.MSELoss(reduction="sum")(y_pred, y_true) / len(y_true)


def step(params, learning_rate):
    key = tuple(id(p) for p in params)
    optimizer = _OPTIMIZERS.get(key)
    if optimizer is None or any(
        a is not b for a, b in zip(optimizer.param_groups[0]["params"], params, strict=True)
    ):
        optimizer = _OPTIMIZERS[key] = torch.optim.SGD(params, lr=learning_rate)
    for group in optimizer.param_groups:
        group["lr"] = learning_rate
    optimizer.step()


def zero_grads(params):
    for p in params:
        p.grad = None


def mae(y_true, y_pred):
    return torch.abs(y_true - y_pred).sum() / y_true.numel()


def hinge_features(x, knots):
    shifted = x.expand(-1, len(knots)) - torch.tensor(knots, dtype=x.dtype)
    shifted.clamp_(min=0)
    return shifted


FIT_SETTINGS = {
    1: {"learning_rate": 0.1, "num_iter": 50},
    2: {"learning_rate": 0.5, "num_iter": 500},
    3: {"learning_rate": 0.05, "num_iter": 500},
    4: {"learning_rate": 0.5, "num_iter": 1000},
}
