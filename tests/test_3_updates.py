"""Layer 3: what step and zero_grads do to parameters and their gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from kata.learner import MODE_WORDS, LearnerFailure, leaf, zero_grads_reply
from tests.strategies import (
    AWAY_FROM_ZERO,
    DTYPES,
    LAYOUTS,
    LEARNING_RATES,
    MAX_FEATURES,
    MAX_PARAM_VALUES,
    RATES,
    agree,
    close,
    listed,
    parameter_lists,
    series,
    shape_of,
    uniform,
)


def _call_step(linreg, values, grads, learning_rate):
    try:
        return linreg.step(values, grads, learning_rate)
    except LearnerFailure as failure:
        if "leaf Variable that requires grad" in failure.reply.error.get("message", ""):
            pytest.fail(
                "step raised: a leaf Variable that requires grad is being used in an in-place "
                "operation." + d.likely(d.LEAF_IN_PLACE) + " Wrap the update in "
                "`with torch.no_grad():` (or update p.data).",
                pytrace=False,
            )
        raise


def expected_update(old, grad, learning_rate):
    """old - learning_rate * grad in float64, and the size float32 rounds it by."""
    old, grad = old.double(), grad.double()
    return old - learning_rate * grad, old.abs() + learning_rate * grad.abs()


def update_agrees(got, old, grad, learning_rate) -> torch.Tensor:
    """Elementwise, whether `got` is old - learning_rate * grad: within float32's rounding, or
    float64's for float64 parameters (whose rate may have been taken into a float32 tensor,
    torch.tensor(learning_rate), and kept float32's digits of it). learning_rate: a number, or
    a float64 tensor that broadcasts (one rate per update)."""
    f64 = old.dtype == torch.float64
    old, grad = old.double(), grad.double()
    rate = torch.as_tensor(learning_rate, dtype=torch.float64)
    scale = old.abs() + rate * grad.abs()
    ok = agree(got, old - rate * grad, scale, f64)
    if f64:
        ok |= agree(got, old - rate.float().double() * grad, scale, True)
    return ok


def update_close(got, old, grad, learning_rate) -> bool:
    """update_agrees everywhere, for a tensor of old's shape."""
    if not isinstance(got, torch.Tensor) or got.shape != old.shape:
        return False
    return bool(update_agrees(got, old, grad, float(learning_rate)).all())


def _step_mistake(p, old, grad, learning_rate, index) -> str | None:
    """Name the mistake when a parameter did not become old - learning_rate * grad."""
    old, grad = old.double(), grad.double()
    scale = old.abs() + learning_rate * grad.abs() + grad.abs()
    if close(p, old):
        first_only = " Every parameter in the list must be updated." if index > 0 else ""
        return f"it was not changed.{d.likely(d.NOT_IN_PLACE)}{first_only}"
    if close(p, old + learning_rate * grad, scale):
        return "it moved against the descent direction." + d.likely(d.UPHILL)
    if close(p, old - grad, scale):
        return d.likely(d.NO_LEARNING_RATE).strip()
    return None


@pytest.mark.checks("step")
@given(parameter_lists(), LEARNING_RATES)
def test_step_moves_against_the_gradient(linreg, params, learning_rate):
    values, grads = params
    after = _call_step(linreg, values, grads, learning_rate)["params"]
    for i, (got, old, grad) in enumerate(zip(after, values, grads, strict=True)):
        expected, scale = expected_update(old, grad, learning_rate)
        dtype = str(old.dtype).removeprefix("torch.")
        assert update_close(got, old, grad, learning_rate), (
            f"step(params, {learning_rate:g}): parameter {i} of {len(values)} ({dtype}) should become "
            f"{listed(expected)}, got {listed(got) if isinstance(got, torch.Tensor) else got}: "
            + (_step_mistake(got, old, grad, learning_rate, i) or "check the update rule.")
        )


@pytest.mark.checks("step")
@given(parameter_lists(), LEARNING_RATES)
def test_step_keeps_parameters_trainable(linreg, params, learning_rate):
    values, grads = params
    result = _call_step(linreg, values, grads, learning_rate)
    for i, trainable in enumerate(result["trainable"]):
        assert trainable, (
            f"after step, parameter {i} is no longer a leaf that requires grad. Likely cause: the update "
            "was recorded by autograd; do it inside `with torch.no_grad():` or on p.data."
        )
    regrads = result["regrads"]
    for i, p in enumerate(result["params"]):
        got = regrads[i] if regrads else None
        assert close(got, 2 * p), f"after step, backward() no longer gives parameter {i} its gradient."


