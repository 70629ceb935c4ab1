"""Layer 2: backpropagation through each function gives the analytic gradients.

The worker runs backward() through the learner's function; the expected gradients are
computed here from the formulas.
"""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from kata.learner import arranged, gradients_reply, leaf
from tests.strategies import (
    AWAY_FROM_ZERO,
    LAYOUTS,
    Problem,
    backward_cases,
    close,
    listed,
    problems,
    series,
    uniform,
)
from tests.test_1_values import hinges_as_given


def _gradient_message(name, parameter, got, expected, formula):
    if got is None or not got.abs().gt(0).any() and expected.abs().gt(1e-6).any():
        return (
            f"d {name} / d {parameter}: no gradient reached {parameter}: the computation left "
            "torch (.item(), .detach(), .data, numpy) somewhere in between."
        )
    return f"d {name} / d {parameter} should be {formula} = {listed(expected)}, got {listed(got)}."


# d loss / d y_hat = -slope(y - y_hat) / n; then by the chain rule through y_hat = x @ w + b:
# name -> (slope, formula of d loss / d weights, formula of d loss / d bias)
LOSS_GRADIENTS = {
    "mse": (lambda r: 2 * r, "-2/n * x^T (y - y_hat)", "-2/n * sum(y - y_hat)"),
    "mae": (torch.sign, "-1/n * x^T sign(y - y_hat)", "-1/n * sum(sign(y - y_hat))"),
}


def _check_loss_gradient(linreg, name, problem, result=None, where=""):
    """The gradients backward() leaves through the learner's loss (`result`, if already
    computed) against the formulas; `where` names the call in a series."""
    if result is None:
        result = linreg.loss_gradients(name, problem.x, problem.weights, problem.bias, problem.y_true)
    loss = result["loss"]
    what = "a tensor without a gradient" if isinstance(loss, torch.Tensor) else type(loss).__name__
    assert result["requires_grad"], (
        f"{where}{name} returned {what}: backward() cannot reach the parameters. Keep the whole "
        "computation in torch (no .item(), .detach(), .data or numpy)."
    )
    slope, formula_w, formula_b = LOSS_GRADIENTS[name]
    x, y_true = problem.x.double(), problem.y_true.double()
    slopes = slope(y_true - problem.y_hat())
    n = slopes.shape[0]
    expected_w = -1 / n * x.T @ slopes
    expected_b = -1 / n * slopes.sum(0)
    # float32 rounds each slope by about the size of what it is computed from
    sizes = 2 * (y_true.abs() + x.abs() @ problem.weights.double().abs() + problem.bias.double().abs())
    sizes = sizes if name == "mse" else torch.ones_like(sizes)
    weights_grad, bias_grad = result["weights_grad"], result["bias_grad"]
    f64 = problem.x.dtype == torch.float64  # float64 inputs: float64's digits
    assert close(weights_grad, expected_w, x.abs().T @ sizes / n, f64), where + _gradient_message(
        name, "weights", weights_grad, expected_w, formula_w
    )
    assert close(bias_grad, expected_b, sizes.sum(0) / n, f64), where + _gradient_message(
        name, "bias", bias_grad, expected_b, formula_b
    )


@pytest.mark.checks("mse")
@given(problems())
def test_mse_gradient(linreg, problem):
    _check_loss_gradient(linreg, "mse", problem)


@pytest.mark.checks("mae")
@given(problems(residuals=AWAY_FROM_ZERO))  # |r| has the derivative sign(r) away from ties
def test_mae_gradient(linreg, problem):
    _check_loss_gradient(linreg, "mae", problem)


@pytest.mark.checks("predict")
@given(backward_cases())
def test_predict_gradient(linreg, case):
    """backward(u) through y_pred = x @ w + b leaves w.grad = x^T u and b.grad = sum(u)."""
    problem, upstream, parameter, layout = case
    x = problem.x
    n, k = x.shape
    result = linreg.predict_gradients(x, problem.weights, problem.bias, upstream, parameter, layout)
    how = ["weights and bias as nn.Parameter"] * parameter + [f"laid out in memory {LAYOUTS[layout]}"] * bool(
        layout
    )
    how = f" ({', '.join(how)})" if how else ""
    shape = tuple(result["value"].shape) if isinstance(result["value"], torch.Tensor) else None
    assert shape == (n, 1), f"predict returned shape {shape}, expected ({n}, 1): see test_predict_values."
    got_w, got_b = result["weights_grad"], result["bias_grad"]
    expected_w = x.double().T @ upstream.double()
    detached = not result["requires_grad"] or got_w is None or not got_w.abs().gt(0).any()
    f64 = x.dtype == torch.float64
    assert close(got_w, expected_w, x.double().abs().T @ upstream.double().abs(), f64), (
        f"backward(u) through predict{how} should leave weights.grad = x^T u = {listed(expected_w)}, "
        f"got {None if got_w is None else listed(got_w)}." + d.likely(d.DETACHED if detached else None)
    )
    no_bias = got_b is None or not got_b.abs().gt(0).any()
    assert close(got_b, upstream.double().sum(0), upstream.double().abs().sum(0), f64), (
        f"backward(u) through predict{how} should leave bias.grad = sum(u) = "
        f"{upstream.sum().item():.6g}, got "
        f"{None if got_b is None else listed(got_b)}."
        + d.likely("the bias is not added, or it is detached" if no_bias else None)
    )


