"""The total time a submission may take when graded, and the learner's warning before it."""

import subprocess
import sys
from types import SimpleNamespace

from kata.learner import Learner
from kata.manifest import LIMITS, ROOT, STEPS
from kata.progress import time_warning

COUNTER = """
def pytest_unconfigure(config):
    from kata.plugin import CODE_UNDER_TEST
    code = config.stash.get(CODE_UNDER_TEST, None)
    print("FIT ITERATIONS", code.learner.fit_iterations if code and code.started else 0)
"""


def test_the_manifest_counts_the_hidden_checks_fit_iterations(tmp_path):
    """hidden_fit_iterations: what the hidden checks fit with settings of their own, besides
    each step's fit again on a held-out series with the learner's settings."""
    (tmp_path / "count_fits.py").write_text(COUNTER)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--impl", "solutions", "tests/hidden", "-p", "count_fits", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    total = int(done.stdout.split("FIT ITERATIONS")[-1].split()[0])
    from solutions.linreg import FIT_SETTINGS  # the reference: the maintainers' own code

    held_out = sum(FIT_SETTINGS[s.number]["num_iter"] for s in STEPS)
    assert total - held_out == LIMITS.hidden_fit_iterations, (
        f"the hidden checks fit {total - held_out} iterations with settings of their own; "
        f"kata/steps.toml says {LIMITS.hidden_fit_iterations}"
    )


def learner_that_took(busy: float, fit_seconds: float, fit_iterations: int) -> Learner:
    learner = Learner.__new__(Learner)  # no worker: only the clock's figures
    learner.busy, learner.fit_seconds, learner.fit_iterations = busy, fit_seconds, fit_iterations
    return learner


def test_the_graded_time_adds_the_held_out_and_hidden_fits():
    learner = learner_that_took(busy=100.0, fit_seconds=40.0, fit_iterations=80_000)
    per_iteration = 40.0 / 80_000
    assert learner.graded_seconds() == 100.0 + 40.0 + per_iteration * LIMITS.hidden_fit_iterations


def test_pytest_warns_a_submission_that_would_run_out_of_time():
    limit = LIMITS.seconds_per_submission
    slow = SimpleNamespace(started=True, learner=learner_that_took(0.6 * limit, 0.0, 0))
    quick = SimpleNamespace(started=True, learner=learner_that_took(0.3 * limit, 0.0, 0))
    warning = " ".join(time_warning(slow))
    assert "Warning" in warning and f"{limit:.0f} s" in warning and "faster" in warning, warning
    assert time_warning(quick) == [], "a submission far within the limit was warned"
