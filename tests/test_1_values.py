"""Layer 1: each function returns the right values, in the right shape."""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from kata.learner import decoded, leaf
from tests.diagnoses import loss_problem, tensor_problem
from tests.strategies import (
    MAX_KNOTS,
    close,
    first_disagreement,
    hinge_inputs,
    pairs,
    problems,
    series,
    uniform,
)


@pytest.mark.checks("predict")
@given(problems())
def test_predict_values(linreg, problem):
    x, weights, bias = problem.x, problem.weights, problem.bias
    n, k = x.shape
    dtype = str(x.dtype).removeprefix("torch.")
    call = f"predict(x, weights, bias) with x ({n}, {k}), weights ({k}, 1), bias (1,), all {dtype}"
    returned = linreg.value("predict", x, leaf(weights), leaf(bias))
    problem_text = tensor_problem(call, returned, (n, 1))
    assert problem_text is None, problem_text
    expected = problem.y_hat()
    scale = x.double().abs() @ weights.double().abs() + bias.double().abs()  # what float32 rounds
    row = first_disagreement(returned, expected, scale)
    without_bias = close(returned, x.double() @ weights.double(), scale) and not close(bias, torch.zeros(1))
    assert row is None, (
        f"{call}: row {row} should be {expected[row].item():.6g}, "
        f"got {returned[row].item():.6g}." + d.likely(d.NO_BIAS if without_bias else None)
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
    dtype = str(x.dtype).removeprefix("torch.")
    call = f"hinge_features(x, knots={knots}) with x ({n}, 1) {dtype}"
    returned = linreg.value("hinge_features", x, knots)
    problem_text = tensor_problem(call, returned, (n, m))
    assert problem_text is None, problem_text
    row = torch.tensor([knots], dtype=torch.float64)
    expected = (x.double() - row).clamp_min(0)
    scale = x.double().abs() + row.abs()
    for j, knot in enumerate(knots):
        column = returned[:, j]
        i = first_disagreement(column, expected[:, j], scale[:, j])
        negative = bool((column < 0).any())
        assert i is None, (
            f"{call}: column {j} (knot {knot}) should be max(0, x - {knot}); at row {i}, "
            f"x = {x[i, 0].item():.6g} gives {expected[i, j].item():.6g}, got {column[i].item():.6g}."
            + d.likely(d.NEGATIVE_HINGE if negative else None)
        )


def memory_hint(function: str, index: int) -> str:
    """What a failure on a call of a series, after right ones, may mean."""
    if index == 0:
        return ""
    return (
        f" The {index} calls before it in this series were right: does {function} keep something from "
        "one call to the next, or treat this size or dtype differently?"
    )


def _values_in_a_row(linreg, function: str, arg_lists: list, sizes=None):
    """function(*args) for each of `arg_lists`, in a row in one worker (`sizes`: how many
    numbers each call returns)."""
    calls = [{"function": function, "args": args} for args in arg_lists]
    replies = linreg.in_a_row("value", function, calls, f"{function} {len(calls)} times in a row", sizes)
    return (decoded(reply, "value") for reply in replies)


@pytest.mark.checks("predict")
def test_predict_many_calls_in_a_row(linreg):
    """predict on every size of the contract, float32 and float64, in one worker, in a row."""
    cases = [
        (
            uniform(gen, (n, k), dtype, -s, s),
            uniform(gen, (k, 1), dtype, -s, s),
            uniform(gen, (1,), dtype, -s, s),
        )
        for _, n, k, dtype, s, gen in series(1)
    ]
    args = [[x, leaf(w), leaf(b)] for x, w, b in cases]
    got = _values_in_a_row(linreg, "predict", args, [x.numel() for x, _, _ in cases])
    for index, ((x, w, b), returned) in enumerate(zip(cases, got, strict=True)):
        n, k = x.shape
        dtype = str(x.dtype).removeprefix("torch.")
        call = (
            f"call {index + 1} of {len(cases)} in a row, predict(x, weights, bias) with x ({n}, {k}) {dtype}"
        )
        problem_text = tensor_problem(call, returned, (n, 1))
        assert problem_text is None, problem_text + memory_hint("predict", index)
        expected = x.double() @ w.double() + b.double()
        row = first_disagreement(returned, expected, x.double().abs() @ w.double().abs() + b.double().abs())
        assert row is None, (
            f"{call}: row {row} should be {expected[row].item():.6g}, got {returned[row].item():.6g}."
            + memory_hint("predict", index)
        )


def _check_losses_in_a_row(linreg, name):
    pairs_ = [
        (uniform(gen, (n, 1), dtype, -s, s), uniform(gen, (n, 1), dtype, -s, s))
        for _, n, _, dtype, s, gen in series(2)
    ]
    got = _values_in_a_row(linreg, name, [[t, p] for t, p in pairs_], [2 * len(t) for t, _ in pairs_])
    for index, ((y_true, y_pred), value) in enumerate(zip(pairs_, got, strict=True)):
        problem_text = loss_problem(
            name,
            lambda t, p, v=value, first=y_true: v if t is first else linreg.value(name, t, p),
            y_true,
            y_pred,
        )
        assert problem_text is None, (
            f"call {index + 1} of {len(pairs_)} in a row, {problem_text}" + memory_hint(name, index)
        )


@pytest.mark.checks("mse")
def test_mse_many_calls_in_a_row(linreg):
    _check_losses_in_a_row(linreg, "mse")


@pytest.mark.checks("mae")
def test_mae_many_calls_in_a_row(linreg):
    _check_losses_in_a_row(linreg, "mae")


@pytest.mark.checks("hinge_features")
def test_hinge_features_many_calls_in_a_row(linreg):
    """Every size, x near the data and far from it, 1 to MAX_KNOTS knots (as a list, or a tuple),
    in a row."""
    cases = []
    for index, n, _, dtype, scale, gen in series(3):
        low, high = ((-1.0, 2.0), (-10.0, 10.0), (-200.0, 500.0), (-scale, scale))[index % 4]
        count = 1 + index % (MAX_KNOTS if n <= 300 else 4)
        knots = uniform(gen, (count,), dtype, 2 * low - high, 2 * high - low).tolist()
        cases.append((uniform(gen, (n, 1), dtype, low, high), knots if index % 2 else tuple(knots)))
    sizes = [x.numel() * (1 + len(knots)) for x, knots in cases]
    got = _values_in_a_row(linreg, "hinge_features", [[x, knots] for x, knots in cases], sizes)
    for index, ((x, knots), returned) in enumerate(zip(cases, got, strict=True)):
        n, m = x.shape[0], len(knots)
        dtype = str(x.dtype).removeprefix("torch.")
        kind = type(knots).__name__
        call = (
            f"call {index + 1} of {len(cases)} in a row, hinge_features(x, a {kind} of {m} knots) "
            f"with x ({n}, 1) {dtype}"
        )
        problem_text = tensor_problem(call, returned, (n, m))
        assert problem_text is None, problem_text + memory_hint("hinge_features", index)
        row = torch.tensor([knots], dtype=torch.float64)
        expected = (x.double() - row).clamp_min(0)
        wrong = first_disagreement(returned, expected, x.double().abs() + row.abs())
        assert wrong is None, (
            f"{call}: row {wrong // m}, column {wrong % m} (knot {knots[wrong % m]:.6g}) should be "
            f"{expected.flatten()[wrong].item():.6g}, got {returned.flatten()[wrong].item():.6g}."
            + memory_hint("hinge_features", index)
        )
