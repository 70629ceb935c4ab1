"""`python -m kata grade`: points per step, reports, and submissions that try to cheat."""

import csv
import json

import pytest

from kata.manifest import ROOT, STEPS
from tests.selfcheck.helpers import run_kata, with_mistake

FULL = sum(s.points for s in STEPS)
WRONG_MSE = "def mse(y_true, y_pred):\n    return ((y_true - y_pred) ** 2).sum()\n"
# name -> (code put before the reference, code appended after it, words of the reason)
CHEATS = {
    "exit_at_import": ("import os\nos._exit(0)\n", "", "no checks ran"),
    "sys_exit_at_import": ("import sys\nsys.exit(0)\n", "", "SystemExit"),
    "pytest_exit_at_import": ("import pytest\npytest.exit('all good', returncode=0)\n", "", "Exit"),
    "allclose_always_true": ("", WRONG_MSE + "torch.allclose = lambda *a, **k: True\n", "torch.allclose"),
    "pytest_reports_pass": (
        "",
        WRONG_MSE + "import _pytest.reports\n"
        "_pytest.reports.TestReport.passed = property(lambda self: True)\n"
        "_pytest.reports.TestReport.failed = property(lambda self: False)\n",
        "_pytest.reports.TestReport",
    ),
    "edits_the_tests": (
        "from pathlib import Path\n"
        "Path('tests/test_1_values.py').write_text('def test_nothing():\\n    assert True, \"\"\\n')\n",
        WRONG_MSE,
        "edited the test files: tests/test_1_values.py",
    ),
    "exits_while_graded": ("", "import os\n\n\ndef mae(y_true, y_pred):\n    os._exit(0)\n", "ended"),
    # Replaces a function the per-test look does not cover, while being graded: the last look sees it.
    "late_patch": (
        "",
        "_mae = mae\n\n\ndef mae(y_true, y_pred):\n"
        "    torch.testing.assert_close = print\n    return _mae(y_true, y_pred)\n",
        "torch.testing.assert_close",
    ),
    # Right on the visible checks' sizes (at most 12 rows) and the shipped data (143), else 0.
    "special_cases_visible_inputs": (
        "",
        "def mae(y_true, y_pred):\n    if len(y_true) <= 12 or len(y_true) == 143:\n"
        "        return (y_true - y_pred).abs().mean()\n    return (y_true - y_pred).sum() * 0\n",
        "test_hidden_mae_fit",
    ),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """name -> grade: the reference, the stubs and every cheat, graded in one run."""
    folder = tmp_path_factory.mktemp("cheats")
    paths = {
        "reference": str(ROOT / "solutions" / "linreg.py"),
        "stubs": str(ROOT / "exercises" / "linreg.py"),
        "wrong_mse": with_mistake(folder, "wrong_mse", WRONG_MSE),
    }
    paths |= {name: with_mistake(folder, name, after, before) for name, (before, after, _) in CHEATS.items()}
    report, book = folder / "grades.json", folder / "grades.csv"
    done = run_kata("grade", *paths.values(), "--json", report, "--csv", book)
    assert done.returncode == 0, done.stdout + done.stderr
    grades = {g["path"]: g for g in json.loads(report.read_text())["submissions"]}
    result = {name: grades[path] for name, path in paths.items()}
    result["_table"], result["_csv"] = done.stdout, list(csv.DictReader(book.open()))
    return result


def test_reference_gets_full_points_stubs_none(graded):
    assert graded["reference"]["points"] == FULL and graded["reference"]["status"] == "pass", graded[
        "reference"
    ]
    assert graded["stubs"]["points"] == 0, graded["stubs"]["steps"]
    steps = {s["step"]: s["points"] for s in graded["wrong_mse"]["steps"]}
    assert 0 < graded["wrong_mse"]["points"] < FULL and steps[1] == 0 and steps[3] > 0, steps


def test_reports_follow_the_documented_format(graded):
    grade = graded["reference"]
    assert {"path", "points", "max_points", "status", "tests"} <= grade.keys()
    assert all({"name", "step", "status", "message"} <= t.keys() for t in grade["tests"])
    rows = {row["submission"]: row for row in graded["_csv"]}
    assert rows[str(ROOT / "solutions" / "linreg.py")]["points"] == str(FULL), rows
    assert "step1" in graded["_table"] and f"{FULL}/{FULL}" in graded["_table"], graded["_table"]


@pytest.mark.parametrize("name", CHEATS)
def test_cheats_score_nothing_on_the_affected_steps(graded, name):
    grade, words = graded[name], CHEATS[name][2]
    reasons = [s["reason"] for s in grade["steps"]]
    if name == "special_cases_visible_inputs":  # only the hidden checks catch it, in step 3
        points = {s["step"]: s["points"] for s in grade["steps"]}
        assert points[3] == 0 and points[1] > 0, grade["steps"]
        assert any(words in r for r in reasons), reasons
        return
    if name == "exits_while_graded":  # mae's checks never report: steps 3 and the fits after it
        lost = {s["step"] for s in grade["steps"] if s["points"] == 0}
        assert 3 in lost and grade["points"] < FULL and any(words in r for r in reasons), grade["steps"]
        return
    assert grade["points"] == 0, f"{name} scored {grade['points']}: {grade['steps']}"
    messages = reasons + [t["message"] for t in grade["tests"]]
    assert any(words in m for m in messages), f"{name}: no reason names {words!r}: {reasons}"


def test_the_instructors_files_are_untouched():
    done = run_kata("stubs", "--check")  # tests/ still as committed is checked by git in CI
    assert done.returncode == 0, done.stdout


def test_step_mode_exit_status_is_the_verdict(tmp_path):
    cheats = [
        with_mistake(tmp_path, name, "", CHEATS[name][0])
        for name in ("exit_at_import", "pytest_exit_at_import")
    ]
    assert run_kata("grade", ROOT / "solutions", "--step", 1).returncode == 0
    for submission in (ROOT / "exercises", *cheats):
        done = run_kata("grade", submission, "--step", 1)
        assert done.returncode == 1, f"--step 1 passed {submission}: {done.stdout}"