LAYOUT_NAMES = [name for name in LAYOUTS if name]


def _check_loss_gradients_in_a_row(linreg, name):
    """backward() through the learner's loss on every size of the contract, in a row."""
    problems_ = []
    for _, n, k, dtype, s, gen in series(4):
        x, bias = uniform(gen, (n, k), dtype, -s, s), uniform(gen, (1,), dtype, -s, s)
        weights = uniform(gen, (k, 1), dtype, -1.0, 1.0)  # so that float32 rounds y_hat far less than r
        sign = torch.where(torch.rand(n, 1, generator=gen) < 0.5, -1.0, 1.0).to(dtype)
        residuals = sign * uniform(gen, (n, 1), dtype, s / 80, s)  # away from 0, where |r| has no slope
        problems_.append(Problem(x, weights, bias, x @ weights + bias + residuals))
    calls = [  # every other call with nn.Parameter and a y_true not contiguous in memory
        {
            "loss": name,
            "x": p.x,
            "weights": leaf(p.weights, index % 2 == 1),
            "bias": leaf(p.bias, index % 2 == 1),
            "y_true": arranged(p.y_true, LAYOUT_NAMES[index % len(LAYOUT_NAMES)]) if index % 2 else p.y_true,
        }
        for index, p in enumerate(problems_)
    ]
    what = f"{name} and backward() {len(calls)} times in a row"
    sizes = [p.x.numel() + len(p.x) for p in problems_]  # what each call sends, to keep batches small
    replies = linreg.in_a_row("loss_gradients", name, calls, what, sizes)
    for index, (problem, reply) in enumerate(zip(problems_, replies, strict=True)):
        n, k = problem.x.shape
        dtype = str(problem.x.dtype).removeprefix("torch.")
        layout = LAYOUTS[LAYOUT_NAMES[index % len(LAYOUT_NAMES)]]
        how = f" (nn.Parameter, y_true laid out in memory {layout})" if index % 2 else ""
        where = f"call {index + 1} of {len(calls)} in a row, x ({n}, {k}) {dtype}{how}: "
        _check_loss_gradient(linreg, name, problem, gradients_reply(reply, "loss"), where)


@pytest.mark.checks("mse")
def test_mse_gradient_many_calls_in_a_row(linreg):
    _check_loss_gradients_in_a_row(linreg, "mse")


@pytest.mark.checks("mae")
def test_mae_gradient_many_calls_in_a_row(linreg):
    _check_loss_gradients_in_a_row(linreg, "mae")


# --- gradients to every input: x, y_true and the inputs a caller computed -------------------
# A caller may backpropagate into any input: into x (features learned upstream), into y_true
# or a y_pred that is itself a parameter, into weights that are a view of a parameter.
INPUT_CASES = [  # (rows, features or knots, dtype, inputs computed); the hidden checks add the
    (5, 1, torch.float32, False),  # largest of the contract (tests/hidden/test_whole_contract.py)
    (7, 3, torch.float64, True),
    (6, 2, torch.float32, True),
    (3001, 60, torch.float64, False),
]
LARGE = 100_000  # from this many values (n * k), x is drawn up to 1e3 in size, not 10 ...


def _size(n: int, k: int) -> float:
    return 1e3 if n * k >= LARGE else 10.0


def _input_cases(seed: int):
    """(case index, n, k, dtype, computed, generator) of each call of an input-gradient check."""
    for index, (n, k, dtype, computed) in enumerate(INPUT_CASES):
        yield index, n, k, dtype, computed, torch.Generator().manual_seed(seed * 1000 + index)


def _input_words(computed: bool) -> str:
    return "computed from tensors that require grad" if computed else "leaves that require grad"


