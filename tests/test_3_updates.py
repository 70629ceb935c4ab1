"""Layer 3: what step and zero_grads do to parameters and their gradients."""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from kata.learner import LearnerFailure
from tests.strategies import AWAY_FROM_ZERO, LEARNING_RATES, close, parameter_lists, shape_of


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


def _step_mistake(p, old, grad, learning_rate, index) -> str | None:
    """Name the mistake when a parameter did not become old - learning_rate * grad."""
    if close(p, old):
        first_only = " Every parameter in the list must be updated." if index > 0 else ""
        return f"it was not changed.{d.likely(d.NOT_IN_PLACE)}{first_only}"
    if close(p, old + learning_rate * grad):
        return "it moved against the descent direction." + d.likely(d.UPHILL)
    if close(p, old - grad):
        return d.likely(d.NO_LEARNING_RATE).strip()
    return None


@pytest.mark.checks("step")
@given(parameter_lists(), LEARNING_RATES)
def test_step_moves_against_the_gradient(linreg, params, learning_rate):
    values, grads = params
    after = _call_step(linreg, values, grads, learning_rate)["params"]
    for i, (got, old, grad) in enumerate(zip(after, values, grads, strict=True)):
        expected = old - learning_rate * grad
        assert close(got, expected), (
            f"step(params, {learning_rate}): parameter {i} of {len(values)} should become "
            f"{expected.flatten().tolist()}, got {got.flatten().tolist()}: "
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
            f"zero_grads changed parameter {i} itself: from {value.flatten().tolist()} to "
            f"{p.flatten().tolist() if isinstance(p, torch.Tensor) else p}." + d.likely(d.ZEROED_PARAMETER)
        )
    for i, (grad, value) in enumerate(zip(result["grads"], values, strict=True)):
        expected = 2 * value
        assert close(grad, expected), (
            f"after zero_grads and a new backward(), parameter {i} of {len(values)} should have "
            f"grad {expected.flatten().tolist()}, got "
            f"{grad.flatten().tolist() if isinstance(grad, torch.Tensor) else grad}."
            + d.likely(d.ACCUMULATING)
            + " Zero every p.grad (p.grad.zero_()) or set it to None."
        )
