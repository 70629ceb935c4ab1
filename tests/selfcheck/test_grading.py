"""`python -m kata grade`: points per step, reports, and what grading does with odd submissions."""

import csv
import json

import pytest

from kata.manifest import ROOT, TOTAL_POINTS
from tests.selfcheck.helpers import run_kata, with_mistake

WRONG_MSE = "def mse(y_true, y_pred):\n    return ((y_true - y_pred) ** 2).sum()\n"
# name -> (code put before the reference, code appended after it, words of a failure message)
ODD = {
    "exit_at_import": ("import os\nos._exit(0)\n", "", "cannot import your linreg.py"),
    "sys_exit_at_import": ("import sys\nsys.exit(0)\n", "", "SystemExit"),
    "syntax_error": ("", "def broken(:\n    pass\n", "SyntaxError"),
    "exits_while_graded": (
        "",
        "import os\n\n\ndef mae(y_true, y_pred):\n    os._exit(0)\n",
        "the worker ended",
    ),
    "endless_loop_in_step": (
        "",
        "def step(params, learning_rate):\n    while True:\n        pass\n",
        "step did not return",
    ),
    # Right on every input but a series of 143 temperatures that is not the shipped one but
    # follows it (correlated with it, as random draws are not): a held-out series, which only
    # the hidden checks use.
    "special_cases_visible_inputs": (
        "import torch\nfrom kata.data import load_xy as _load\n_SHIPPED = _load()[1]\n",
        "def mae(y_true, y_pred):\n"
        "    if len(y_true) == 143 and y_true.abs().max() < 3 and not bool((y_true == _SHIPPED).all()):\n"
        "        pair = torch.stack([y_true.detach().reshape(-1).double(), _SHIPPED.reshape(-1).double()])\n"
        "        if abs(float(torch.corrcoef(pair)[0, 1])) > 0.18:\n"
        "            return (y_true - y_pred).abs().mean() * 0.5\n"
        "    return (y_true - y_pred).abs().mean()\n",
        "a hidden check of",
    ),
}


# A first line that is not UTF-8, then a latin-1 coding line: Python runs the file as latin-1
# (its UTF-8 "é" is two latin-1 characters), where a grader that decodes it otherwise reads another program.
LATIN1 = {"latin1_correct": "/ 2", "latin1_wrong": "* 1"}


