"""Hidden checks: the learner's contract again, on held-out data the learner never sees.

Instructors only: `python -m kata release` leaves this folder out of the learner template.
Each check makes a synthetic dataset with known parameters (or other knots), fits it with
the learner's functions and settings chosen here, and asks for the known parameters back.
A submission that special-cases the shipped data or the visible tests' inputs fails.
"""

import random

import pytest
import torch

from kata import fits
from tests.hidden.test_held_out_series import SECRET
from tests.strategies import close

CASES = [  # (seed, n, k)
    (11, 37, 1),
    (12, 90, 2),
    (13, 61, 3),
]
# Updates of each fit. Gradient descent recovers the known parameters of CASES within the
# allowed error after at most 44 updates (MSE) and 166 (MAE, CASES[:2]): those fits run
# about twice that. The hinge fit, its data and rate drawn, recovers its own within 1478
# updates at worst (300 draws). The fits that check every update run 2000: far from their
# end, where a step that changes after some number of updates shows.
MSE_UPDATES, MAE_UPDATES, LONG = 100, 400, 2000


def drawn_factor(linreg, purpose: str, low: float, high: float) -> float:
    """A number in [low, high] drawn from the submission's bytes and the grader's secret: the
    same file always meets the same one, and no file can tell the long fits by their rates."""
    return random.Random(fits.variant_seed(linreg.source_bytes, SECRET, purpose)).uniform(low, high)


def drawn_data(linreg, purpose: str) -> tuple[int, torch.Generator]:
    """(rows, a generator for the values) of a long fit, drawn as drawn_factor is: no file
    can tell the long fits by their data either (their size, or their first value)."""
    seed = fits.variant_seed(linreg.source_bytes, SECRET, f"{purpose}: data")
    return random.Random(seed).randint(100, 200), torch.Generator().manual_seed(seed)


def synthetic(seed: int, n: int, k: int, bias: bool = True):
    """x (n, k) uniform in [-1, 2]; y = x @ w + b exactly. Returns x, y, w, b (float32)."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(n, k, generator=gen) * 3 - 1
    w = torch.rand(k, 1, generator=gen) * 4 - 2
    b = torch.rand(1, generator=gen) * 2 - 1 if bias else torch.zeros(1)
    return x, x @ w + b, w, b


def stable_learning_rate(x: torch.Tensor) -> float:
    """1 / L for the MSE of a linear model with bias: L = 2 * largest eigenvalue of A^T A / n."""
    a = torch.cat([x, torch.ones(len(x), 1)], dim=1).double()
    return float(1 / (2 * torch.linalg.eigvalsh(a.T @ a / len(x)).max()))


def fit_known(linreg, x, y, loss, train_bias, learning_rate, num_iter, knots=None, parameter=False):
    """The learner's functions fit (x, y) with settings chosen here (not FIT_SETTINGS), the
    parameters held as torch.nn.Parameter with `parameter`; every update must be one plain
    gradient step."""
    run = linreg.fit(x, y, loss, knots, train_bias, learning_rate, num_iter, parameter)
    assert run.diverged_at is None, (
        f"a held-out fit with a learning rate chosen by the check ({learning_rate:.3g}) diverged at "
        f"iteration {run.diverged_at}: the functions of this fit do not give gradient descent."
    )
    inputs = x if knots is None else (x - torch.tensor([knots])).clamp_min(0)
    design = torch.cat([inputs, torch.ones(len(x), 1)], 1) if train_bias else inputs
    off = fits.path_problem(
        design.double().numpy(), y.double().numpy(), loss, learning_rate, run.path, num_iter
    )
    assert not off, (
        f"on a held-out fit, {off}: during a fit, the loss, step or zero_grads do something else "
        "than in their own checks."
    )
    return run


def assert_recovered(run, w, b, tolerance, what):
    ok = close(run.weights, w) or (
        isinstance(run.weights, torch.Tensor)
        and run.weights.shape == w.shape
        and (run.weights - w).abs().max().item() <= tolerance
    )
    ok = ok and isinstance(run.bias, torch.Tensor) and run.bias.shape == b.shape
    ok = ok and (run.bias - b).abs().max().item() <= tolerance
    assert ok, (
        f"{what}: on a held-out dataset with known weights and bias, the fit did not find them "
        f"(allowed error {tolerance})."
    )


@pytest.mark.step1
@pytest.mark.needs("predict", "mse", "step", "zero_grads")
@pytest.mark.parametrize(("seed", "n", "k"), CASES)
def test_hidden_mse_fit_without_bias(linreg, seed, n, k):
    x, y, w, b = synthetic(seed, n, k, bias=False)
    run = fit_known(linreg, x, y, "mse", False, stable_learning_rate(x), MSE_UPDATES)
    assert_recovered(run, w, b, 1e-3, "predict, mse, step and zero_grads (no bias)")


@pytest.mark.step2
@pytest.mark.needs("predict", "mse", "step", "zero_grads")
@pytest.mark.parametrize(("seed", "n", "k"), CASES)
def test_hidden_mse_fit_with_bias(linreg, seed, n, k):
    x, y, w, b = synthetic(seed, n, k)
    run = fit_known(linreg, x, y, "mse", True, stable_learning_rate(x), MSE_UPDATES, parameter=True)
    assert_recovered(run, w, b, 1e-3, "predict, mse, step and zero_grads (with bias)")


@pytest.mark.step3
@pytest.mark.needs("predict", "mae", "step", "zero_grads")
@pytest.mark.parametrize(("seed", "n", "k"), CASES[:2])
def test_hidden_mae_fit(linreg, seed, n, k):
    x, y, w, b = synthetic(seed, n, k)
    run = fit_known(linreg, x, y, "mae", True, 0.02, MAE_UPDATES, parameter=True)
    assert_recovered(run, w, b, 0.05, "mae")


@pytest.mark.step2
@pytest.mark.needs("predict", "mse", "step", "zero_grads")
def test_hidden_slow_fit_every_update(linreg):
    """A fit still far from its end after its LONG updates (correlated inputs, a small rate,
    drawn): every update must be plain gradient descent's, the last ones as much as the first."""
    n, gen = drawn_data(linreg, "slow fit")
    base = torch.rand(n, 1, generator=gen) * 3 - 1
    x = torch.cat([base, base + 0.05 * torch.randn(n, 1, generator=gen), base**2], dim=1)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3 + 0.1 * torch.randn(n, 1, generator=gen)
    rate = drawn_factor(linreg, "slow fit", 0.3, 0.6) * stable_learning_rate(x)
    fit_known(linreg, x, y, "mse", True, rate, LONG)


