"""Judging a fit on the checking side: the settings, the final loss, held-out variants.

The worker runs the learner's gradient descent and returns parameters and a loss curve;
nothing it says about the loss is taken on trust. The final loss is recomputed here from
the returned parameters, with this side's own features and loss formula, on its own copy
of the data. The fit is also replayed here (`replay`): gradient descent with the learner's
FIT_SETTINGS must land too, so that settings count only for what they really do, whatever
the worker ran.

Held-out variants: each fit runs again on series the submission has never seen, so that
parameters special-cased for the shipped data earn nothing. A variant keeps the years and
replaces the best-fit line by a random one, `y' = y + A (theta' - theta)` with A the model's
inputs (and a column of ones for the bias) and theta the least-squares parameters, so its
residuals, and hence its optimal loss, are those of the real series. theta' shrinks each
component of theta in the eigenbasis of A^T A by a random factor of size 0.6 to 0.9, with
the largest one's sign flipped. Gradient descent from zero on the MSE then stays at every
iteration at or below the real curve's excess over the optimum, so settings that land the
real fit in its band land every variant in the same band.
"""

import math
import os
from dataclasses import dataclass

import numpy as np
import torch

from kata.manifest import MAX_NUM_ITER, Step


class SettingsError(ValueError):
    """FIT_SETTINGS has no usable learning rate or number of iterations for a step."""


