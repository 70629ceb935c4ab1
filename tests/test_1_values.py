"""Layer 1: each function returns the right values, in the right shape."""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from kata.learner import arranged, decoded, leaf, unchanged
from tests.diagnoses import loss_problem, tensor_problem
from tests.strategies import (
    MAX_KNOTS,
    MAX_ROWS,
    close,
    conditions,
    first_disagreement,
    hinge_inputs,
    pairs,
    problems,
    series,
    shape_of,
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
    problem_text = tensor_problem(call, returned, (n, 1), x.dtype)
    assert problem_text is None, problem_text
    expected = problem.y_hat()
    scale = x.double().abs() @ weights.double().abs() + bias.double().abs()  # what float32 rounds
    row = first_disagreement(returned, expected, scale, x.dtype == torch.float64, relative=True)
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
    problem_text = tensor_problem(call, returned, (n, m), x.dtype)
    assert problem_text is None, problem_text
    row = torch.tensor([knots], dtype=torch.float64)
    expected = hinges_as_given(returned, x, knots)
    scale = x.double().abs() + row.abs()
    for j, knot in enumerate(knots):
        column = returned[:, j]
        i = first_disagreement(column, expected[:, j], scale[:, j], x.dtype == torch.float64, relative=True)
        negative = bool((column < 0).any())
        assert i is None, (
            f"{call}: column {j} (knot {knot}) should be max(0, x - {knot}); at row {i}, "
            f"x = {x[i, 0].item():.6g} gives {expected[i, j].item():.6g}, got {column[i].item():.6g}."
            + d.likely(d.NEGATIVE_HINGE if negative else None)
        )


def hinges_as_given(returned, x, knots) -> torch.Tensor:
    """max(0, x - knots[j]) in float64, with the knots as given or, where those agree better
    with what came back, as torch.tensor(knots) holds them (float32: a usual way to write it)."""
    exact = (x.double() - torch.tensor([list(knots)], dtype=torch.float64)).clamp_min(0)
    rounded = (x.double() - torch.tensor([list(knots)]).double()).clamp_min(0)
    if not isinstance(returned, torch.Tensor) or returned.shape != exact.shape:
        return exact
    got = returned.detach().double()
    return torch.where((got - rounded).abs() < (got - exact).abs(), rounded, exact)


def memory_hint(function: str, index: int) -> str:
    """What a failure on a call of a series, after right ones, may mean."""
    if index == 0:
        return ""
    return (
        f" The {index} calls before it in this series were right: does {function} keep something from "
        "one call to the next, or treat this size, dtype or way of calling it differently?"
    )


def _values_in_a_row(linreg, function: str, arg_lists: list, sizes: list, modes: list, again=False):
    """function(*args) for each of `arg_lists`, in a row in one worker (`sizes`: how many
    numbers each call returns; `modes`: autograd's mode for each, see Condition); fails when a
    call changed its arguments, then or later, or a result changed after its call. With
    `again`, every second call gets the tensors of the call before it, its own values copied
    into them in place (`paired`)."""
    calls = [
        {"function": function, "args": args, "mode": mode}
        | ({"again": again_how(i)} if again and i % 2 else {})
        for i, (args, mode) in enumerate(zip(arg_lists, modes, strict=True))
    ]
    what = f"{function} {len(calls)} times in a row"
    for index, reply in enumerate(linreg.in_a_row("value", function, calls, what, sizes)):
        unchanged(reply, function, f"call {index + 1} of {len(calls)} in a row")
        yield decoded(reply, "value")


def paired(draws: list) -> list:
    """Each draw (index, n, k, dtype, scale, generator) twice in a row, the second time with
    other values (a generator of its own): the calls of a series `again`."""
    twice = []
    for index, n, k, dtype, scale, gen in draws:
        seed = int(torch.randint(0, 2**31, (1,), generator=gen))
        twice += [(2 * index, n, k, dtype, scale, gen), (2 * index + 1, n, k, dtype, scale, _generator(seed))]
    return twice


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def series_conditions(seed: int, count: int, again: bool) -> list:
    """A condition per call (tests.strategies.conditions); with `again`, the same for both calls
    of a pair."""
    if not again:
        return conditions(seed, count)
    return [c for c in conditions(seed, (count + 1) // 2) for _ in range(2)][:count]


def again_how(index: int) -> str:
    """How the new values of the second call of a pair are written into the tensors of the
    first: with copy_ (torch counts the change), or through .data, as a NumPy array sharing
    the memory would (torch does not), every other pair."""
    return "data" if index // 2 % 2 else "copy"


def again_words(again: bool, index: int) -> str:
    if not again or index % 2 == 0:
        return ""
    how = " through .data" if again_how(index) == "data" else ""
    return f", the tensors of call {index} with new values written into them{how}"


def _arg(tensor, condition):
    if not condition.layout and not condition.computed:
        return tensor
    return arranged(tensor, condition.layout, condition.computed)


def check_predict_in_a_row(linreg, draws: list, seed: int, again: bool = False):
    """predict for each draw (index, n, k, dtype, scale, generator) of a series, in a row, each
    call made under a condition of its own (tests.strategies.Condition); `again`: see
    _values_in_a_row."""
    cases = [
        (
            uniform(gen, (n, k), dtype, -s, s),
            uniform(gen, (k, 1), dtype, -s, s),
            uniform(gen, (1,), dtype, -s, s),
        )
        for _, n, k, dtype, s, gen in draws
    ]
    how = series_conditions(seed, len(cases), again)
    args = [
        [_arg(x, c), leaf(w, c.parameter, c.layout, c.computed), leaf(b, c.parameter, c.layout, c.computed)]
        for (x, w, b), c in zip(cases, how, strict=True)
    ]
    sizes, modes = [x.numel() for x, _, _ in cases], [c.mode for c in how]
    got = _values_in_a_row(linreg, "predict", args, sizes, modes, again)
    for index, ((x, w, b), c, returned) in enumerate(zip(cases, how, got, strict=True)):
        n, k = x.shape
        dtype = str(x.dtype).removeprefix("torch.")
        call = (
            f"call {index + 1} of {len(cases)} in a row, predict(x, weights, bias) with x ({n}, {k}) "
            f"{dtype}{c.words()}{again_words(again, index)}"
        )
        problem_text = tensor_problem(call, returned, (n, 1), x.dtype)
        assert problem_text is None, problem_text + memory_hint("predict", index)
        expected = x.double() @ w.double() + b.double()
        scale = x.double().abs() @ w.double().abs() + b.double().abs()
        row = first_disagreement(returned, expected, scale, x.dtype == torch.float64, relative=True)
        assert row is None, (
            f"{call}: row {row} should be {expected[row].item():.6g}, got {returned[row].item():.6g}."
            + memory_hint("predict", index)
        )


@pytest.mark.checks("predict")
def test_predict_many_calls_in_a_row(linreg):
    """predict on every size of the contract, float32 and float64, in every condition, in one
    worker, in a row."""
    check_predict_in_a_row(linreg, list(series(1)), 1)


def check_losses_in_a_row(linreg, name, draws: list, seed: int, again: bool = False):
    pairs_ = [
        (uniform(gen, (n, 1), dtype, -s, s), uniform(gen, (n, 1), dtype, -s, s))
        for _, n, _, dtype, s, gen in draws
    ]
    how = series_conditions(seed, len(pairs_), again)
    args = [[_arg(t, c), _arg(p, c)] for (t, p), c in zip(pairs_, how, strict=True)]
    got = _values_in_a_row(linreg, name, args, [2 * len(t) for t, _ in pairs_], [c.mode for c in how], again)
    for index, ((y_true, y_pred), c, value) in enumerate(zip(pairs_, how, got, strict=True)):
        problem_text = loss_problem(
            name,
            lambda t, p, v=value, first=y_true: v if t is first else linreg.value(name, t, p),
            y_true,
            y_pred,
        )
        assert problem_text is None, (
            f"call {index + 1} of {len(pairs_)} in a row{c.words()}{again_words(again, index)}, "
            f"{problem_text}" + memory_hint(name, index)
        )


@pytest.mark.checks("mse")
def test_mse_many_calls_in_a_row(linreg):
    check_losses_in_a_row(linreg, "mse", list(series(2)), 2)


@pytest.mark.checks("mae")
def test_mae_many_calls_in_a_row(linreg):
    check_losses_in_a_row(linreg, "mae", list(series(2)), 2)


def check_hinge_features_in_a_row(
    linreg, draws: list, seed: int, knots_from_k: bool = False, again: bool = False
):
    """hinge_features for each draw (index, n, k, dtype, scale, generator), with k knots where
    `knots_from_k` (else a count that walks 1 to MAX_KNOTS), in a row, in every condition."""
    cases = []
    for index, n, k, dtype, scale, gen in draws:
        low, high = ((-1.0, 2.0), (-10.0, 10.0), (-200.0, 500.0), (-scale, scale))[index % 4]
        count = k if knots_from_k else 1 + index % (MAX_KNOTS if n <= 300 else 4)
        knots = uniform(gen, (count,), dtype, 2 * low - high, 2 * high - low).tolist()
        cases.append((uniform(gen, (n, 1), dtype, low, high), knots if index % 2 else tuple(knots)))
    how = series_conditions(seed, len(cases), again)
    sizes = [x.numel() * (1 + len(knots)) for x, knots in cases]
    args = [[_arg(x, c), knots] for (x, knots), c in zip(cases, how, strict=True)]
    got = _values_in_a_row(linreg, "hinge_features", args, sizes, [c.mode for c in how], again)
    for index, ((x, knots), c, returned) in enumerate(zip(cases, how, got, strict=True)):
        n, m = x.shape[0], len(knots)
        dtype = str(x.dtype).removeprefix("torch.")
        kind = type(knots).__name__
        call = (
            f"call {index + 1} of {len(cases)} in a row, hinge_features(x, a {kind} of {m} knots) "
            f"with x ({n}, 1) {dtype}{c.words()}{again_words(again, index)}"
        )
        problem_text = tensor_problem(call, returned, (n, m), x.dtype)
        assert problem_text is None, problem_text + memory_hint("hinge_features", index)
        row = torch.tensor([knots], dtype=torch.float64)
        expected = hinges_as_given(returned, x, knots)
        wrong = first_disagreement(
            returned, expected, x.double().abs() + row.abs(), x.dtype == torch.float64, relative=True
        )
        assert wrong is None, (
            f"{call}: row {wrong // m}, column {wrong % m} (knot {knots[wrong % m]:.6g}) should be "
            f"{expected.flatten()[wrong].item():.6g}, got {returned.flatten()[wrong].item():.6g}."
            + memory_hint("hinge_features", index)
        )


@pytest.mark.checks("hinge_features")
def test_hinge_features_many_calls_in_a_row(linreg):
    """Every size, x near the data and far from it, 1 to MAX_KNOTS knots (as a list, or a tuple),
    in every condition, in a row."""
    check_hinge_features_in_a_row(linreg, list(series(3)), 3)


# --- the same tensors again, changed in place by the caller --------------------------------
# A caller may change its data in place between two calls (x -= x.mean(), a buffer refilled
# each batch) and pass the same tensors again: the result must follow the new values.
AGAIN_DRAWS = 12  # pairs of calls, of sizes from across the whole series


def spread(draws) -> list:
    """AGAIN_DRAWS of a series' draws, from its smallest sizes to its largest."""
    draws = list(draws)
    return [draws[round(i * (len(draws) - 1) / (AGAIN_DRAWS - 1))] for i in range(AGAIN_DRAWS)]


@pytest.mark.checks("predict")
def test_predict_same_tensors_changed_in_place(linreg):
    check_predict_in_a_row(linreg, paired(spread(series(21))), 21, again=True)


@pytest.mark.checks("mse")
def test_mse_same_tensors_changed_in_place(linreg):
    check_losses_in_a_row(linreg, "mse", paired(spread(series(22))), 22, again=True)


@pytest.mark.checks("mae")
def test_mae_same_tensors_changed_in_place(linreg):
    check_losses_in_a_row(linreg, "mae", paired(spread(series(23))), 23, again=True)


@pytest.mark.checks("hinge_features")
def test_hinge_features_same_tensors_changed_in_place(linreg):
    check_hinge_features_in_a_row(linreg, paired(spread(series(24))), 24, again=True)


# --- residuals small next to the values ----------------------------------------------------
# Near its optimum, a fit on data far from zero (years, prices) has residuals far smaller
# than y itself. A loss computed from the residuals keeps their digits; one that expands
# (y - p)^2 into y^2 - 2yp + p^2 loses them all.
SMALL_RESIDUALS = [  # (n, dtype, size of the values, size of the residuals relative to them)
    (1, torch.float32, 1e6, 1e-3),
    (7, torch.float64, 1e6, 1e-8),
    (143, torch.float32, 1e3, 1e-5),
    (MAX_ROWS, torch.float64, 1e4, 1e-7),
    (300, torch.float32, 1.0, 1e-4),
]


def check_small_residuals(linreg, name: str, seed: int) -> None:
    for n, dtype, size, relative in SMALL_RESIDUALS:
        gen = torch.Generator().manual_seed(seed)
        y_true = uniform(gen, (n, 1), dtype, size / 2, size)
        y_pred = (y_true + uniform(gen, (n, 1), dtype, -relative * size, relative * size)).to(dtype)
        r = y_true.double() - y_pred.double()
        expected = float((r**2).mean() if name == "mse" else r.abs().mean())
        got = linreg.value(name, y_true, y_pred)
        value = float(got) if isinstance(got, torch.Tensor) and got.numel() == 1 else None
        rtol = 1e-3 if dtype == torch.float32 else 1e-9
        assert value is not None and abs(value - expected) <= rtol * expected, (
            f"{name}(y_true, y_pred) with {n} rows ({str(dtype)[6:]}), values about {size:g} and residuals "
            f"about {relative * size:g}: should be {expected:.6g}, got "
            f"{value if value is not None else shape_of(got)}. Compute the residuals first, then square "
            "(or take the absolute value of) them: expanding the square into y_true**2 - 2 * y_true * y_pred "
            "+ y_pred**2 loses the digits of small residuals."
        )


@pytest.mark.checks("mse")
def test_mse_with_residuals_small_next_to_the_values(linreg):
    check_small_residuals(linreg, "mse", 51)


@pytest.mark.checks("mae")
def test_mae_with_residuals_small_next_to_the_values(linreg):
    check_small_residuals(linreg, "mae", 52)
