"""Judging a fit on the checking side: the settings, the path, the final loss, held-out series.

The worker runs the learner's gradient descent and returns the parameters after every
update (the fit's path) and a loss curve; nothing it says is taken on trust:
- every update is checked here (`check_path`): from the parameters before it, one plain
  gradient step on this side's own copy of the data, with the learner's learning rate,
  must give the parameters after it, within what float32 rounding allows. A fit that jumped
  to the answer, ran other settings, followed another loss, kept momentum or changed its
  ways after some number of calls is caught at the first update where it did. The rounding
  must not lean downhill either, update after update: a fit cannot creep, a hair at a time,
  to a loss its settings do not reach;
- the fit is also replayed here from zero (`replay`, float64) with the learner's
  FIT_SETTINGS, and an MSE fit must end where the replay ends (`agrees_with_replay`):
  rounding cannot be bent, update after update, into a fit the settings do not give;
- the final loss is computed here from the returned parameters.

Held-out series (tests/hidden): each fit runs again on a series the submission has never
seen, the shipped years with another trend and the same optimal loss (`variant`), and must
pass the same checks there: its path and its end must be gradient descent's on that series.
Nothing about a band is asked of it, so every setting a correct fit lands with passes,
whatever the series (tools/variant_grid.py shows it on the whole grid). The series is drawn
from the submission's bytes and the grader's secret (`variant_seed`): the same file meets
the same series on every run, and no learner can know it beforehand.
"""

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import torch

from kata.manifest import MAX_NUM_ITER, Step


class SettingsError(ValueError):
    """FIT_SETTINGS has no usable learning rate or number of iterations for a step."""


def read_settings(settings, step: Step) -> tuple[float, int]:
    """(learning_rate, num_iter) of `step` from FIT_SETTINGS as the worker reported it (plain
    data: any mapping became a dict with string keys, an integer too large for a float +-inf)."""
    where = f"FIT_SETTINGS[{step.number}]"
    entry = settings.get(str(step.number)) if isinstance(settings, dict) else None
    if not isinstance(entry, dict):
        raise SettingsError(
            f'{where} must be a mapping like {{"learning_rate": 0.1, "num_iter": 50}}, not {_short(entry)}'
        )
    learning_rate, num_iter = entry.get("learning_rate"), entry.get("num_iter")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, int | float):
        raise SettingsError(f"{where}['learning_rate'] must be a number, not {_short(learning_rate)}")
    try:
        rate = float(learning_rate)
    except OverflowError:
        rate = math.inf
    if not (math.isfinite(rate) and rate > 0):
        raise SettingsError(
            f"{where}['learning_rate'] must be a positive number of ordinary size "
            f"(0.5, 1e-3), not {_short(learning_rate)}"
        )
    if isinstance(num_iter, bool) or not isinstance(num_iter, int) or num_iter < 1:
        raise SettingsError(f"{where}['num_iter'] must be a positive whole number, not {_short(num_iter)}")
    if num_iter > MAX_NUM_ITER:
        raise SettingsError(
            f"{where}['num_iter'] is {_short(num_iter)}, above the limit of {MAX_NUM_ITER}. "
            "Use a larger learning rate instead of more iterations."
        )
    return rate, num_iter


def _short(value) -> str:
    """A setting as a message shows it: its repr, cut short (it may be anything)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "..."


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

    def vector(self, with_bias: bool) -> np.ndarray:
        """The weights, then the bias if it is trained: a row of a fit's path."""
        parts = [self.weights, self.bias] if with_bias else [self.weights]
        return torch.cat([p.reshape(-1) for p in parts]).numpy()


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


def design(step: Step, x: torch.Tensor) -> np.ndarray:
    """The step's model inputs (n, p) in float64, with a column of ones at the end when the
    bias is trained: the parameters of a path row multiply its columns."""
    inputs = features(step, x).double()
    if step.train_bias:
        inputs = torch.cat([inputs, torch.ones(len(x), 1, dtype=torch.float64)], dim=1)
    return inputs.numpy()


