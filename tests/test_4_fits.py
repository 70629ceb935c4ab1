"""Layer 4: each step's full fit lands in its target loss band on the NASA data, and every
update of it is one plain gradient step (tests/hidden runs it again on a held-out series).

The worker runs the learner's gradient descent and reports its parameters after every
update; each update and the final loss are checked here (kata.fits).
"""

import math

import pytest
import torch

from kata import data, fits
from kata import diagnoses as d
from kata.learner import leaf
from kata.manifest import STEPS
from tests.strategies import close

FIT_PARAMS = [
    pytest.param(s, marks=[getattr(pytest.mark, s.marker), pytest.mark.needs(*s.fit_functions)], id=s.marker)
    for s in STEPS
]


@pytest.fixture(scope="module")
def nasa_data():
    return data.load_xy()


def fit_advice(losses: list[float]) -> str:
    """Why a fit ended above its band, judged from its loss curve."""
    if len(losses) < 2:
        return "It made a single update." + d.likely(d.STILL_IMPROVING)
    if losses[-1] > losses[0]:
        return f"The loss grew from {losses[0]:.4g} to {losses[-1]:.4g}." + d.likely(d.DIVERGED)
    if len(losses) > 1 and losses[-2] - losses[-1] > 1e-6 * losses[-1]:
        return f"It was still falling by {losses[-2] - losses[-1]:.2g} per iteration." + d.likely(
            d.STILL_IMPROVING
        )
    return "The loss has stopped falling: if the functions' checks pass, the model cannot do better."


def run_fit(linreg, step, x, y) -> fits.FitResult:
    """Run the step's fit with the learner's settings, judged (and replayed) here."""
    try:
        result = fits.run_step(linreg, step, x, y)
    except fits.SettingsError as error:
        pytest.fail(str(error), pytrace=False)
    nan_at_once = result.diverged_at is not None and result.diverged_at <= 1 and math.isnan(result.losses[-1])
    if nan_at_once and result.learning_rate <= 1e3:  # one update of at most 1e3 * gradient overflows nothing
        pytest.fail(
            f"step {step.number}: the loss became {result.losses[-1]} at iteration {result.diverged_at}."
            + d.likely(d.NAN_GRADIENT),
            pytrace=False,
        )
    if result.diverged_at is not None:
        pytest.fail(
            f"step {step.number}: the loss became {result.losses[-1]} at iteration {result.diverged_at} "
            f"(learning rate {result.learning_rate}).{d.likely(d.DIVERGED)} Try a smaller one in "
            f"FIT_SETTINGS[{step.number}].",
            pytrace=False,
        )
    assert not result.problem, f"step {step.number}: {result.problem}."
    return result


def settings_of(result: fits.FitResult) -> str:
    return (
        f'FIT_SETTINGS[{result.step.number}] = {{"learning_rate": {result.learning_rate:g}, '
        f'"num_iter": {result.num_iter}}}'
    )


@pytest.mark.parametrize("step", FIT_PARAMS)
def test_fit(linreg, nasa_data, step):
    x, y = nasa_data
    result = run_fit(linreg, step, x, y)
    loss, low, high = result.final_loss, *step.band
    assert low <= loss <= high, (
        f"step {step.number} ({step.model}, {step.loss}): final loss {loss:.4f}, target {low} to "
        f"{high}, with {settings_of(result)}. "
        + (fit_advice(result.losses) if loss > high else "Below the band: check the loss function.")
    )
    assert not result.off_path, f"step {step.number}: {result.off_path}.{d.likely(d.OFF_PATH)}"
    assert fits.agrees_with_replay(step, loss, result.replayed_loss), (
        f"step {step.number}: your fit ended at {loss:.5f}, but gradient descent on the {step.loss.upper()} "
        f"with {settings_of(result)} ends at {result.replayed_loss:.5f}. Likely cause: the fit "
        f"minimised another loss than {step.loss}, did not run with the settings you gave, or your "
        "functions do more than one plain gradient step per iteration."
    )


@pytest.mark.checks("predict")
def test_predict_on_the_fit_inputs(linreg, nasa_data):
    """predict on all 143 rows, with the parameters of a good fit."""
    x, _ = nasa_data
    weights, bias = torch.tensor([[0.75]]), torch.tensor([-0.35])
    got = linreg.value("predict", x, leaf(weights), leaf(bias))
    assert close(got, x @ weights + bias), (
        "predict(x, weights, bias) on the 143 rows of the NASA data, weights [[0.75]] and bias [-0.35], "
        "does not give x @ weights + bias."
    )