def read_settings(settings, step: Step) -> tuple[float, int]:
    """(learning_rate, num_iter) of `step` from FIT_SETTINGS as the worker reported it
    (plain data: JSON turns the integer keys into strings)."""
    where = f"FIT_SETTINGS[{step.number}]"
    entry = settings.get(str(step.number)) if isinstance(settings, dict) else None
    if not isinstance(entry, dict):
        raise SettingsError(f'{where} must be a dict like {{"learning_rate": 0.1, "num_iter": 50}}')
    learning_rate, num_iter = entry.get("learning_rate"), entry.get("num_iter")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, int | float):
        raise SettingsError(f"{where}['learning_rate'] must be a number, not {learning_rate!r}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise SettingsError(f"{where}['learning_rate'] must be positive, not {learning_rate!r}")
    if isinstance(num_iter, bool) or not isinstance(num_iter, int) or num_iter < 1:
        raise SettingsError(f"{where}['num_iter'] must be a positive whole number, not {num_iter!r}")
    if num_iter > MAX_NUM_ITER:
        raise SettingsError(
            f"{where}['num_iter'] is {num_iter}, above the limit of {MAX_NUM_ITER}. "
            "Use a larger learning rate instead of more iterations."
        )
    return float(learning_rate), num_iter


def features(step: Step, x: torch.Tensor) -> torch.Tensor:
    """The model's inputs for this step: x (n, 1), or its hinge features (n, len(knots))."""
    if step.features == "hinge":
        return (x - torch.tensor([step.knots], dtype=x.dtype)).clamp_min(0)
    return x


def loss_value(name: str, y: torch.Tensor, y_pred: torch.Tensor) -> float:
    """MSE or MAE, in float64."""
    residuals = (y.double() - y_pred.double()).reshape(-1)
    return float((residuals**2).mean() if name == "mse" else residuals.abs().mean())


@dataclass
class Parameters:
    """A fit's parameters as the checking side accepts them."""

    weights: torch.Tensor  # (k, 1)
    bias: torch.Tensor  # (1,)


def accepted_parameters(step: Step, x: torch.Tensor, weights, bias) -> Parameters | str:
    """The returned parameters in the step's shapes (the bias is 0 where it is not trained),
    or why they cannot be."""
    k = features(step, x).shape[1]
    if not isinstance(weights, torch.Tensor) or tuple(weights.shape) != (k, 1):
        return f"the fit ended with weights of shape {getattr(weights, 'shape', None)}, expected ({k}, 1)"
    if not isinstance(bias, torch.Tensor) or tuple(bias.shape) != (1,):
        return f"the fit ended with a bias of shape {getattr(bias, 'shape', None)}, expected (1,)"
    return Parameters(
        weights.double(), bias.double() if step.train_bias else torch.zeros(1, dtype=torch.float64)
    )


def final_loss(step: Step, x: torch.Tensor, y: torch.Tensor, params: Parameters) -> float:
    """The loss of the returned parameters, computed here."""
    inputs = features(step, x).double()
    return loss_value(step.loss, y, inputs @ params.weights + params.bias)


def _design(step: Step, x: torch.Tensor) -> torch.Tensor:
    inputs = features(step, x).double()
    if step.train_bias:
        inputs = torch.cat([inputs, torch.ones(len(x), 1, dtype=torch.float64)], dim=1)
    return inputs


def descent(step: Step, x: torch.Tensor, y: torch.Tensor, learning_rates, until: int, dtype):
    """Gradient descent from zero parameters on the step's model, as a correct submission runs
    it, done here with the analytic gradients, for L learning rates at once. Yields (t, theta
    (L, k, 1), inputs, target) after each update t = 1..until; theta ends with the bias when
    it is trained."""
    design, target = _design(step, x).numpy(), y.double().numpy()
    yield from descent_on(design, target, step.loss, learning_rates, until, dtype)


def descent_on(design: np.ndarray, y: np.ndarray, loss: str, learning_rates, until: int, dtype=np.float64):
    """The same on any design matrix (n, p): a column of ones at its end makes the last
    parameter a bias."""
    inputs = design.astype(dtype)
    target = y.astype(dtype).reshape(1, -1, 1)
    rates = np.asarray(learning_rates, dtype=dtype).reshape(-1, 1, 1)
    theta = np.zeros((len(rates), inputs.shape[1], 1), dtype=dtype)
    with np.errstate(all="ignore"):
        for t in range(1, until + 1):
            residuals = target - inputs @ theta  # (L, n, 1)
            slope = 2 * residuals if loss == "mse" else np.sign(residuals)
            theta = theta + rates * (inputs.T @ slope) / len(inputs)
            yield t, theta, inputs, target


def descend(step: Step, x: torch.Tensor, y: torch.Tensor, learning_rates, checkpoints, dtype=np.float64):
    """For each learning rate (L of them), the step's loss after each number of updates in
    `checkpoints`: an array (len(checkpoints), L); inf where the loss is no longer finite."""
    out = np.full((len(checkpoints), len(learning_rates)), np.inf)
    wanted = {t: i for i, t in enumerate(checkpoints)}
    for t, theta, inputs, target in descent(step, x, y, learning_rates, max(checkpoints), dtype):
        if t in wanted:
            out[wanted[t]] = _losses(step.loss, theta, inputs, target)
    return out


def _losses(loss: str, theta, inputs, target) -> np.ndarray:
    """The loss of each of the L parameter vectors theta (L, k, 1), in float64; inf if not finite."""
    with np.errstate(all="ignore"):
        r = (target - inputs @ theta).astype(np.float64)
        value = (r**2).mean((1, 2)) if loss == "mse" else np.abs(r).mean((1, 2))
    return np.where(np.isfinite(value), value, np.inf)


def _along(descent, checkpoints) -> dict[int, np.ndarray]:
    wanted = set(checkpoints)
    return {t: theta[0, :, 0].copy() for t, theta, _, _ in descent if t in wanted}


def checkpoints(num_iter: int, seed: int) -> list[int]:
    """The updates after which a fit's parameters are compared with the replay: the first two,
    and two more drawn at random among the first 100 (anew each run, like the variants)."""
    gen = torch.Generator().manual_seed(seed)
    drawn = torch.randint(3, max(4, min(num_iter, 100) + 1), (2,), generator=gen).tolist()
    return sorted({t for t in (1, 2, *drawn) if t <= num_iter})


def off_the_replay_on(design, y, loss: str, learning_rate: float, marks: list[int], seen: dict) -> str:
    """For a fit of any design matrix (the hidden checks' synthetic data): how its parameters
    after the updates in `marks` differ from plain gradient descent's, or ''."""
    descent = descent_on(np.asarray(design), np.asarray(y), loss, [learning_rate], max(marks))
    return compare_along(_along(descent, marks), seen)


def compare_along(expected: dict, seen: dict) -> str:
    """'' when the parameters `seen` after each update agree with `expected` within 1%, plus
    1e-3 (a float32 fit and this float64 replay agree far better; a loss at half or twice its
    scale, a learning rate used at another size or gradients not cleared do not)."""
    for t in sorted(expected):
        if t not in seen:
            return f"the fit did not report its parameters after update {t}"
        got, want = seen[t], expected[t]
        if got.shape != want.shape or not np.all(np.abs(got - want) <= 1e-3 + 1e-2 * np.abs(want)):
            return (
                f"after update {t} the parameters are {np.round(got, 5).tolist()}; gradient descent "
                f"with these settings gives {np.round(want, 5).tolist()}"
            )
    return ""


def parameter_vector(weights, bias, with_bias: bool) -> np.ndarray:
    """A fit's parameters as one vector (weights, then the bias if trained); empty if unusable."""
    parts = [weights, bias] if with_bias else [weights]
    if not all(isinstance(p, torch.Tensor) for p in parts):
        return np.zeros(0)
    return torch.cat([p.double().reshape(-1) for p in parts]).numpy()


def replay(step: Step, x, y, learning_rate: float, num_iter: int, marks=()) -> tuple[float, dict]:
    """Gradient descent with these settings, done here in one pass: the final loss it reaches,
    and its parameters (weights, then the bias if trained) after each update in `marks`."""
    wanted, along, final = set(marks), {}, math.inf
    for t, theta, inputs, target in descent(step, x, y, [learning_rate], num_iter, np.float64):
        if t in wanted:
            along[t] = theta[0, :, 0].copy()
        if t == num_iter:
            final = float(_losses(step.loss, theta, inputs, target)[0])
    return final, along


def agrees_with_replay(step: Step, loss: float, replayed: float) -> bool:
    """Whether a fit's final loss is the one gradient descent with its settings reaches,
    within 1% of the band's width. (A correct fit in float32 and the replay in float64 differ
    by at most 4e-5 over the grid of tools/variant_grid.py; an MAE fit that followed the MSE's
    gradient ends 6e-4 away.)"""
    low, high = step.band
    return abs(loss - replayed) <= 0.01 * (high - low)


def variant(step: Step, x: torch.Tensor, y: torch.Tensor, seed: int) -> torch.Tensor:
    """A held-out series with the same years and the same optimal loss (see the module doc)."""
    gen = torch.Generator().manual_seed(seed)
    a = _design(step, x)
    theta = torch.linalg.lstsq(a, y.double()).solution
    _, basis = torch.linalg.eigh(a.T @ a / len(x))
    coords = basis.T @ theta
    factors = 0.6 + 0.3 * torch.rand(len(coords), 1, generator=gen, dtype=torch.float64)
    signs = torch.where(torch.rand(len(coords), 1, generator=gen) < 0.5, -1.0, 1.0).double()
    signs[(coords.abs() * torch.linalg.eigvalsh(a.T @ a).sqrt().reshape(-1, 1)).argmax()] = -1.0
    moved = basis @ (coords * factors * signs)
    return (y.double() + a @ (moved - theta)).to(y.dtype)


def variant_seeds(count: int = 1) -> list[int]:
    """Fresh seeds for each run (KATA_VARIANT_SEED fixes the first one, to reproduce a run)."""
    first = int(os.environ.get("KATA_VARIANT_SEED", "0")) or int.from_bytes(os.urandom(4), "big")
    return [first + i for i in range(count)]


@dataclass
class FitResult:
    """A step's fit as the checking side sees it. losses[i] is the worker's loss before the
    i-th update (for the curve); final_loss is computed here from the returned parameters."""

    step: Step
    learning_rate: float
    num_iter: int
    losses: list
    diverged_at: int | None
    problem: str  # why the returned parameters are not usable, or ''
    params: Parameters | None
    final_loss: float
    y_pred: torch.Tensor | None  # (n, 1), the returned parameters' predictions, computed here
    replayed_loss: float  # where gradient descent with these settings ends, computed here
    off_trajectory: str = ""  # how the parameters at the checkpoints left the replay, or ''


def run_step(learner, step: Step, x: torch.Tensor, y: torch.Tensor, replayed: bool = True) -> FitResult:
    """Run the step's fit with the learner's FIT_SETTINGS in its worker, and judge it here
    (and replay it here, unless `replayed` is False: then replayed_loss is nan).
    Raises SettingsError, or the proxy's LearnerFailure / NotReturning."""
    learning_rate, num_iter = read_settings(learner.report.settings, step)
    knots = step.knots if step.features == "hinge" else None
    marks = checkpoints(num_iter, variant_seeds()[0]) if replayed else []
    run = learner.fit(x, y, step.loss, knots, step.train_bias, learning_rate, num_iter, marks)
    params = accepted_parameters(step, x, run.weights, run.bias)
    problem = params if isinstance(params, str) else ""
    params = None if problem else params
    y_pred = features(step, x).double() @ params.weights + params.bias if params else None
    loss = final_loss(step, x, y, params) if params else math.inf
    off, replayed_loss = "", math.nan
    if replayed:
        replayed_loss, expected = replay(step, x, y, learning_rate, num_iter, marks)
        if not problem and run.diverged_at is None:
            seen = {t: parameter_vector(w, b, step.train_bias) for t, (w, b) in run.checkpoints.items()}
            off = compare_along(expected, seen)
    return FitResult(
        step,
        learning_rate,
        num_iter,
        run.losses,
        run.diverged_at,
        problem,
        params,
        loss,
        y_pred,
        replayed_loss,
        off,
    )