def descent(design: np.ndarray, y, loss: str, learning_rates, until: int, dtype=np.float64):
    """Gradient descent from zero on the MSE or MAE of a linear model with these inputs (n, p),
    as a correct submission runs it, done here with the analytic gradients, for L learning
    rates at once. Yields (t, theta (L, p, 1), inputs, target) after each update t = 1..until."""
    inputs = np.asarray(design).astype(dtype)
    target = np.asarray(y).astype(dtype).reshape(1, -1, 1)
    rates = np.asarray(learning_rates, dtype=dtype).reshape(-1, 1, 1)
    theta = np.zeros((len(rates), inputs.shape[1], 1), dtype=dtype)
    with np.errstate(all="ignore"):
        for t in range(1, until + 1):
            residuals = target - inputs @ theta  # (L, n, 1)
            slope = 2 * residuals if loss == "mse" else np.sign(residuals)
            theta = theta + rates * (inputs.T @ slope) / len(inputs)
            yield t, theta, inputs, target


def losses_of(loss: str, theta, inputs, target) -> np.ndarray:
    """The loss of each of the L parameter vectors theta (L, p, 1), in float64; inf if not finite."""
    with np.errstate(all="ignore"):
        r = (target - inputs @ theta).astype(np.float64)
        value = (r**2).mean((1, 2)) if loss == "mse" else np.abs(r).mean((1, 2))
    return np.where(np.isfinite(value), value, np.inf)


def replay(step: Step, x, y, learning_rate: float, num_iter: int) -> float:
    """The final loss that gradient descent with these settings reaches, from zero, in float64."""
    final = math.inf
    for t, theta, inputs, target in descent(
        design(step, x), y.double().numpy(), step.loss, [learning_rate], num_iter
    ):
        if t == num_iter:
            final = float(losses_of(step.loss, theta, inputs, target)[0])
    return final


def agrees_with_replay(step: Step, loss, replayed):
    """Whether a fit's final loss is the one gradient descent with its settings reaches, within
    1% of the band's width (elementwise, for arrays of losses).

    Descent on the MSE contracts: a float32 fit and the float64 replay stay together, and
    over every setting of tools/variant_grid.py they end within 1e-4 of each other. Descent
    on the MAE moves by sign steps, and near the optimum a residual within rounding of zero
    can send the two runs a whole step apart, on any series: for the MAE the judge is the
    path (`check_path`), which checks each update from the fit's own parameters."""
    low, high = step.band
    if step.loss == "mae":
        return np.full(np.shape(loss), True) if np.ndim(loss) else True
    return abs(loss - replayed) <= 0.01 * (high - low)


# --- every update of a fit's path --------------------------------------------------------
EPS = float(np.finfo(np.float32).eps)  # the learner's fits run in float32
# How many float32 roundings of its terms an update may carry (a residual, a sum over the
# rows in any order, the product with the learning rate, the subtraction). The correct
# submissions of the gallery, in every style, stay below 1; a step off by 1e-5 of its size
# (a rate of 0.1 used as 0.100001, a velocity of 1e-5) is beyond.
ROUNDINGS = 8
CHUNK = 1 << 16  # rows x updates handled at once, to bound the memory of a 20000-update check


def one_step(design: np.ndarray, y: np.ndarray, loss: str, rates: np.ndarray, before: np.ndarray):
    """One plain gradient step from each row of `before` (L, T, p): the parameters it gives,
    and how far a correct float32 step may land from them, in two parts (all (L, T, p)): the
    rounding of the parameters themselves, which leans neither way, and the rounding of the
    gradient, which may lean the same way update after update."""
    n = len(design)
    spread = ROUNDINGS * EPS
    residuals = y.reshape(1, 1, n) - before @ design.T  # (L, T, n)
    rounding = spread * (np.abs(y).reshape(1, 1, n) + np.abs(before) @ np.abs(design).T)
    if loss == "mse":
        slope = 2 * residuals
        unsure = 2 * (rounding + spread * np.abs(residuals)) @ np.abs(design)
    else:  # the sign of a residual within rounding of zero may come out either way
        near_zero = np.abs(residuals) <= rounding
        slope = np.where(near_zero, 0.0, np.sign(residuals))
        unsure = (near_zero + spread) @ np.abs(design)
    rates = rates.reshape(-1, 1, 1)
    expected = before + rates * (slope @ design) / n
    return expected, spread * (np.abs(before) + np.abs(expected)), rates * unsure / n


