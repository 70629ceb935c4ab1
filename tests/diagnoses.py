"""Checks of returned values that explain the likely mistake when they fail.

Each function returns None when the value is right, and otherwise a message stating what
was expected, what came back, and the likely cause (words from kata/diagnoses.py).
"""

import torch

from kata import diagnoses as d
from tests.strategies import close, shape_of


def tensor_problem(call: str, value, expected_shape: tuple, dtype=None) -> str | None:
    """Wrong type, shape or dtype (a float64 result for float64 inputs) of a returned value."""
    if isinstance(value, float | int):
        return (
            f"{call} returned a Python number ({value!r}), expected a tensor of shape "
            f"{expected_shape}." + d.likely(d.USED_ITEM)
        )
    if not isinstance(value, torch.Tensor):
        return f"{call} returned {shape_of(value)}, expected a tensor of shape {expected_shape}."
    if tuple(value.shape) != expected_shape:
        return f"{call}: expected shape {expected_shape}, got {tuple(value.shape)}."
    if dtype == torch.float64 and value.dtype != torch.float64:
        return (
            f"{call}: the inputs are float64, the result is {str(value.dtype).removeprefix('torch.')}. "
            "Compute in the inputs' dtype (no .float(), no float32 tensors made inside)."
        )
    return None


def loss_problem(name: str, loss_fn, y_true, y_pred) -> str | None:
    """Check a loss (mse or mae) against its formula, and name the likely mistake."""
    value = loss_fn(y_true, y_pred)
    residuals = (y_true - y_pred).double()
    n = residuals.shape[0]
    per_row = residuals**2 if name == "mse" else residuals.abs()
    expected = per_row.mean()
    # float32 rounds each residual by about its inputs' size, and a square by twice that
    inputs = y_true.double().abs() + y_pred.double().abs()
    scale = (inputs * (2 * residuals.abs() if name == "mse" else 1)).mean()
    dtype = str(y_true.dtype).removeprefix("torch.")
    call = f"{name}(y_true, y_pred) with y_true and y_pred of shape ({n}, 1), {dtype}"
    if isinstance(value, torch.Tensor) and tuple(value.shape) == (n, 1):
        return (
            f"{call}: expected a 0-dim tensor (one number), got shape ({n}, 1), one value "
            "per row." + d.likely(d.FORGOT_MEAN)
        )
    if isinstance(value, torch.Tensor) and tuple(value.shape) == (n, n):
        return (
            f"{call}: expected a 0-dim tensor, got shape ({n}, {n})."
            + d.likely(d.BROADCAST)
            + " Keep both as (n, 1): do not flatten or squeeze only one of them."
        )
    problem = tensor_problem(call, value, (), y_true.dtype)
    if problem:
        return problem
    got = value.detach().double()
    if close(got, expected, scale, float64=y_true.dtype == torch.float64, relative=True):
        return None
    message = f"{call}: expected {expected.item():.6g}, got {got.item():.6g}."
    return message + d.likely(likely_loss_mistake(name, loss_fn))


# Inputs on which every mistake below gives a different value (the failing example that
# hypothesis finds is often too small to tell them apart).
PROBE_TRUE = torch.tensor([[1.5], [-0.5], [2.0]], dtype=torch.float64)
PROBE_PRED = torch.tensor([[0.25], [1.75], [1.5]], dtype=torch.float64)


def _loss_mistakes(name: str) -> dict:
    """Likely cause -> what the loss function returns on the probe when it makes that mistake."""
    r = PROBE_TRUE - PROBE_PRED
    per_row = r**2 if name == "mse" else r.abs()
    flat = PROBE_TRUE.flatten() - PROBE_PRED
    shared = {
        d.SUM_NOT_MEAN: per_row.sum(),
        d.BROADCAST + "; keep both as (n, 1)": (flat**2 if name == "mse" else flat.abs()).mean(),
        d.RAW_RESIDUALS: r.mean(),
    }
    if name == "mse":
        return shared | {
            d.RMSE: (r**2).mean().sqrt(),
            d.SQUARED_MEAN: r.mean() ** 2,
            d.ABS_NOT_SQUARED: r.abs().mean(),
        }
    return shared | {d.ABS_OF_MEAN: r.mean().abs(), d.SQUARED_NOT_ABS: (r**2).mean()}


def likely_loss_mistake(name: str, loss_fn) -> str | None:
    """Run the learner's loss on the probe and name the mistake it matches, if any."""
    try:
        value = loss_fn(PROBE_TRUE, PROBE_PRED)
        value = torch.as_tensor(value, dtype=torch.float64).detach().reshape(-1)
    except Exception:
        return None
    if value.numel() != 1:
        return None
    return next((c for c, v in _loss_mistakes(name).items() if close(value, v.reshape(-1))), None)
