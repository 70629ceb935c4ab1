"""The learner's and maintainer's commands: fit, progress, hint, stubs, classroom."""

import pytest
import torch

from kata import fits
from kata.learner import open_learner
from kata.manifest import MAX_NUM_ITER, ROOT, get_step
from tests.selfcheck.helpers import run_kata


def test_fit_step1_prints_the_notebooks_final_loss(tmp_path):
    picture = tmp_path / "fit.png"
    done = run_kata("fit", "--step", 1, "--impl", "solutions", "--plot", picture)
    assert done.returncode == 0 and "Final Loss: 0.093" in done.stdout, done.stdout + done.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "fit --plot did not write a PNG"


def test_fit_on_the_stubs_says_what_to_write():
    done = run_kata("fit", "--step", 1)
    assert done.returncode == 1 and "is not written yet" in done.stdout, done.stdout


def test_generated_files_are_up_to_date():
    for command in ("stubs", "classroom", "gradescope", "classroom50"):
        done = run_kata(command, "--check")
        assert done.returncode == 0, f"`python -m kata {command} --check`: {done.stdout}"


def test_progress_and_hint():
    done = run_kata("progress", "--impl", "solutions")
    done_steps = [line for line in done.stdout.splitlines() if line.endswith("done")]
    assert done.returncode == 0 and len(done_steps) == 4, done.stdout
    hint = run_kata("hint", "2")
    assert get_step(2).hint.splitlines()[0] in hint.stdout, hint.stdout
    first = run_kata("hint")
    assert "Step 1" in first.stdout, f"on the stubs, `hint` should give step 1's hint: {first.stdout}"


def test_num_iter_above_the_cap_is_refused_with_the_limit():
    with pytest.raises(fits.SettingsError, match=str(MAX_NUM_ITER)):
        fits.read_settings({"1": {"learning_rate": 0.1, "num_iter": MAX_NUM_ITER + 1}}, get_step(1))


def test_a_diverging_fit_names_the_iteration():
    x = torch.linspace(0, 1.4, 50).reshape(-1, 1)
    with open_learner(ROOT / "solutions" / "linreg.py") as learner:
        run = learner.fit(x, 2 * x, "mse", None, True, 50.0, 200)
    assert run.diverged_at is not None and run.diverged_at < 200, (
        f"a learning rate of 50 did not diverge: {run}"
    )


def test_settings_in_any_mapping_and_numbers_out_of_range(tmp_path):
    """FIT_SETTINGS may be any mapping (a read-only MappingProxyType here); a learning rate
    too large for a float, or a num_iter of 400 digits, gets the settings message."""
    reference = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    path = tmp_path / "linreg.py"
    path.write_text(
        reference
        + "\nimport types\n\nFIT_SETTINGS = types.MappingProxyType({n: types.MappingProxyType(s) for n, s in "
        "FIT_SETTINGS.items()})\n"
    )
    with open_learner(path) as learner:
        settings = learner.report.settings
    assert fits.read_settings(settings, get_step(2)) == (0.5, 500), settings
    for entry, words in (
        ({"learning_rate": float("inf"), "num_iter": 5}, "ordinary size"),
        ({"learning_rate": 10**400, "num_iter": 5}, "ordinary size"),
        ({"learning_rate": 0.1, "num_iter": 10**400}, "above the limit"),
        ("fast", "must be a mapping"),
    ):
        with pytest.raises(fits.SettingsError, match=words):
            fits.read_settings({"1": entry}, get_step(1))
