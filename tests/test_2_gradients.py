"""Layer 2: backpropagation through each function gives the analytic gradients.

The worker runs backward() through the learner's function; the expected gradients are
computed here from the formulas.
"""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from tests.strategies import AWAY_FROM_ZERO, close, problems, tensors


def _gradient_message(name, parameter, got, expected, formula):
    if got is None or not got.abs().gt(0).any() and expected.abs().gt(1e-6).any():
        return (
            f"d {name} / d {parameter}: no gradient reached {parameter}: the computation left "
            "torch (.item(), .detach(), .data, numpy) somewhere in between."
        )
    return (
        f"d {name} / d {parameter} should be {formula} = {expected.flatten().tolist()}, "
        f"got {got.flatten().tolist()}."
    )


# d loss / d y_hat = -slope(y - y_hat) / n; then by the chain rule through y_hat = x @ w + b:
# name -> (slope, formula of d loss / d weights, formula of d loss / d bias)
LOSS_GRADIENTS = {
    "mse": (lambda r: 2 * r, "-2/n * x^T (y - y_hat)", "-2/n * sum(y - y_hat)"),
    "mae": (torch.sign, "-1/n * x^T sign(y - y_hat)", "-1/n * sum(sign(y - y_hat))"),
}


def _check_loss_gradient(linreg, name, problem):
    result = linreg.loss_gradients(name, problem.x, problem.weights, problem.bias, problem.y_true)
    loss = result["loss"]
    what = "a tensor without a gradient" if isinstance(loss, torch.Tensor) else type(loss).__name__
    assert result["requires_grad"], (
        f"{name} returned {what}: backward() cannot reach the parameters. Keep the whole "
        "computation in torch (no .item(), .detach(), .data or numpy)."
    )
    slope, formula_w, formula_b = LOSS_GRADIENTS[name]
    slopes = slope(problem.y_true - problem.y_hat())
    n = slopes.shape[0]
    expected_w = -1 / n * problem.x.T @ slopes
    expected_b = -1 / n * slopes.sum(0)
    weights_grad, bias_grad = result["weights_grad"], result["bias_grad"]
    assert close(weights_grad, expected_w), _gradient_message(
        name, "weights", weights_grad, expected_w, formula_w
    )
    assert close(bias_grad, expected_b), _gradient_message(name, "bias", bias_grad, expected_b, formula_b)


@pytest.mark.checks("mse")
@given(problems())
def test_mse_gradient(linreg, problem):
    _check_loss_gradient(linreg, "mse", problem)


@pytest.mark.checks("mae")
@given(problems(residuals=AWAY_FROM_ZERO))  # |r| has the derivative sign(r) away from ties
def test_mae_gradient(linreg, problem):
    _check_loss_gradient(linreg, "mae", problem)


@pytest.mark.checks("predict")
@given(problems(), tensors((12, 1), torch.float64))
def test_predict_gradient(linreg, problem, upstream):
    """backward(u) through y_pred = x @ w + b leaves w.grad = x^T u and b.grad = sum(u)."""
    x = problem.x
    n, k = x.shape
    upstream = upstream[:n].to(x.dtype) + 1  # never all zero
    result = linreg.predict_gradients(x, problem.weights, problem.bias, upstream)
    shape = tuple(result["value"].shape) if isinstance(result["value"], torch.Tensor) else None
    assert shape == (n, 1), f"predict returned shape {shape}, expected ({n}, 1): see test_predict_values."
    got_w, got_b = result["weights_grad"], result["bias_grad"]
    expected_w = x.T @ upstream
    detached = not result["requires_grad"] or got_w is None or not got_w.abs().gt(0).any()
    assert close(got_w, expected_w), (
        f"backward(u) through predict should leave weights.grad = x^T u = {expected_w.flatten().tolist()}, "
        f"got {None if got_w is None else got_w.flatten().tolist()}."
        + d.likely(d.DETACHED if detached else None)
    )
    no_bias = got_b is None or not got_b.abs().gt(0).any()
    assert close(got_b, upstream.sum(0)), (
        f"backward(u) through predict should leave bias.grad = sum(u) = {upstream.sum().item():.6g}, got "
        f"{None if got_b is None else got_b.flatten().tolist()}."
        + d.likely("the bias is not added, or it is detached" if no_bias else None)
    )
