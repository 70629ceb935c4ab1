"""Layer 2: backpropagation through each function gives the analytic gradients."""

import pytest
import torch
from hypothesis import given

from kata import diagnoses as d
from tests.strategies import AWAY_FROM_ZERO, close, problems


def _backward(linreg, loss_name, problem):
    """Run backward() through the learner's loss; return (weights.grad, bias.grad)."""
    loss = getattr(linreg, loss_name)(problem.y_true, problem.y_hat())
    what = "a tensor without a gradient" if isinstance(loss, torch.Tensor) else type(loss).__name__
    assert isinstance(loss, torch.Tensor) and loss.requires_grad, (
        f"{loss_name} returned {what}: backward() cannot reach the parameters. Keep the whole "
        "computation in torch (no .item(), .detach(), .data or numpy)."
    )
    loss.backward()
    return problem.weights.grad, problem.bias.grad


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
    weights_grad, bias_grad = _backward(linreg, name, problem)
    slope, formula_w, formula_b = LOSS_GRADIENTS[name]
    slopes = slope(problem.y_true - problem.y_hat().detach())
    n = slopes.shape[0]
    expected_w = -1 / n * problem.x.T @ slopes
    expected_b = -1 / n * slopes.sum(0)
    assert weights_grad is not None and close(weights_grad, expected_w), _gradient_message(
        name, "weights", weights_grad, expected_w, formula_w
    )
    assert bias_grad is not None and close(bias_grad, expected_b), _gradient_message(
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
@given(problems())
def test_predict_jacobian(linreg, problem):
    x = problem.x
    n, k = x.shape
    jac_w, jac_b = torch.autograd.functional.jacobian(
        lambda w, b: linreg.predict(x, w, b), (problem.weights, problem.bias)
    )
    assert tuple(jac_w.shape) == (n, 1, k, 1), (
        f"predict returned shape {tuple(jac_w.shape[:2])}, expected ({n}, 1): see test_predict_values."
    )
    # d y_pred[i] / d weights[j] = x[i, j], and d y_pred[i] / d bias = 1.
    detached = not jac_w.abs().gt(0).any()
    assert close(jac_w.reshape(n, k), x), (
        "d predict / d weights should equal x (row i, column j: x[i, j]), got "
        f"{jac_w.reshape(n, k).tolist()}." + d.likely(d.DETACHED if detached else None)
    )
    no_bias = not jac_b.abs().gt(0).any()
    assert close(jac_b.reshape(n, 1), torch.ones(n, 1, dtype=x.dtype)), (
        f"d predict / d bias should be 1 for every row, got {jac_b.reshape(n).tolist()}."
        + d.likely("the bias is not added, or it is detached" if no_bias else None)
    )