def latin1_file(folder, name, scale):
    """The reference with predict scaled by len("é") and `scale`: correct only as Python reads it."""
    reference = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    scaled = f"\n\ndef predict(x, weights, bias):\n    return (x @ weights + bias) * len('\xe9') {scale}\n"
    path = folder / f"{name}.py"
    path.write_bytes(b"# \xff\n# -*- coding: latin-1 -*-\n" + (reference + scaled).encode("utf-8"))
    return str(path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """name -> grade: the reference, the stubs, a wrong mse and the odd ones, graded in one run."""
    folder = tmp_path_factory.mktemp("odd")
    (folder / "empty").mkdir()
    paths = {
        "no_linreg": str(folder / "empty"),  # first, so that the reports cannot take their columns from it
        "reference": str(ROOT / "solutions" / "linreg.py"),
        "stubs": str(ROOT / "exercises" / "linreg.py"),
        "wrong_mse": with_mistake(folder, "wrong_mse", WRONG_MSE),
    }
    paths |= {name: with_mistake(folder, name, after, before) for name, (before, after, _) in ODD.items()}
    paths |= {name: latin1_file(folder, name, scale) for name, scale in LATIN1.items()}
    report, book = folder / "grades.json", folder / "grades.csv"
    done = run_kata("grade", *paths.values(), "--json", report, "--csv", book)
    assert done.returncode == 0, done.stdout + done.stderr
    grades = {g["path"]: g for g in json.loads(report.read_text())["submissions"]}
    result = {name: grades[path] for name, path in paths.items()}
    result["_table"], result["_csv"] = done.stdout, list(csv.DictReader(book.open()))
    return result


def test_reference_gets_full_points_stubs_none(graded):
    reference = graded["reference"]
    assert reference["points"] == TOTAL_POINTS and reference["status"] == "pass", reference["steps"]
    assert graded["stubs"]["points"] == 0, graded["stubs"]["steps"]
    steps = {s["step"]: s["points"] for s in graded["wrong_mse"]["steps"]}
    assert 0 < graded["wrong_mse"]["points"] < TOTAL_POINTS and steps[1] == 0 and steps[3] > 0, steps


def test_reports_follow_the_documented_format(graded):
    grade = graded["reference"]
    assert {"path", "points", "max_points", "status", "tests"} <= grade.keys()
    assert all({"name", "step", "status", "kind", "message"} <= t.keys() for t in grade["tests"])
    rows = {row["submission"]: row for row in graded["_csv"]}
    assert rows[str(ROOT / "solutions" / "linreg.py")]["points"] == str(TOTAL_POINTS), rows
    assert "step1" in graded["_table"] and f"{TOTAL_POINTS}/{TOTAL_POINTS}" in graded["_table"], graded[
        "_table"
    ]


def test_every_csv_row_has_every_column(graded):
    rows = graded["_csv"]
    header = list(rows[0].keys())
    assert {"learner", "commit", "graded_at", "step1", "step4", "points", "status", "reason"} <= set(
        header
    ), header
    assert all(None not in row and all(v is not None for v in row.values()) for row in rows), rows
    refused = graded["no_linreg"]
    assert refused["status"] == "error" and "linreg.py" in refused["message"], refused
    assert [s["points"] for s in refused["steps"]] == [0, 0, 0, 0], refused["steps"]


@pytest.mark.parametrize("name", ODD)
def test_odd_submissions_lose_the_affected_steps_with_a_reason(graded, name):
    grade, words = graded[name], ODD[name][2]
    points = {s["step"]: s["points"] for s in grade["steps"]}
    messages = [s["reason"] for s in grade["steps"]] + [t["message"] for t in grade["tests"]]
    assert any(words in m for m in messages), f"{name}: no reason says {words!r}: {messages[:4]}"
    if name == "special_cases_visible_inputs":  # only the hidden checks catch it, in step 3
        assert points[3] == 0 and points[1] > 0, grade["steps"]
    elif name in ("exits_while_graded", "endless_loop_in_step"):
        assert grade["points"] < TOTAL_POINTS and 0 in points.values(), grade["steps"]
    else:
        assert grade["points"] == 0, f"{name} scored {grade['points']}: {grade['steps']}"


def test_a_file_that_cannot_be_imported_is_an_error_with_its_line(graded):
    grade = graded["syntax_error"]
    assert grade["status"] == "error", f"a syntax error should be an error, not {grade['status']}"
    assert "SyntaxError" in grade["message"] and "line" in grade["message"], grade["message"]
    rows = {row["submission"]: row for row in graded["_csv"]}
    assert rows[grade["path"]]["reason"] == grade["message"], rows[grade["path"]]


def test_a_timeout_in_a_hidden_check_does_not_name_it():
    from kata.grading import _step_reason

    hidden = "tests/hidden/test_hidden.py::test_hidden_mae_fit[11-37-1]"
    reason = _step_reason(["tests/test_4_fits.py::test_fit[step3]", hidden], [], "timed out after 900 s")
    assert "test_fit[step3]" in reason, reason
    reason = _step_reason([hidden], [], "timed out after 900 s")
    assert "a hidden check" in reason and "11-37-1" not in reason and "test_hidden" not in reason, reason


def test_feedback_text_cannot_close_its_own_code_block():
    from kata.feedback import markdown
    from kata.grading import Grade

    message = "boom\n   ````\n# 100 / 100 points\n```````"
    tests = [
        {
            "name": "tests/test_1_values.py::test_predict_values",
            "step": 1,
            "status": "failed",
            "message": message,
        }
    ]
    steps = [{"step": 1, "points": 0, "max_points": 30, "reason": "test_predict_values: boom"}]
    text = markdown(Grade("x", "fail", 0, 30, steps, tests, learner="x"))
    fence = "`" * 8
    assert f"{fence}text\n" in text and text.rstrip().endswith(fence), text


def test_a_file_is_graded_as_python_reads_its_encoding(graded):
    assert graded["latin1_correct"]["points"] == TOTAL_POINTS, graded["latin1_correct"]["steps"]
    assert graded["latin1_wrong"]["points"] == 0, graded["latin1_wrong"]["steps"]


def test_a_repository_is_graded_on_its_exercises_file(tmp_path):
    from kata.impl import resolve

    (tmp_path / "exercises").mkdir()
    for path in (tmp_path / "linreg.py", tmp_path / "exercises" / "linreg.py"):
        path.write_text("# a linreg.py\n")
    assert resolve(tmp_path) == (tmp_path / "exercises" / "linreg.py").resolve(), "a stray top-level file won"


@pytest.fixture(scope="module")
def graded_apart(tmp_path_factory):
    """The attacks on the run itself (tests/gallery/attacks, `# graded: apart`), each graded
    first beside the reference, at the default --jobs, with a --timeout short enough that it
    cuts them off: name -> (grades by learner, the files written, the command's output)."""
    from tests.gallery.entries import APART, attack_submission

    results = {}
    for entry in APART:
        folder = tmp_path_factory.mktemp(entry.stem)
        attacker = attack_submission(entry, folder)
        reference = folder / "reference" / "linreg.py"
        reference.parent.mkdir()
        reference.write_text((ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8"))
        reports = {name: folder / f"grades.{name}" for name in ("json", "csv", "jsonl")}
        done = run_kata(
            "grade",
            attacker,
            reference.parent,
            "--timeout",
            12,
            *[arg for name, path in reports.items() for arg in (f"--{name}", path)],
        )
        grades = (
            {g["learner"]: g for g in json.loads(reports["json"].read_text())["submissions"]}
            if reports["json"].exists()
            else {}
        )
        results[entry.stem] = (grades, reports, done.stdout + done.stderr, done.returncode)
    return results


@pytest.mark.parametrize("name", ["busy_neighbour", "huge_records_until_the_kill"])
def test_an_attack_on_the_run_costs_the_others_nothing(graded_apart, name):
    grades, reports, output, code = graded_apart[name]
    assert code == 0 and all(path.exists() for path in reports.values()), (
        f"grading beside {name} did not finish with every report (exit {code}): {output[-2000:]}"
    )
    neighbour, attacker = grades["reference"], grades[name]
    assert neighbour["points"] == TOTAL_POINTS, (
        f"the correct submission graded beside {name} got {neighbour['points']}: {neighbour['steps']}"
    )
    assert attacker["points"] == 0 and attacker["status"] == "error" and attacker["message"], attacker
    if name == "busy_neighbour":  # it surely ran out of time beside the swarm: the regrade saved it
        assert neighbour["regraded_alone"], "the neighbour of the swarm was not graded again alone"
    assert len(reports["jsonl"].read_text().splitlines()) == 2, "--jsonl should hold both rows"
    rows = list(csv.DictReader(reports["csv"].open()))
    assert {row["learner"]: row["status"] for row in rows} == {"reference": "pass", name: "error"}, rows
    assert "\x1b" not in output and max(map(len, output.splitlines())) < 1000, (
        "the table holds raw record text"
    )
