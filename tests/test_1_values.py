"""Layer 1: each function returns the right values, in the right shape."""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from kata.learner import leaf
from tests.diagnoses import loss_problem, tensor_problem
from tests.strategies import close, hinge_inputs, pairs, problems


@pytest.mark.checks("predict")
@given(problems())
def test_predict_values(linreg, problem):
    x, weights, bias = problem.x, problem.weights, problem.bias
    n, k = x.shape
    call = f"predict(x, weights, bias) with x ({n}, {k}), weights ({k}, 1), bias (1,)"
    returned = linreg.value("predict", x, leaf(weights), leaf(bias))
    problem_text = tensor_problem(call, returned, (n, 1))
    assert problem_text is None, problem_text
    expected = x @ weights + bias
    wrong = [i for i in range(n) if not close(returned[i], expected[i])]
    without_bias = close(returned, x @ weights) and not close(bias, torch.zeros(1))
    assert not wrong, (
        f"{call}: row {wrong[0]} should be {expected[wrong[0]].item():.6g}, "
        f"got {returned[wrong[0]].item():.6g}." + d.likely(d.NO_BIAS if without_bias else None)
    )


def _check_loss_values(linreg, name, pair):
    y_true, y_pred = pair
    problem_text = loss_problem(name, lambda t, p: linreg.value(name, t, p), y_true, y_pred)
    assert problem_text is None, problem_text


@pytest.mark.checks("mse")
@given(pairs())
def test_mse_values(linreg, pair):
    _check_loss_values(linreg, "mse", pair)


@pytest.mark.checks("mae")
@given(pairs())
def test_mae_values(linreg, pair):
    _check_loss_values(linreg, "mae", pair)


@pytest.mark.checks("hinge_features")
@given(hinge_inputs())
def test_hinge_features_values(linreg, inputs):
    x, knots = inputs
    n, m = x.shape[0], len(knots)
    call = f"hinge_features(x, knots={knots}) with x ({n}, 1)"
    returned = linreg.value("hinge_features", x, knots)
    problem_text = tensor_problem(call, returned, (n, m))
    assert problem_text is None, problem_text
    expected = (x - torch.tensor([knots], dtype=x.dtype)).clamp_min(0)
    for j, knot in enumerate(knots):
        column = returned[:, j : j + 1]
        negative = bool((column < 0).any())
        assert close(column, expected[:, j : j + 1]), (
            f"{call}: column {j} (knot {knot}) should be max(0, x - {knot}) = "
            f"{expected[:, j].tolist()}, got {column.flatten().tolist()}."
            + d.likely(d.NEGATIVE_HINGE if negative else None)
        )
