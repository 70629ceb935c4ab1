"""Layer 3: what step and zero_grads do to parameters and their gradients."""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from tests.strategies import AWAY_FROM_ZERO, LEARNING_RATES, close, parameter_lists, shape_of


def _call_step(linreg, params, learning_rate):
    try:
        linreg.step(params, learning_rate)
    except RuntimeError as error:
        if "leaf Variable that requires grad" in str(error):
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
    before = [(p.detach().clone(), p.grad.clone()) for p in params]
    _call_step(linreg, params, learning_rate)
    for i, (p, (old, grad)) in enumerate(zip(params, before, strict=True)):
        expected = old - learning_rate * grad
        got = p.detach()
        assert close(got, expected), (
            f"step(params, {learning_rate}): parameter {i} of {len(params)} should become "
            f"{expected.flatten().tolist()}, got {got.flatten().tolist()}: "
            + (_step_mistake(got, old, grad, learning_rate, i) or "check the update rule.")
        )


@pytest.mark.checks("step")
@given(parameter_lists(), LEARNING_RATES)
def test_step_keeps_parameters_trainable(linreg, params, learning_rate):
    _call_step(linreg, params, learning_rate)
    for i, p in enumerate(params):
        assert p.is_leaf and p.requires_grad and p.grad_fn is None, (
            f"after step, parameter {i} is no longer a leaf that requires grad "
            f"(is_leaf={p.is_leaf}, requires_grad={p.requires_grad}). Likely cause: the update "
            "was recorded by autograd; do it inside `with torch.no_grad():` or on p.data."
        )
    loss = sum((p**2).sum() for p in params)
    for p in params:
        p.grad = None
    loss.backward()
    for i, p in enumerate(params):
        assert p.grad is not None and close(p.grad, 2 * p.detach()), (
            f"after step, backward() no longer gives parameter {i} its gradient."
        )


@pytest.mark.checks("step")
def test_step_updates_in_place(linreg):
    """Whatever step returns is ignored: it must work in place."""
    p = torch.ones(2, 1, requires_grad=True)
    p.grad = torch.ones(2, 1)
    returned = linreg.step([p], 0.5)
    assert close(p.detach(), torch.full((2, 1), 0.5)), (
        f"step([p], 0.5) with p = 1 and p.grad = 1 should leave p = 0.5 in place, got "
        f"{p.detach().flatten().tolist()} (it returned {shape_of(returned)}). The fit ignores "
        "what step returns: change each parameter in place."
    )


def _fresh_gradient_pass(params, scale):
    """Backward through sum(scale * p**2): each p.grad should become 2 * scale * p."""
    loss = sum((scale * p**2).sum() for p in params)
    loss.backward()


@pytest.mark.checks("zero_grads")
@given(parameter_lists(elements=AWAY_FROM_ZERO))
def test_zero_grads_gives_fresh_gradients(linreg, params):
    values = [p.detach().clone() for p in params]
    _fresh_gradient_pass(params, 3.0)
    linreg.zero_grads(params)
    for i, (p, value) in enumerate(zip(params, values, strict=True)):
        assert torch.equal(p.detach(), value), (
            f"zero_grads changed parameter {i} itself: from {value.flatten().tolist()} to "
            f"{p.detach().flatten().tolist()}." + d.likely(d.ZEROED_PARAMETER)
        )
    _fresh_gradient_pass(params, 1.0)
    for i, (p, value) in enumerate(zip(params, values, strict=True)):
        expected = 2 * value
        assert p.grad is not None and close(p.grad, expected), (
            f"after zero_grads and a new backward(), parameter {i} of {len(params)} should have "
            f"grad {expected.flatten().tolist()}, got "
            f"{None if p.grad is None else p.grad.flatten().tolist()}."
            + d.likely(d.ACCUMULATING)
            + " Zero every p.grad (p.grad.zero_()) or set it to None."
        )