def _check_input_gradients(
    linreg, function, args, names, expected, scales, computed, upstream=None, value=None
):
    """backward() through function(*args) to every input; with `value` (expected, scale), the
    value it returned too."""
    result = linreg.input_gradients(function, args, computed, upstream)
    described = ", ".join(
        f"{name} {tuple(a.shape)}"
        for name, a in zip(names, args, strict=False)
        if isinstance(a, torch.Tensor)
    )
    f64 = any(isinstance(a, torch.Tensor) and a.dtype == torch.float64 for a in args)
    if value is not None:
        got = result["value"]
        expected_value, scale = value(got) if callable(value) else value
        ok = isinstance(got, torch.Tensor) and got.shape == expected_value.shape
        assert ok and close(got, expected_value, scale, f64), (
            f"{function}({described}), its inputs {_input_words(computed)}, should return "
            f"{listed(expected_value)}, got {listed(got) if isinstance(got, torch.Tensor) else got}."
        )
    for name, got, want, scale in zip(names, result["grads"], expected, scales, strict=False):
        assert close(got, want, scale, f64), (
            f"backward() through {function}({described}), its inputs {_input_words(computed)}: "
            f"d/d {name} should be {listed(want)}, got {None if got is None else listed(got)}. "
            f"The gradient must reach every input that requires grad, and be the true one: keep "
            "the computation in plain torch operations (no .detach(), .data or numbers taken out)."
        )


@pytest.mark.checks("predict")
def test_predict_gradients_reach_every_input(linreg):
    """backward(u) through x @ w + b: d/dx = u w^T, d/dw = x^T u, d/db = sum(u), whether x, w
    and b are leaves or computed."""
    check_predict_input_gradients(linreg, _input_cases(1))


def check_predict_input_gradients(linreg, cases):
    """The input-gradient checks of predict, for cases (index, n, k, dtype, computed, generator)."""
    for _, n, k, dtype, computed, gen in cases:
        x = uniform(gen, (n, k), dtype, -_size(n, k), _size(n, k))
        w, b = uniform(gen, (k, 1), dtype), uniform(gen, (1,), dtype)
        u = uniform(gen, (n, 1), dtype, -1.0, 1.0)
        expected = [u.double() @ w.double().T, x.double().T @ u.double(), u.double().sum(0)]
        scales = [
            u.double().abs() @ w.double().abs().T,
            x.double().abs().T @ u.double().abs(),
            u.abs().sum(0),
        ]
        value = (x.double() @ w.double() + b.double(), x.double().abs() @ w.double().abs() + b.double().abs())
        _check_input_gradients(
            linreg, "predict", [x, w, b], ["x", "weights", "bias"], expected, scales, computed, u, value
        )


def check_loss_input_gradients(linreg, name, cases):
    slope = LOSS_GRADIENTS[name][0]
    for _, n, _, dtype, computed, gen in cases:
        y_pred = uniform(gen, (n, 1), dtype)
        sign = torch.where(torch.rand(n, 1, generator=gen) < 0.5, -1.0, 1.0).to(dtype)
        y_true = y_pred + sign * uniform(gen, (n, 1), dtype, 0.5, 5.0)  # residuals away from 0
        slopes = slope(y_true.double() - y_pred.double()) / n
        scale = 2 * (y_true.double().abs() + y_pred.double().abs()) / n if name == "mse" else slopes.abs()
        _check_input_gradients(
            linreg, name, [y_true, y_pred], ["y_true", "y_pred"], [slopes, -slopes], [scale, scale], computed
        )


@pytest.mark.checks("mse")
def test_mse_gradients_reach_every_input(linreg):
    """d mse / d y_true = 2 (y_true - y_pred) / n, and minus that for y_pred, whatever they are."""
    check_loss_input_gradients(linreg, "mse", _input_cases(2))


@pytest.mark.checks("mae")
def test_mae_gradients_reach_every_input(linreg):
    """d mae / d y_true = sign(y_true - y_pred) / n, and minus that for y_pred, away from ties."""
    check_loss_input_gradients(linreg, "mae", _input_cases(3))


@pytest.mark.checks("hinge_features")
def test_hinge_features_gradients_reach_x(linreg):
    """backward(u) through max(0, x - knot_j): d/dx_i = sum_j u_ij [x_i > knot_j], x away from the
    knots (where the slope is not defined)."""
    check_hinge_input_gradients(linreg, _input_cases(4))