@pytest.mark.checks("step")
def test_step_updates_in_place(linreg):
    """Whatever step returns is ignored: it must work in place."""
    result = _call_step(linreg, [torch.ones(2, 1)], [torch.ones(2, 1)], 0.5)
    got = result["params"][0]
    assert close(got, torch.full((2, 1), 0.5)), (
        f"step([p], 0.5) with p = 1 and p.grad = 1 should leave p = 0.5 in place, got "
        f"{got.flatten().tolist()} (it returned {shape_of(result['returned'])}). The fit ignores "
        "what step returns: change each parameter in place."
    )


@pytest.mark.checks("zero_grads")
@given(parameter_lists(elements=AWAY_FROM_ZERO))
def test_zero_grads_gives_fresh_gradients(linreg, params):
    """backward() of sum(3 p^2), zero_grads, backward() of sum(p^2): each grad must be 2 p."""
    values, _ = params
    result = linreg.zero_grads(values, 3.0)
    for i, (p, value) in enumerate(zip(result["params"], values, strict=True)):
        assert isinstance(p, torch.Tensor) and torch.equal(p, value), (
            f"zero_grads changed parameter {i} itself: from {listed(value)} to "
            f"{listed(p) if isinstance(p, torch.Tensor) else p}." + d.likely(d.ZEROED_PARAMETER)
        )
    for i, (grad, value) in enumerate(zip(result["grads"], values, strict=True)):
        expected = 2 * value
        assert close(grad, expected, 0.0, value.dtype == torch.float64), (
            f"after zero_grads and a new backward(), parameter {i} of {len(values)} should have "
            f"grad {listed(expected)}, got {listed(grad) if isinstance(grad, torch.Tensor) else grad}."
            + d.likely(d.ACCUMULATING)
            + " Zero every p.grad (p.grad.zero_()) or set it to None."
        )


UPDATES_IN_A_ROW = 150


@pytest.mark.checks("step")
@pytest.mark.parametrize(
    "dtype, parameter, laid_out",
    [(torch.float32, False, ""), (torch.float64, True, "gaps"), (torch.float32, True, "column_major")],
    ids=["float32", "float64-nn.Parameter-gradients-with-gaps", "float32-nn.Parameter-gradients-transposed"],
)
def test_step_many_updates_in_a_row(linreg, dtype, parameter, laid_out):
    """UPDATES_IN_A_ROW updates of the same parameters, as a fit makes them, each with its own
    gradients and a learning rate from 1e-6 to 1e3 (a float, or a whole number): each must be
    p - rate * p.grad from the parameters the update before left. Parameters may be
    torch.nn.Parameter, of any shape, gradients laid out anyhow in memory, rates NumPy numbers."""
    gen = torch.Generator().manual_seed(5)
    shapes = [(MAX_FEATURES, 1), (3, 1), (2, 3), (), (1,), (1, 1), (2, 2, 2), (1, 2, 1, 2), (5,), (4, 1)]
    low, high = RATES
    spread = torch.rand(UPDATES_IN_A_ROW, generator=gen, dtype=torch.float64)
    rates = (low * (high / low) ** spread).tolist()
    rates[:2] = [low, high]  # the contract's ends, exactly
    rates[2:7] = [1, 3, 10, 100, int(high)]  # Python ints are numbers too
    rates[7:10] = [np.float64(0.25), np.int64(2), np.float32(0.5)]  # and NumPy's (a rate from np.logspace)
    if parameter:  # the other ways of holding parameters: fewer updates show it as well
        rates = rates[:100]
    check_updates_in_a_row(linreg, gen, shapes, dtype, rates, parameter, laid_out)


def check_updates_in_a_row(
    linreg, gen, shapes, dtype, rates, parameter, laid_out, mode="grad", params_laid_out=""
):
    """step on parameters of `shapes`, once per rate of `rates`, in a row on the same
    parameters (each call under `mode`: "grad", "no_grad" or "inference"; the gradients, and
    the parameters, laid out in memory as `laid_out` and `params_laid_out` say)."""
    params = [uniform(gen, shape, dtype) for shape in shapes]
    grads = [[uniform(gen, tuple(p.shape), dtype) for p in params] for _ in rates]
    after = linreg.updates(params, grads, rates, parameter, laid_out, mode, params_laid_out)
    how = ", ".join(
        ["as nn.Parameter"] * parameter
        + [f"laid out {LAYOUTS[params_laid_out]}"] * bool(params_laid_out)
        + [f"gradients laid out {LAYOUTS[laid_out]}"] * bool(laid_out)
        + [MODE_WORDS[mode].strip()] * (mode != "grad")
    )
    how = f" ({how})" if how else ""
    first = _first_wrong_update(after, params, grads, rates)
    # The first wrong update, said in full; every update, where they cannot be judged at once.
    for t in range(len(rates)) if first is None else range(first, min(first + 1, len(rates))):
        now, update, rate = after[t], grads[t], rates[t]
        before = after[t - 1] if t else params
        for i, (got, old, grad) in enumerate(zip(now, before, update, strict=True)):
            expected, scale = expected_update(old, grad, rate)
            assert update_close(got, old, grad, rate), (
                f"update {t + 1} of {len(rates)} in a row on the same parameters "
                f"({str(dtype)[6:]}){how}, "
                f"learning rate {rate:.3g}: parameter {i} should become {listed(expected)}, got "
                f"{listed(got) if isinstance(got, torch.Tensor) else got}: "
                + (_step_mistake(got, old, grad, rate, i) or "check the update rule.")
                + (
                    f" The {t} updates before it were right: does step keep something from one call to "
                    "the next (a velocity, a count), or treat this learning rate differently?"
                    if t
                    else ""
                )
            )


