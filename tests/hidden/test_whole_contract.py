"""Hidden checks: every function over the whole contract once more, in a row, with draws the
learner cannot know.

The visible checks walk a fixed table of sizes and conditions. Here the sizes (1 to 10,000
rows, 1 to 100 features or knots, log-uniform), dtypes, sizes of values, learning rates
(floats and whole numbers) and conditions (autograd on, torch.no_grad(), inference_mode(),
nn.Parameter, tensors not contiguous) are drawn from the submission's bytes and the
grader's secret: the same file always meets the same draws, and another file other ones.
Each function's series runs again as pairs of calls on the same tensors, changed in place
in between, and backward() is checked to every input on drawn sizes. Code that is right
only where the visible checks look fails here.
"""

import math
import random

import numpy as np
import pytest
import torch

from kata import fits
from tests.hidden.test_held_out_series import SECRET
from tests.strategies import (
    DTYPES,
    LAYOUTS,
    MAX_FEATURES,
    MAX_KNOTS,
    MAX_PARAM_VALUES,
    MAX_PARAMS,
    MAX_ROWS,
    RATES,
)
from tests.test_1_values import (
    check_hinge_features_in_a_row,
    check_losses_in_a_row,
    check_predict_in_a_row,
    paired,
)
from tests.test_2_gradients import (
    check_hinge_input_gradients,
    check_loss_input_gradients,
    check_predict_input_gradients,
)
from tests.test_3_updates import check_updates_in_a_row