# How far the updates of a fit may lean downhill, all together, beyond one plain gradient
# step each: in standard deviations of the rounding of its parameters, which leans neither
# way. A step that adds even a tenth of its allowed rounding downhill, every time, is past it
# within a few hundred updates; the correct fits of tools/variant_grid.py stay below 1.
LEANING = 6.0


@dataclass
class PathCheck:
    """What the checks of a fit's path found, per update (both (L, T))."""

    off: np.ndarray  # the update is not one plain gradient step, within rounding
    leaning: np.ndarray  # the updates so far move downhill beyond what rounding explains
    state: tuple  # what the leaning is summed from, to go on with the paths' next updates


def check_path(design, y, loss: str, learning_rates, paths, start=None, state=None) -> PathCheck:
    """Check the updates of L fits (paths (L, T, p), with learning rates (L,)): each row must
    be one plain gradient step from the row before (from `start` (L, p), zero by default,
    for the first), within float32 rounding; and the rounding must not lean downhill, update
    after update (the first-order loss each update gains beyond its gradient step, summed,
    against the spread of the parameters' own rounding). Paths checked in parts go on from
    the last row (`start`) and the `state` of the part before."""
    design = np.asarray(design, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    paths = np.asarray(paths, dtype=np.float64)
    rates = np.asarray(learning_rates, dtype=np.float64)
    count, updates, width = paths.shape
    start = np.zeros((count, width)) if start is None else np.asarray(start, dtype=np.float64)
    starts = np.concatenate([start[:, None], paths[:, :-1]], axis=1)
    off = np.zeros((count, updates), dtype=bool)
    leaning = np.zeros((count, updates), dtype=bool)
    gained, spread = state or (np.zeros((count, 1)), np.zeros((count, 1)))
    block = max(1, CHUNK // (count * len(design)))
    with np.errstate(all="ignore"):
        for first in range(0, updates, block):
            part = slice(first, first + block)
            expected, own, gradient = one_step(design, y, loss, rates, starts[:, part])
            after = paths[:, part]
            deviation = after - expected
            agree = (np.abs(deviation) <= own + gradient) | (after == expected)
            off[:, part] = ~agree.all(-1)
            downhill = np.abs(expected - starts[:, part]) / rates.reshape(-1, 1, 1)  # |gradient|
            direction = np.sign(expected - starts[:, part])
            gain = np.nan_to_num((deviation * direction * downhill).sum(-1) - (gradient * downhill).sum(-1))
            noise = np.nan_to_num((own * downhill).sum(-1))
            gained = gained[:, -1:] + np.cumsum(gain, axis=1)
            spread = spread[:, -1:] + np.cumsum(noise**2, axis=1)
            leaning[:, part] = gained > LEANING * np.sqrt(spread) + 1e-300
    return PathCheck(off, leaning, (gained[:, -1:], spread[:, -1:]))


def path_problem(design, y, loss: str, learning_rate: float, path: np.ndarray, updates: int) -> str:
    """'' when `path` (updates, p) holds `updates` rows, each one plain gradient step from the
    row before and together not leaning downhill; otherwise what is wrong, in words."""
    design = np.asarray(design, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    path = np.asarray(path, dtype=np.float64)
    width = design.shape[1]
    if path.shape != (updates, width):
        return (
            f"the fit reported its parameters {path.shape}, expected {width} after each of {updates} updates"
        )
    check = check_path(design, y, loss, [learning_rate], path[None])
    off, leaning = check.off[0], check.leaning[0]
    if off.any():
        t = int(off.argmax())
        if not np.isfinite(path[t]).all():
            return f"after update {t + 1} the parameters are no longer numbers of their shapes"
        before = path[t - 1] if t else np.zeros(width)
        expected, _, _ = one_step(design, y, loss, np.array([learning_rate]), before[None, None])
        return (
            f"update {t + 1} took the parameters from {_rounded(before)} to {_rounded(path[t])}; one "
            f"gradient step on the {loss.upper()} with learning rate {learning_rate:g} gives "
            f"{_rounded(expected[0, 0])}"
        )
    if leaning.any():
        t = int(leaning.argmax())
        return (
            f"by update {t + 1}, the updates had moved further downhill than plain gradient steps, "
            "each by a little, always the same way: more than float32 rounding explains"
        )
    return ""


def _rounded(values: np.ndarray) -> list:
    return [float(f"{v:.6g}") for v in values]


# --- held-out series ---------------------------------------------------------------------
def variant(step: Step, x: torch.Tensor, y: torch.Tensor, seed: int) -> torch.Tensor:
    """A held-out series with the same years and the same optimal loss: y' = y + A (theta' -
    theta), with A the model's inputs (and a column of ones for the bias) and theta the
    least-squares parameters. theta' shrinks each component of theta in the eigenbasis of
    A^T A by a random factor of 0.6 to 0.9, with the largest one's sign flipped."""
    gen = torch.Generator().manual_seed(seed)
    a = torch.from_numpy(design(step, x))
    theta = torch.linalg.lstsq(a, y.double()).solution
    _, basis = torch.linalg.eigh(a.T @ a / len(x))
    coords = basis.T @ theta
    factors = 0.6 + 0.3 * torch.rand(len(coords), 1, generator=gen, dtype=torch.float64)
    signs = torch.where(torch.rand(len(coords), 1, generator=gen) < 0.5, -1.0, 1.0).double()
    signs[(coords.abs() * torch.linalg.eigvalsh(a.T @ a).sqrt().reshape(-1, 1)).argmax()] = -1.0
    moved = basis @ (coords * factors * signs)
    return (y.double() + a @ (moved - theta)).to(y.dtype)


def variant_seed(source: bytes, secret: bytes, purpose: str = "") -> int:
    """The seed of a held-out draw for one submission: a hash of its bytes and the grader's
    secret (and what the draw is for), so that the same file always meets the same series."""
    digest = hashlib.sha256(secret + b"\0" + purpose.encode() + b"\0" + source).digest()
    return int.from_bytes(digest[:6], "big")


# --- a whole fit, run in the worker and judged here ---------------------------------------
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
    replayed_loss: float  # where gradient descent with these settings ends (MSE), computed here; else nan
    off_path: str = ""  # the first update that was not one plain gradient step, in words, or ''


def run_step(learner, step: Step, x: torch.Tensor, y: torch.Tensor) -> FitResult:
    """Run the step's fit with the learner's FIT_SETTINGS in its worker, and judge it here.
    Raises SettingsError, or the proxy's LearnerFailure / NotReturning."""
    learning_rate, num_iter = read_settings(learner.report.settings, step)
    knots = step.knots if step.features == "hinge" else None
    run = learner.fit(x, y, step.loss, knots, step.train_bias, learning_rate, num_iter)
    params = accepted_parameters(step, x, run.weights, run.bias)
    problem = params if isinstance(params, str) else ""
    params = None if problem else params
    y_pred = features(step, x).double() @ params.weights + params.bias if params else None
    loss = final_loss(step, x, y, params) if params else math.inf
    off = ""
    if not problem and run.diverged_at is None:
        off = path_problem(design(step, x), y.double().numpy(), step.loss, learning_rate, run.path, num_iter)
        last = run.path[-1] if len(run.path) and not off else None
        if last is not None and not np.array_equal(last, params.vector(step.train_bias)):
            off = "the parameters the fit returned are not those after its last update"
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
        replay(step, x, y, learning_rate, num_iter) if step.loss == "mse" else math.nan,
        off,
    )
