"""Hidden checks: each step's fit again, with the learner's FIT_SETTINGS, on a series the
submission has never seen: the NASA years with another trend and the same optimal loss
(kata.fits.variant), drawn from the submission's bytes and the grader's secret. There, too,
every update must be one plain gradient step and the fit must end where gradient descent
with those settings ends. Correct code passes on any series (tools/variant_grid.py); code
special-cased for the shipped data does not.
"""

from pathlib import Path

import pytest

from kata import data, fits
from tests.test_4_fits import FIT_PARAMS, run_fit, settings_of

# Rotate it for each course (any text): the series a submission meets follow from it.
SECRET = Path(__file__).with_name("secret.txt").read_bytes().strip()
OTHER_DATA = (
    " Likely cause: a function that works only for the shipped series, either by giving special "
    "answers for it or by being wrong for other values (x beyond the shipped years' range, other "
    "knots, other targets)."
)


@pytest.fixture(scope="module")
def nasa_data():
    return data.load_xy()


@pytest.mark.parametrize("step", FIT_PARAMS)
def test_fit_on_held_out_series(linreg, nasa_data, step):
    """The same fit on a series with the same years and optimal loss but another trend."""
    x, y = nasa_data
    seed = fits.variant_seed(linreg.source_bytes, SECRET, f"series of step {step.number}")
    result = run_fit(linreg, step, x, fits.variant(step, x, y, seed))
    where = f"step {step.number}, on a held-out series (the same years with another trend, seed {seed})"
    assert not result.off_path, f"{where}: {result.off_path}.{OTHER_DATA}"
    assert fits.agrees_with_replay(step, result.final_loss, result.replayed_loss), (
        f"{where}: the fit ends at {result.final_loss:.5f}, where gradient descent with "
        f"{settings_of(result)} ends at {result.replayed_loss:.5f}.{OTHER_DATA}"
    )