# Autograd turned off by the caller, as in `with torch.no_grad(): step(params, rate)`. Not
# torch.inference_mode(): a gradient or parameter made there is an inference tensor, which
# the next backward() cannot update, whoever wrote the code (p.grad = torch.zeros_like(p)).
AUTOGRAD_OFF = {"no_grad": "torch.no_grad"}


@pytest.mark.checks("step")
@pytest.mark.parametrize("mode", list(AUTOGRAD_OFF), ids=list(AUTOGRAD_OFF.values()))
def test_step_with_autograd_off(linreg, mode):
    """A training loop may call step with autograd already off (`with torch.no_grad():`): the
    same updates, many in a row, on plain tensors and on nn.Parameter."""
    gen = torch.Generator().manual_seed(8)
    low, high = RATES
    rates = (low * (high / low) ** torch.rand(40, generator=gen, dtype=torch.float64)).tolist()
    shapes = [(3, 1), (1,), (2, 3)]
    check_updates_in_a_row(linreg, gen, shapes, torch.float32, rates[:20], False, "", mode)
    check_updates_in_a_row(linreg, gen, shapes, torch.float64, rates[20:], True, "", mode)


@pytest.mark.checks("zero_grads")
@pytest.mark.parametrize("mode", list(AUTOGRAD_OFF), ids=list(AUTOGRAD_OFF.values()))
def test_zero_grads_with_autograd_off(linreg, mode):
    """zero_grads called with autograd already off clears the gradients all the same, call
    after call."""
    gen = torch.Generator().manual_seed(9)
    cases = [[uniform(gen, shape, torch.float32, 0.5, 4.0) for shape in ((3, 1), (1,))] for _ in range(10)]
    calls = [{"params": [leaf(p) for p in values], "scale": 3.0, "mode": mode} for values in cases]
    check_zero_grads_in_a_row(
        linreg,
        cases,
        calls,
        f"zero_grads {len(calls)} times in a row{MODE_WORDS[mode]}",
        how=lambda index: MODE_WORDS[mode],
        hint=lambda index: " zero_grads must clear every p.grad however it is called.",
    )


def check_zero_grads_in_a_row(linreg, cases, calls, what: str, how, hint) -> None:
    """zero_grads once per entry of `calls` (on the parameters of `cases`), in a row in one
    worker: after each, a new backward() of sum(p ** 2) must leave each grad 2 p. how(index)
    and hint(index) add to the message of the call that fails."""
    replies = linreg.in_a_row("zero_grads", "zero_grads", calls, what)
    for index, (values, reply) in enumerate(zip(cases, replies, strict=True)):
        result = zero_grads_reply(reply)
        grads = result["grads"] + [None] * (len(values) - len(result["grads"]))
        for i, (grad, value) in enumerate(zip(grads, values, strict=True)):
            assert close(grad, 2 * value, 0.0, value.dtype == torch.float64), (
                f"call {index + 1} of {len(calls)} in a row{how(index)}: after zero_grads and a new "
                f"backward(), parameter {i} of {len(values)} should have grad {listed(2 * value)}, got "
                f"{listed(grad) if isinstance(grad, torch.Tensor) else grad}."
                + d.likely(d.ACCUMULATING)
                + hint(index)
            )