DRAWS = 40  # calls per function: a size range of 1/8 of the whole is met with odds 1 - (7/8)^40
MOST_VALUES = 20_000  # n * k of one call, at most (so that a series stays quick) ...
LARGE_DRAWS = 2  # ... but for the last draws, which go up to the contract's MAX_ROWS * widest


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def secret_draws(linreg, purpose: str, widest: int = MAX_FEATURES) -> tuple[list, int]:
    """DRAWS draws (index, n, k, dtype, scale, generator) for this submission, and the seed of
    its conditions."""
    seed = fits.variant_seed(linreg.source_bytes, SECRET, purpose)
    rng = random.Random(seed)
    draws = []
    for index in range(DRAWS):
        n = round(_log_uniform(rng, 1, MAX_ROWS))
        k = min(round(_log_uniform(rng, 1, widest)), max(1, MOST_VALUES // n))
        if index >= DRAWS - LARGE_DRAWS:  # n * k log-uniform from MOST_VALUES to the most there is
            n = round(_log_uniform(rng, MOST_VALUES // widest, MAX_ROWS))
            k = min(widest, max(1, round(_log_uniform(rng, MOST_VALUES, MAX_ROWS * widest) / n)))
        dtype = rng.choice(DTYPES)
        scale = _log_uniform(rng, 1e-4, 1e6)
        draws.append((index, n, k, dtype, scale, torch.Generator().manual_seed(rng.getrandbits(62))))
    return draws, seed


AGAIN = 6  # of the draws, the first AGAIN again as pairs: the same tensors, changed in place
GRADIENT_CASES = 4  # calls of each input-gradient check, drawn as the rest
GRADIENT_VALUES = 200_000  # n * k of one of them, at most


@pytest.mark.checks("predict")
def test_hidden_predict_whole_contract(linreg):
    draws, seed = secret_draws(linreg, "predict")
    check_predict_in_a_row(linreg, draws, seed)
    check_predict_in_a_row(linreg, paired(draws[:AGAIN]), seed, again=True)
    check_predict_input_gradients(linreg, gradient_cases(linreg, "predict"))


@pytest.mark.checks("mse")
def test_hidden_mse_whole_contract(linreg):
    draws, seed = secret_draws(linreg, "mse")
    check_losses_in_a_row(linreg, "mse", draws, seed)
    check_losses_in_a_row(linreg, "mse", paired(draws[:AGAIN]), seed, again=True)
    check_loss_input_gradients(linreg, "mse", gradient_cases(linreg, "mse"))


@pytest.mark.checks("mae")
def test_hidden_mae_whole_contract(linreg):
    draws, seed = secret_draws(linreg, "mae")
    check_losses_in_a_row(linreg, "mae", draws, seed)
    check_losses_in_a_row(linreg, "mae", paired(draws[:AGAIN]), seed, again=True)
    check_loss_input_gradients(linreg, "mae", gradient_cases(linreg, "mae"))


@pytest.mark.checks("hinge_features")
def test_hidden_hinge_features_whole_contract(linreg):
    draws, seed = secret_draws(linreg, "hinge_features", MAX_KNOTS)
    check_hinge_features_in_a_row(linreg, draws, seed, knots_from_k=True)
    check_hinge_features_in_a_row(linreg, paired(draws[:AGAIN]), seed, knots_from_k=True, again=True)
    check_hinge_input_gradients(linreg, gradient_cases(linreg, "hinge_features"))


def gradient_cases(linreg, function: str) -> list:
    """GRADIENT_CASES cases (index, n, k, dtype, computed, generator) of an input-gradient
    check, drawn for this submission as secret_draws draws."""
    rng = random.Random(fits.variant_seed(linreg.source_bytes, SECRET, f"{function}: input gradients"))
    cases = []
    for index in range(GRADIENT_CASES):  # up to the contract's sizes, at most GRADIENT_VALUES values
        n = round(_log_uniform(rng, 1, MAX_ROWS))
        k = min(round(_log_uniform(rng, 1, MAX_FEATURES)), max(1, GRADIENT_VALUES // n))
        dtype, computed = rng.choice(DTYPES), index % 2 == 1
        cases.append((index, n, k, dtype, computed, torch.Generator().manual_seed(rng.getrandbits(62))))
    # and the largest inputs of the contract, once (a million values: kept out of the
    # learner's own quick run)
    largest = (GRADIENT_CASES, MAX_ROWS, MAX_FEATURES, rng.choice(DTYPES), rng.random() < 0.5)
    return [*cases, (*largest, torch.Generator().manual_seed(rng.getrandbits(62)))]


@pytest.mark.checks("step")
@pytest.mark.parametrize("kind", range(4))
def test_hidden_step_whole_contract(linreg, kind):
    """Updates on parameter lists drawn for this submission: 1 to MAX_PARAMS parameters of up
    to 4 dimensions (the last kind: one of thousands of values, a few updates), dtype,
    learning rates from 1e-6 to 1e3 (some of them whole numbers, some NumPy numbers),
    nn.Parameter or not, gradients laid out in memory one way or another."""
    rng = random.Random(fits.variant_seed(linreg.source_bytes, SECRET, f"step {kind}"))
    gen = torch.Generator().manual_seed(rng.getrandbits(62))

    def shape():  # at most a few hundred values: a reply holds every parameter after every update
        dims = rng.randint(0, 4)
        most = {0: 1, 1: MAX_FEATURES, 2: 12, 3: 6, 4: 4}[dims]
        return tuple(round(_log_uniform(rng, 1, most)) for _ in range(dims))

    shapes = [shape() for _ in range(rng.randint(1, MAX_PARAMS))]
    updates = DRAWS // 2
    if kind == 3:
        big = round(_log_uniform(rng, 1000, MAX_PARAM_VALUES))
        shapes[rng.randrange(len(shapes))] = rng.choice([(big,), (big, 1), (big // 10, 10)])
        updates = 8
    low, high = RATES
    rates = [_log_uniform(rng, low, high) for _ in range(updates)]
    rates = [rng.choice([r, round(r) or 1, np.float64(r), np.float32(r)]) if r >= 1 else r for r in rates]
    layout = rng.choice([name for name in LAYOUTS])
    mode = rng.choice(["grad", "no_grad"])  # autograd on, or turned off by the caller
    params_laid_out = rng.choice(["", "column_major", "gaps"])
    dtype = rng.choice(DTYPES) if kind == 3 else DTYPES[kind % 2]  # the large ones in either
    check_updates_in_a_row(linreg, gen, shapes, dtype, rates, kind >= 2, layout, mode, params_laid_out)