def check_hinge_input_gradients(linreg, cases):
    for _, n, k, dtype, computed, gen in cases:
        knots, x = spaced_knots_and_x(gen, n, k, dtype)
        row = torch.tensor([knots], dtype=torch.float64)
        u = uniform(gen, (n, len(knots)), dtype, -1.0, 1.0)
        expected = (u.double() * (x.double() > row)).sum(1, keepdim=True)

        def value(got, x=x, knots=knots, row=row):  # knots as given, or as torch.tensor(knots) holds them
            return hinges_as_given(got, x, knots), x.double().abs() + row.abs()

        _check_input_gradients(
            linreg,
            "hinge_features",
            [x, knots],
            ["x"],
            [expected],
            [u.double().abs().sum(1, keepdim=True)],
            computed,
            u,
            value,
        )


def spaced_knots_and_x(gen, n: int, count: int, dtype):
    """`count` knots spread over [-50, 50] (each within a fifth of their spacing of an even
    grid), and x (n, 1) over [-60, 60] kept a tenth of the spacing away from every knot,
    where the slope of max(0, x - knot) is not defined."""
    spacing = 100 / count
    grid = -50 + spacing * (torch.arange(count, dtype=torch.float64) + 0.5)
    knots = (grid + uniform(gen, (count,), torch.float64, -0.2, 0.2) * spacing).to(dtype).double()
    x = uniform(gen, (n, 1), torch.float64, -60.0, 60.0)
    near = (x - knots.reshape(1, -1)).abs().min(1, keepdim=True).values < 0.1 * spacing
    x = torch.where(near, x + 0.3 * spacing, x).to(dtype)
    return knots.tolist(), x


# --- several results, one backward() -----------------------------------------------------
# A training step over mini-batches sums their losses and calls backward() once: each
# result must keep its own graph, whatever calls came after it.
BATCHES = [(7, 2), (5, 2), (9, 2)]


def check_batch_gradients(linreg, name: str, seed: int) -> None:
    """`name` (predict, or a loss of x @ w + b computed by the worker) on BATCHES with the same
    parameters, then one backward() through the sum: the sums of the analytic gradients."""
    for dtype in (torch.float32, torch.float64):
        gen = torch.Generator().manual_seed(seed)
        weights, bias = uniform(gen, (2, 1), dtype, -1.0, 1.0), uniform(gen, (1,), dtype)
        batches, expected_w, expected_b, size_w, size_b = [], 0, 0, 0, 0
        for n, k in BATCHES:
            x = uniform(gen, (n, k), dtype)
            sign = torch.where(torch.rand(n, 1, generator=gen) < 0.5, -1.0, 1.0).to(dtype)
            y_true = x @ weights + bias + sign * uniform(gen, (n, 1), dtype, 0.5, 5.0)
            upstream = uniform(gen, (n, 1), dtype, -1.0, 1.0)
            batches.append((x, y_true, upstream))
            if name == "predict":
                slopes, sizes = -upstream.double(), upstream.double().abs()
            else:
                r = y_true.double() - (x.double() @ weights.double() + bias.double())
                slopes = LOSS_GRADIENTS[name][0](r) / n
                sizes = 2 * (y_true.double().abs() + x.double().abs() @ weights.double().abs()) / n
                sizes = sizes if name == "mse" else torch.ones_like(sizes) / n
            expected_w, expected_b = expected_w - x.double().T @ slopes, expected_b - slopes.sum(0)
            size_w, size_b = size_w + x.double().abs().T @ sizes, size_b + sizes.sum(0)
        got = linreg.batch_gradients(name, batches, weights, bias)
        what = "predict(x, weights, bias) * u" if name == "predict" else f"{name}(y_true, x @ weights + bias)"
        where = (
            f"{what} on {len(BATCHES)} batches with the same parameters ({str(dtype)[6:]}), summed, then one "
            "backward(): "
        )
        hint = (
            f" Each result must keep a graph of its own: {name} must not share a tensor between calls (a "
            "buffer, a holder whose .data is swapped)."
        )
        f64 = dtype == torch.float64
        for parameter, got_grad, expected, size in (
            ("weights", got["weights_grad"], expected_w, size_w),
            ("bias", got["bias_grad"], expected_b, size_b),
        ):
            assert close(got_grad, expected, size, f64), (
                where
                + _gradient_message(name, parameter, got_grad, expected, "the sum of each batch's gradient")
                + hint
            )


@pytest.mark.checks("predict")
def test_predict_of_several_batches_in_one_backward(linreg):
    check_batch_gradients(linreg, "predict", 40)


@pytest.mark.checks("mse")
def test_mse_of_several_batches_in_one_backward(linreg):
    check_batch_gradients(linreg, "mse", 41)


@pytest.mark.checks("mae")
def test_mae_of_several_batches_in_one_backward(linreg):
    check_batch_gradients(linreg, "mae", 42)
