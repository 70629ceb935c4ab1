"""The grader proves itself, on whole submissions graded in one `python -m kata grade` run:
- every right entry gets full points;
- every wrong entry fails, blames its own function and no other, with the expected diagnosis;
- the generated stubs fail every check;
- every attack gets nothing, while a correct submission in the same run gets full points,
  and the run leaves the report files, the checkout and its output clean.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata import diagnoses
from kata.manifest import ROOT, STEPS, TOTAL_POINTS
from tests.gallery.entries import (
    APART,
    ATTACKS,
    REFERENCE,
    RIGHT,
    RUNNABLE_ATTACKS,
    STUBS,
    WRONG,
    attack_submission,
    headers,
    portable_sample,
    whole_submission,
)

# What the attack hidden_inputs_in_error_messages puts in its errors about hidden fits.
HIDDEN_MARKER = "LEAKED-HIDDEN-INPUT"
# The key of the System V memory that shared_memory_outlives_grader.py asks for (0x6b617461).
SHM_KEY = str(0x6B617461)
# Lines that only the reference and the hidden checks contain: none may reach the output.
SECRETS = ("knot_row = torch.as_tensor(knots", "def stable_learning_rate", "CASES = [  # (seed, n, k)")


def _tracked_changes() -> str:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """entry -> graded result, for every gallery entry and the stubs, graded in one run;
    plus the run's output and its report files as they were when it ended and 15 s later."""
    folder = tmp_path_factory.mktemp("gallery")
    before = _tracked_changes()
    out, book = folder / "grades.json", folder / "grades.csv"
    entries = {p: p for p in (*RIGHT, STUBS)} | {p: whole_submission(p, folder) for p in WRONG}
    entries |= {p: attack_submission(p, folder) for p in RUNNABLE_ATTACKS}
    command = [
        sys.executable,
        "-m",
        "kata",
        "grade",
        *map(str, entries.values()),
        "--json",
        str(out),
        "--csv",
        str(book),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    reports = (out.read_bytes(), book.read_bytes())
    time.sleep(15)
    graded = {g["path"]: g for g in json.loads(out.read_text())["submissions"]}
    result = {entry: graded[str(path)] for entry, path in entries.items()}
    result["_run"] = {
        "paths": entries,
        "output": done.stdout + done.stderr,
        "reports": reports,
        "reports_later": (out.read_bytes(), book.read_bytes()),
        "changes": (before, _tracked_changes()),
    }
    return result


def failures(grade: dict) -> list[dict]:
    return [t for t in grade["tests"] if t["status"] == "failed"]


def test_gallery_is_large_enough():
    assert len(RIGHT) >= 8 and len(WRONG) >= 30 and len(ATTACKS) >= 15, (
        f"the gallery needs at least 8 right, 30 wrong and 15 attack entries, has {len(RIGHT)}, "
        f"{len(WRONG)} and {len(ATTACKS)}"
    )


@pytest.mark.parametrize("entry", RIGHT, ids=lambda p: p.stem)
def test_right_entry_passes_every_step(graded, entry):
    grade = graded[entry]
    problems = [f"{t['name']}: {t['message']}" for t in failures(grade)]
    assert grade["points"] == grade["max_points"] and not problems, (
        f"{entry.name} is correct but scored {grade['points']}/{grade['max_points']} "
        f"({grade['message']}): " + "; ".join(problems)
    )


@pytest.mark.parametrize("entry", WRONG, ids=lambda p: p.stem)
def test_wrong_entry_is_rejected_with_its_diagnosis(graded, entry):
    function, diagnosis = headers(entry)["wrong"], headers(entry)["diagnosis"]
    grade = graded[entry]
    failed = failures(grade)
    assert grade["status"] == "fail" and failed, (
        f"{entry.name} ({function} is wrong) was not rejected: {grade['status']}, "
        f"{grade['points']}/{grade['max_points']} {grade['message']}"
    )
    blamed = {t["function"] for t in failed if t["function"]}
    if function == "FIT_SETTINGS":
        assert not blamed, f"{entry.name}: only the settings are wrong, but {sorted(blamed)} were blamed"
        relevant = failed
    else:
        assert blamed == {function}, (
            f"{entry.name}: {function} is wrong; the failing checks blame {sorted(blamed) or 'nothing'}"
        )
        relevant = [t for t in failed if t["function"] == function]
    assert any(diagnosis in t["message"] for t in relevant), (
        f"{entry.name}: no failure message says {diagnosis!r}; they say: "
        + " | ".join(t["message"] for t in relevant)
    )


def test_every_required_diagnosis_is_fed_in():
    """Each mistake in the catalogue's required list has a wrong entry that must produce its words."""
    fed = {headers(entry)["diagnosis"] for entry in WRONG}
    missing = [text for text in diagnoses.REQUIRED if not any(text in f for f in fed)]
    assert not missing, f"no gallery entry feeds in the mistakes behind: {missing}"


def test_stubs_fail_every_step(graded):
    grade = graded[STUBS]
    passed = [t["name"] for t in grade["tests"] if t["status"] == "passed"]
    assert not passed, f"these checks pass on the untouched stubs, so they check nothing: {passed}"
    for step in STEPS:
        mine = [t for t in grade["tests"] if t["step"] == step.number]
        assert mine and all(t["status"] == "failed" for t in mine), (
            f"step {step.number} does not fail on the stubs: {[t['name'] for t in mine]}"
        )


@pytest.mark.parametrize("entry", ATTACKS, ids=lambda p: p.stem)
def test_attack_scores_what_it_should(graded, entry):
    if entry in APART:
        pytest.skip("an attack on the run itself: graded beside a correct submission in tests/selfcheck")
    if entry not in RUNNABLE_ATTACKS:
        pytest.skip("needs the worker's namespaces and Landlock, which this machine lacks")
    expected = int(headers(entry)["expect"])
    grade = graded[entry]
    assert grade["points"] == expected, (
        f"{entry.name} ({headers(entry)['attack']}) scored {grade['points']}, expected {expected}: "
        f"{grade['steps']}"
    )


def test_attacks_leave_the_run_clean(graded):
    run = graded["_run"]
    assert any(graded[p]["points"] == TOTAL_POINTS for p in RIGHT), "no correct submission got full points"
    assert run["reports_later"] == run["reports"], "the report files changed after the grader exited"
    before, after = run["changes"]
    assert after == before, f"grading changed tracked files of the checkout:\n{after}"
    reports = run["output"] + run["reports"][0].decode() + run["reports"][1].decode()
    leaked = [s for s in SECRETS if s in reports]
    assert not leaked, f"the reference or the hidden checks reached the grader's output: {leaked}"
    assert HIDDEN_MARKER not in run["output"], "an error about a hidden fit reached the grader's table"
    # The progress bar redraws itself with carriage returns, and CSV ends its lines with them.
    texts = (run["output"], run["reports"][1].decode(), run["reports"][0].decode())
    controls = [c for c in ("\x1b", "\x07", "\u202e") if any(c in text for text in texts)]
    controls += ["\r"] if "\r" in texts[2] else []
    assert not controls, f"control characters from a submission reached the table or the reports: {controls}"
    table = Path("/proc/sysvipc/shm")
    segments = [line.split()[0] for line in table.read_text().splitlines()[1:]] if table.exists() else []
    assert SHM_KEY not in segments, "a submission's System V shared memory outlived the grader"
    assert REFERENCE.read_text().count("knot_row = torch.as_tensor(knots") == 1, "SECRETS is out of date"


# The attacks aimed at what --step adds: the exit status, and the log a learner reads. The
# others are scored the same way in both modes, and test_attack_scores_what_it_should
# already holds them to 0 on every step.
STEP_MODE_CLASSES = {"early-exit", "forge-results", "leak-hidden", "leak-to-log", "patch-grader", "daemon"}


def test_step_mode_exit_status_is_the_verdict(tmp_path):
    """`kata grade ... --step N` (the Classroom's command): exit 0 for the reference; exit 1
    for the attacks on the verdict's channels, each failing the step with 0 points (one run
    grades them all), and no hidden check's message in the output a learner reads."""
    reference = subprocess.run(
        [sys.executable, "-m", "kata", "grade", str(REFERENCE), "--step", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert reference.returncode == 0, reference.stdout + reference.stderr
    report = tmp_path / "step3.json"
    chosen = [entry for entry in RUNNABLE_ATTACKS if headers(entry)["attack"] in STEP_MODE_CLASSES]
    attacks = [attack_submission(entry, tmp_path) for entry in chosen]
    command = [
        sys.executable,
        "-m",
        "kata",
        "grade",
        *map(str, attacks),
        "--step",
        "3",
        "--json",
        str(report),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    passed = [g["path"] for g in json.loads(report.read_text())["submissions"] if g["status"] == "pass"]
    assert not passed, f"--step 3 passed these attacks: {passed}"
    output = done.stdout + done.stderr
    assert HIDDEN_MARKER not in output and "tests/hidden" not in output, (
        "a hidden check's message reached the --step output: " + output[-3000:]
    )


NO_UNIX = ROOT / "tests" / "selfcheck" / "no_unix"


def test_the_portable_workers_give_the_same_verdicts_and_messages(graded, tmp_path):
    """A sample of the gallery again (entries.portable_sample; the whole gallery: `python
    tools/regrade.py --portable`), on a Python without what Windows and macOS lack, so that
    the portable workers and spawned checking processes are chosen, unconfined: every entry
    gets the same points per step, and every check the same status and message. The attacks
    that are only safe inside the Linux sandbox (`# needs: sandbox`) are never run there:
    on the portable path they are out of reach (README)."""
    sample = set(portable_sample(graded["_run"]["paths"]))
    paths = {e: p for e, p in graded["_run"]["paths"].items() if e in sample}
    assert not [e for e in paths if headers(e).get("needs") == "sandbox"], "a sandbox attack in the sample"
    report = tmp_path / "portable.json"
    env = {k: v for k, v in os.environ.items() if k != "KATA_WORKER"} | {"PYTHONPATH": str(NO_UNIX)}
    command = [sys.executable, "-m", "kata", "grade", *map(str, paths.values()), "--json", str(report)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    portable = {g["path"]: g for g in json.loads(report.read_text())["submissions"]}
    differ = []
    for entry, path in paths.items():
        zygote, other = graded[entry], portable[str(path)]
        if other["confinement"] and other["confinement"].get("worker") != "portable":
            differ.append(f"{entry.name}: its worker was not the portable one ({other['confinement']})")
        if [s["points"] for s in zygote["steps"]] != [s["points"] for s in other["steps"]]:
            differ.append(f"{entry.name}: {zygote['steps']} with the zygote, {other['steps']} portable")
        checks = {t["name"]: (t["status"], t["message"]) for t in other["tests"]}
        for t in zygote["tests"]:
            if checks.get(t["name"]) != (t["status"], t["message"]):
                differ.append(
                    f"{entry.name}: {t['name']}: {(t['status'], t['message'])} != {checks.get(t['name'])}"
                )
    assert not differ, "\n".join(differ[:20])