@pytest.mark.checks("step")
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_step_on_the_largest_parameters(linreg, dtype):
    """Parameters of up to MAX_PARAM_VALUES values each, beside small ones, a few updates in a
    row, in float32 and float64."""
    gen = torch.Generator().manual_seed(12 + (dtype == torch.float64))
    shapes = [(MAX_PARAM_VALUES,), (3, 1), (MAX_PARAM_VALUES // 10, 10), (257,), ()]
    check_updates_in_a_row(linreg, gen, shapes, dtype, [0.1, 3, 1e-3, 0.5], dtype == torch.float64, "")


PARAMETER_LAYOUTS = ["column_major", "gaps"]  # a transposed weight; a slice of a larger tensor


@pytest.mark.checks("step")
@pytest.mark.parametrize("layout", PARAMETER_LAYOUTS)
def test_step_on_parameters_laid_out_anyhow(linreg, layout):
    """Parameters that do not lie contiguously in memory (a transposed weight, a slice of a
    larger tensor) are updated in place all the same, many times in a row."""
    gen = torch.Generator().manual_seed(10)
    low, high = RATES
    rates = (low * (high / low) ** torch.rand(20, generator=gen, dtype=torch.float64)).tolist()
    shapes = [(3, 2), (2, 2, 3), (4, 1), (5,)]
    parameter = layout == "gaps"
    check_updates_in_a_row(linreg, gen, shapes, torch.float32, rates, parameter, "", params_laid_out=layout)


@pytest.mark.checks("zero_grads")
@pytest.mark.parametrize("layout", PARAMETER_LAYOUTS)
def test_zero_grads_on_parameters_laid_out_anyhow(linreg, layout):
    """zero_grads clears the gradients of parameters that do not lie contiguously in memory
    (their gradients lie as they do), call after call."""
    gen = torch.Generator().manual_seed(11)
    cases = [
        [uniform(gen, shape, torch.float32, 0.5, 4.0) for shape in ((3, 2), (2, 2, 3))] for _ in range(6)
    ]
    calls = [{"params": [leaf(p, layout=layout) for p in values], "scale": 3.0} for values in cases]
    check_zero_grads_in_a_row(
        linreg,
        cases,
        calls,
        f"zero_grads {len(calls)} times in a row, parameters laid out {LAYOUTS[layout]}",
        how=lambda index: f", parameters laid out {LAYOUTS[layout]}",
        hint=lambda index: (
            " Clear p.grad itself (p.grad = None, or p.grad.zero_()): a reshape of it may be a copy."
        ),
    )


def _first_wrong_update(after, params, grads, rates) -> int | None:
    """The first update (0-based) after which a parameter is not p - rate * p.grad from what
    the update before left, judged for all updates at once (len(rates) when none is; None
    when some update left a parameter that is not a tensor of its shape: judge each update)."""
    shapes = [tuple(p.shape) for p in params]
    if any(len(row) != len(shapes) for row in after) or not all(
        isinstance(got, torch.Tensor) and tuple(got.shape) == shape
        for row in after
        for got, shape in zip(row, shapes, strict=True)
    ):
        return None
    first = len(rates)
    for i, start in enumerate(params):
        got = torch.stack([row[i].double() for row in after])
        old = torch.cat([start.double()[None], got[:-1]])
        grad = torch.stack([update[i].double() for update in grads])
        rate = torch.tensor([float(r) for r in rates], dtype=torch.float64).reshape(-1, *[1] * len(shapes[i]))
        good = (
            update_agrees(got, old.to(start.dtype), grad.to(start.dtype), rate).reshape(len(rates), -1).all(1)
        )
        wrong = (~good).nonzero()
        first = min(first, int(wrong[0]) if len(wrong) else first)
    return first


@pytest.mark.checks("zero_grads")
def test_zero_grads_many_calls_in_a_row(linreg):
    """zero_grads on parameters of every size, float32 and float64, in one worker, in a row."""
    cases = []
    for index, n, k, dtype, _, gen in series(6):
        shapes = [(min(n, MAX_FEATURES), 1), (1,), (2, 3), (), (2, 2, 2), (1, 3, 1, 2)][: 1 + index % 6]
        shapes = shapes * (1 + (k > 4)) + [(10, 10, 10)] * (index % 5 == 4)  # up to 13, one of 1000 values
        sign = [torch.where(torch.rand(s, generator=gen) < 0.5, -1.0, 1.0).to(dtype) for s in shapes]
        cases.append([si * uniform(gen, s, dtype, 0.125, 10.0) for si, s in zip(sign, shapes, strict=True)])
    calls = [
        {"params": [leaf(p, index % 2 == 1) for p in values], "scale": 3.0}
        for index, values in enumerate(cases)
    ]
    check_zero_grads_in_a_row(
        linreg,
        cases,
        calls,
        f"zero_grads {len(calls)} times in a row",
        how=lambda index: " (nn.Parameter)" * (index % 2),
        hint=lambda index: f" The {index} calls before it were right." if index else "",
    )
