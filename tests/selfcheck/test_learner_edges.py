"""Where a learner gets stuck: pytest started from elsewhere, a file that does not import,
asking for a hint twice."""

import importlib.metadata

import pytest

from kata.manifest import ROOT, STEPS
from tests.selfcheck.helpers import run_kata, run_pytest, with_mistake

BROKEN_MAE = "def mae(y_true, y_pred):\n    return (y_true - y_pred).abs(.mean()\n"


def _installed_as_plugin() -> bool:
    return any(e.name == "kata.options" for e in importlib.metadata.entry_points(group="pytest11"))


@pytest.mark.skipif(not _installed_as_plugin(), reason="needs `pip install -e .` (the pytest11 entry point)")
def test_impl_with_a_space_and_a_path_outside_the_repository(tmp_path):
    outside = tmp_path / "mine"
    outside.mkdir()
    (outside / "linreg.py").write_text((ROOT / "solutions" / "linreg.py").read_text())
    done = run_pytest("--impl", outside / "linreg.py", "-p", "no:cacheprovider", cwd=tmp_path)
    assert done.returncode == 0 and "All 4 steps are done" in done.stdout, done.stdout[-2000:] + done.stderr


def test_pytest_from_the_exercises_folder_runs_the_kata():
    done = run_pytest("-p", "no:cacheprovider", cwd=ROOT / "exercises")
    assert "no tests ran" not in done.stdout and "linreg kata:" in done.stdout, done.stdout[-2000:]
    assert "write `predict`" in done.stdout, done.stdout[-2000:]


def test_a_missing_impl_is_a_usage_error(tmp_path):
    done = run_pytest(f"--impl={tmp_path / 'nowhere' / 'linreg.py'}", "-p", "no:cacheprovider")
    assert done.returncode == 4 and "--impl" in done.stderr and "nowhere" in done.stderr, (
        done.stdout[-1000:] + done.stderr[-1000:]
    )


def test_a_syntax_error_on_step_3_says_cannot_import_on_every_step(tmp_path):
    broken = with_mistake(tmp_path, "linreg", BROKEN_MAE)
    done = run_pytest(f"--impl={broken}", "-p", "no:cacheprovider")
    out = done.stdout
    rows = [line for line in out.splitlines() if line.lstrip().startswith("[")]
    assert len(rows) == len(STEPS) and all("cannot import your linreg.py" in r for r in rows), out[-2000:]
    assert "SyntaxError" in out and ".abs(.mean()" in out and "line" in out, out[-2000:]
    assert "make your linreg.py import again" in out and "Hint (step 1)" not in out, out[-2000:]


def test_hint_twice_the_second_from_the_last_run(tmp_path):
    """The second `kata hint` on an unchanged linreg.py answers from the first one's records,
    without loading pytest or torch (tools/benchmark.py times it)."""
    path = with_mistake(tmp_path, "linreg", "")
    first = run_kata("hint", "--impl", path)
    second = run_kata("-X", "importtime", "-m", "kata", "hint", "--impl", path, module=False)
    assert first.stdout == second.stdout and "All steps are done" in second.stdout, second.stdout
    loaded = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines() if "|" in line}
    assert not {"pytest", "torch"} & loaded, "the second hint ran the checks again"
    with open(path, "a") as changed:
        changed.write("\n# changed\n")
    third = run_kata("-X", "importtime", "-m", "kata", "hint", "--impl", path, module=False)
    assert "pytest" in {line.rsplit("|", 1)[-1].strip() for line in third.stderr.splitlines()}, (
        "after an edit, the hint did not run the checks again"
    )
