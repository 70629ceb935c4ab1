"""The grader proves itself: it accepts every right submission in tests/gallery/right,
rejects every wrong one in tests/gallery/wrong naming the wrong function with the expected
diagnosis, blames no other function, and fails the generated stubs on every step.

Each wrong entry starts with two header lines:
    # wrong: <the one wrong function, or FIT_SETTINGS>
    # diagnosis: <text the learner must see in a failure message>
then takes everything else from the reference (`from solutions.linreg import *`, so that
`pytest --impl tests/gallery/wrong/NAME.py` works from the repository root). For grading,
each entry becomes a whole linreg.py: the reference followed by the entry's mistake. The
entries are graded through `python -m kata grade`, visible and hidden checks, torch loaded once.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kata import diagnoses
from kata.manifest import ROOT, STEPS

GALLERY = Path(__file__).parent
RIGHT = sorted((GALLERY / "right").glob("*.py"))
WRONG = sorted((GALLERY / "wrong").glob("*.py"))
STUBS = ROOT / "exercises" / "linreg.py"
REFERENCE = ROOT / "solutions" / "linreg.py"
IMPORT_REFERENCE = "from solutions.linreg import *"


def whole_submission(entry: Path, folder: Path) -> Path:
    """The reference followed by the entry's mistake, as one standalone linreg.py."""
    mistake = [
        line
        for line in entry.read_text(encoding="utf-8").splitlines()
        if not line.startswith(IMPORT_REFERENCE)
    ]
    path = folder / entry.name
    path.write_text(REFERENCE.read_text(encoding="utf-8") + "\n\n" + "\n".join(mistake) + "\n")
    return path


def read_header(path: Path) -> tuple[str, str]:
    """(wrong function, expected diagnosis) from a wrong entry's first two lines."""
    first, second = path.read_text(encoding="utf-8").splitlines()[:2]
    return first.removeprefix("# wrong: ").strip(), second.removeprefix("# diagnosis: ").strip()


@pytest.fixture(scope="session")
def grades(tmp_path_factory):
    """entry -> graded result, for every gallery entry and the stubs, graded in one run."""
    folder = tmp_path_factory.mktemp("gallery")
    out = folder / "grades.json"
    entries = {p: p for p in (*RIGHT, STUBS)} | {p: whole_submission(p, folder) for p in WRONG}
    command = [sys.executable, "-m", "kata", "grade", *map(str, entries.values()), "--json", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    graded = {g["path"]: g for g in json.loads(out.read_text())["submissions"]}
    return {entry: graded[str(path)] for entry, path in entries.items()}


def failures(grade: dict) -> list[dict]:
    return [t for t in grade["tests"] if t["status"] == "failed"]


def test_gallery_is_large_enough():
    assert len(RIGHT) >= 6 and len(WRONG) >= 30, (
        f"the gallery needs at least 6 right and 30 wrong entries, has {len(RIGHT)} and {len(WRONG)}"
    )


@pytest.mark.parametrize("entry", RIGHT, ids=lambda p: p.stem)
def test_right_entry_passes_every_step(grades, entry):
    grade = grades[entry]
    problems = [f"{t['name']}: {t['message']}" for t in failures(grade)]
    assert grade["points"] == grade["max_points"] and not problems, (
        f"{entry.name} is correct but scored {grade['points']}/{grade['max_points']} "
        f"({grade['message']}): " + "; ".join(problems)
    )


@pytest.mark.parametrize("entry", WRONG, ids=lambda p: p.stem)
def test_wrong_entry_is_rejected_with_its_diagnosis(grades, entry):
    function, diagnosis = read_header(entry)
    grade = grades[entry]
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
    fed = {read_header(entry)[1] for entry in WRONG}
    missing = [text for text in diagnoses.REQUIRED if not any(text in f for f in fed)]
    assert not missing, f"no gallery entry feeds in the mistakes behind: {missing}"


def test_stubs_fail_every_step(grades):
    grade = grades[STUBS]
    passed = [t["name"] for t in grade["tests"] if t["status"] == "passed"]
    assert not passed, f"these checks pass on the untouched stubs, so they check nothing: {passed}"
    for step in STEPS:
        mine = [t for t in grade["tests"] if t["step"] == step.number]
        assert mine and all(t["status"] == "failed" for t in mine), (
            f"step {step.number} does not fail on the stubs: {[t['name'] for t in mine]}"
        )
