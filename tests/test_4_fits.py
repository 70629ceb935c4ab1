"""Layer 4: each step's full fit on the NASA data lands in its target loss band."""

import pytest

from kata import data, training
from kata import diagnoses as d
from kata.manifest import STEPS

FIT_PARAMS = [
    pytest.param(s, marks=[getattr(pytest.mark, s.marker), pytest.mark.needs(*s.fit_functions)], id=s.marker)
    for s in STEPS
]


@pytest.fixture(scope="module")
def nasa_data():
    return data.load_xy()


def fit_advice(losses: list[float]) -> str:
    """Why a fit ended above its band, judged from its loss curve."""
    if losses[-1] > losses[0]:
        return f"The loss grew from {losses[0]:.4g} to {losses[-1]:.4g}." + d.likely(d.DIVERGED)
    if len(losses) > 1 and losses[-2] - losses[-1] > 1e-6 * losses[-1]:
        return f"It was still falling by {losses[-2] - losses[-1]:.2g} per iteration." + d.likely(
            d.STILL_IMPROVING
        )
    return "The loss has stopped falling: if the functions' checks pass, the model cannot do better."


@pytest.mark.parametrize("step", FIT_PARAMS)
def test_fit(linreg, nasa_data, step):
    x, y = nasa_data
    try:
        result = training.run_step(linreg, step, x, y)
    except (training.SettingsError, training.Diverged) as error:
        pytest.fail(str(error), pytrace=False)
    low, high = step.band
    loss = result.final_loss
    assert low <= loss <= high, (
        f"step {step.number} ({step.model}, {step.loss}): final loss {loss:.4f}, target {low} to "
        f"{high}, with FIT_SETTINGS[{step.number}] = {linreg.FIT_SETTINGS[step.number]}. "
        + (fit_advice(result.losses) if loss > high else "Below the band: check the loss function.")
    )