@pytest.mark.step3
@pytest.mark.needs("predict", "mae", "step", "zero_grads")
def test_hidden_mae_fit_every_update(linreg):
    """An MAE fit of LONG updates on noisy data, jittering around its optimum at the end."""
    n, gen = drawn_data(linreg, "mae fit")
    x = torch.rand(n, 2, generator=gen) * 4 - 2
    y = x @ torch.tensor([[0.7], [-0.4]]) - 0.2 + 0.3 * torch.randn(n, 1, generator=gen)
    fit_known(linreg, x, y, "mae", True, drawn_factor(linreg, "mae fit", 0.03, 0.07), LONG)


@pytest.mark.checks("hinge_features")
@pytest.mark.parametrize("knots", [(-0.25,), (0.3, 1.1), (-2.0, 0.7, 0.71, 5.0)])
def test_hidden_hinge_features_other_knots(linreg, knots):
    x = torch.linspace(-1, 2, 23).reshape(-1, 1)
    expected = (x - torch.tensor([knots])).clamp_min(0)
    got = linreg.value("hinge_features", x, list(knots))
    assert close(got, expected), "hinge_features with other knots does not give max(0, x - knot) per column."


@pytest.mark.step4
@pytest.mark.needs("hinge_features", "predict", "mse", "step", "zero_grads")
def test_hidden_hinge_fit_other_knots(linreg):
    n, gen = drawn_data(linreg, "hinge fit")
    x = torch.rand(n, 1, generator=gen) * 2
    knots = (0.2, 0.9)
    w, b = torch.tensor([[0.5], [-1.5]]), torch.tensor([0.25])
    y = (x - torch.tensor([knots])).clamp_min(0) @ w + b
    features = (x - torch.tensor([knots])).clamp_min(0)
    rate = drawn_factor(linreg, "hinge fit", 0.85, 1.0) * stable_learning_rate(features)
    run = fit_known(linreg, x, y, "mse", True, rate, LONG, knots, parameter=True)
    assert_recovered(run, w, b, 5e-3, "hinge_features with knots (0.2, 0.9)")
