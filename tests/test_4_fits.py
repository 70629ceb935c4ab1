"""Layer 4: each step's full fit on the NASA data lands in its target loss band."""

import pytest

from kata import data, training
from kata.manifest import STEPS

FIT_PARAMS = [
    pytest.param(s, marks=[getattr(pytest.mark, s.marker), pytest.mark.needs(*s.fit_functions)], id=s.marker)
    for s in STEPS
]


@pytest.fixture(scope="module")
def nasa_data():
    return data.load_xy()


@pytest.mark.parametrize("step", FIT_PARAMS)
def test_fit(linreg, nasa_data, step):
    x, y = nasa_data
    try:
        result = training.run_step(linreg, step, x, y)
    except (training.SettingsError, training.Diverged) as error:
        pytest.fail(str(error), pytrace=False)
    low, high = step.band
    loss = result.final_loss
    advice = (
        f"It is still falling (by {result.losses[-2] - loss:.2g} in the last iteration): raise "
        "num_iter or the learning rate."
        if len(result.losses) > 1 and result.losses[-2] > loss
        else "Check the functions above, then tune the settings."
    )
    assert low <= loss <= high, (
        f"step {step.number} ({step.model}, {step.loss}): final loss {loss:.4f}, target "
        f"{low} to {high}, with FIT_SETTINGS[{step.number}] = "
        f"{linreg.FIT_SETTINGS[step.number]}. {advice if loss > high else ''}"
    )
