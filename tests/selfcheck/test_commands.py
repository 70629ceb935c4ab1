"""The learner's and maintainer's commands: fit, progress, hint, stubs, classroom."""

import torch

from kata import diagnoses, impl, training
from kata.manifest import MAX_NUM_ITER, get_step
from tests.selfcheck.helpers import run_kata


def test_fit_step1_prints_the_notebooks_final_loss(tmp_path):
    picture = tmp_path / "fit.png"
    done = run_kata("fit", "--step", 1, "--impl", "solutions", "--plot", picture)
    assert done.returncode == 0 and "Final Loss: 0.093" in done.stdout, done.stdout + done.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "fit --plot did not write a PNG"


def test_fit_on_the_stubs_says_what_to_write():
    done = run_kata("fit", "--step", 1)
    assert done.returncode == 1 and "predict is not written yet" in done.stdout, done.stdout


def test_generated_files_are_up_to_date():
    for command in ("stubs", "classroom"):
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


def _module_with(settings):
    module = impl.load("solutions")
    module.FIT_SETTINGS = settings
    return module


def test_num_iter_above_the_cap_is_refused_with_the_limit():
    module = _module_with({1: {"learning_rate": 0.1, "num_iter": MAX_NUM_ITER + 1}})
    try:
        training.read_settings(module, get_step(1))
    except training.SettingsError as error:
        assert str(MAX_NUM_ITER) in str(error), str(error)
    else:
        raise AssertionError("num_iter above the cap was accepted")


def test_a_diverging_fit_names_the_iteration():
    module = impl.load("solutions")
    x = torch.linspace(0, 1.4, 50).reshape(-1, 1)
    try:
        training.fit(module, get_step(2), x, 2 * x, 50.0, 200)
    except training.Diverged as error:
        assert diagnoses.DIVERGED in str(error) and f"iteration {error.iteration}" in str(error), str(error)
    else:
        raise AssertionError("a learning rate of 50 did not diverge")
