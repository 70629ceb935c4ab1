"""The README's instructor walkthrough, run as written (its blocks marked `<!-- walkthrough -->`)
in an empty folder, with learner repositories served from file:// URLs (the README's
`https://github.com/ORG/` is the one thing replaced) and a roster made here: it must produce
the template, the grader bundle, a gradebook graded as of the deadlines and late window it
names, and the Canvas and Moodle import files."""

import csv
import os
import re
import subprocess
import sys
import textwrap

import pytest

from kata.manifest import ROOT, TOTAL_POINTS

BLOCK = re.compile(r"<!-- walkthrough -->\n\s*```bash\n(.*?)\n\s*```", re.DOTALL)
BEFORE_THE_DEADLINE = "2026-11-02T10:00:00+00:00"
# The README's deadline is 2026-12-20 23:59 +01:00; its late window ends on the 23rd.
IN_THE_LATE_WINDOW = "2026-12-22T10:00:00+00:00"
AFTER_THE_LATE_WINDOW = "2027-01-15T10:00:00+00:00"
ON_GITHUB = "https://github.com/ORG/"
ROSTER = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "github", "email"],
    ['Lefèvre, Amélie "Ali"', "101", "S001", "alefevre", "A", "alice", "alice@uni.example"],
    ["Øster, Bo", "102", "S002", "boster", "A", "bob", "bob@uni.example"],
    ["Nuñez, Carol", "103", "S003", "cnunez", "B", "carol", "carol@uni.example"],
    ["Dupont, Dave", "104", "S004", "ddupont", "B", "dave", "dave@uni.example"],  # no repository
]


def walkthrough(origin) -> str:
    blocks = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 2, "the README's instructor section lost its walkthrough blocks"
    text = "\n".join(textwrap.dedent(block) for block in blocks)
    assert ON_GITHUB in text, f"the walkthrough no longer collects from {ON_GITHUB}: update this check"
    return text.replace(ON_GITHUB, f"{origin.as_uri()}/")


def commit(repo, message, when):
    dated = os.environ | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (
        ["add", "-A"],
        ["-c", "user.name=l", "-c", "user.email=l@example.org", "commit", "-qm", message],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=dated)


def learner_repo(folder, name, linreg=None, late=None, too_late=None):
    """A copy of the template as first committed, then the learner's linreg.py (`linreg`
    before the deadline, `late` in the late window, `too_late` after it), pushed to a bare
    repository under folder/origin."""
    work, bare = folder / "work" / name, folder / "origin" / f"{name}.git"
    subprocess.run([sys.executable, "-m", "kata", "release", str(work)], check=True, capture_output=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    commit(work, "Initial commit", "2026-11-01T09:00:00+00:00")
    for text, when in (
        (linreg, BEFORE_THE_DEADLINE),
        (late, IN_THE_LATE_WINDOW),
        (too_late, AFTER_THE_LATE_WINDOW),
    ):
        if text is not None:
            (work / "exercises" / "linreg.py").write_text(text, encoding="utf-8")
            commit(work, "my work", when)
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return bare


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walkthrough")
    reference = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    learner_repo(folder, "linreg-alice", linreg=reference, too_late="")
    learner_repo(folder, "linreg-bob")
    learner_repo(folder, "linreg-carol", late=reference)
    course = folder / "course"
    course.mkdir()
    with (course / "roster.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(ROSTER)
    env = os.environ | {"PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    script = walkthrough(folder / "origin")
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=course, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return course, done.stdout


def test_it_makes_the_template_and_the_grader_bundle(followed):
    course, _ = followed
    assert (course / "template" / "exercises" / "linreg.py").is_file(), "no learner template"
    assert (course / "template" / ".github" / "workflows" / "classroom.yml").is_file()
    assert (course / "grader" / "tests" / "hidden").is_dir(), "no grader bundle"
    for folder in ("template", "grader"):
        assert not (course / folder / "solutions").exists(), f"{folder}/ holds the reference"


def test_it_collects_and_reports_who_is_missing_and_who_has_the_stubs(followed):
    course, out = followed
    assert sorted(p.name for p in (course / "repos").iterdir()) == ["alice", "bob", "carol"], "repos/"
    assert "could not reach dave" in out and "still the untouched stubs: bob" in out, out[:2000]


def test_it_makes_a_gradebook_as_of_the_deadlines(followed):
    course, _ = followed
    rows = {row["learner"]: row for row in csv.DictReader((course / "gradebook.csv").open(encoding="utf-8"))}
    assert list(rows) == ["alice", "bob", "carol", "dave"], (
        f"one row per roster student, in order: {list(rows)}"
    )
    alice, bob, carol, dave = (rows[n] for n in ("alice", "bob", "carol", "dave"))
    assert alice["points"] == str(TOTAL_POINTS), f"alice's emptied file came after the late window: {alice}"
    assert bob["points"] == "0" and bob["status"] == "fail", bob
    assert carol["points"] == str(TOTAL_POINTS * 8 // 10) and carol["late"] == "yes", (
        f"carol's correct code came 2 days late (20% off at 10% a day started): {carol}"
    )
    assert dave["status"] == "missing" and dave["points"] == "0", f"dave has no repository: {dave}"
    assert all(len(row["commit"]) == 40 and row["graded_at"] for row in (alice, bob, carol)), rows
    assert all(r["time_source"] == "commit date (trusted)" for r in (alice, bob, carol)), (
        "no push record here"
    )
    assert all(None not in row and None not in row.values() for row in rows.values()), rows
    assert (course / "feedback" / "bob.md").is_file(), "no feedback file per learner"


def test_it_writes_the_canvas_and_moodle_import_files(followed):
    course, _ = followed
    canvas = list(csv.reader((course / "canvas.csv").open(newline="", encoding="utf-8")))
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Linreg kata (1234)"]
    assert canvas[0] == header and canvas[1][0] == "Points Possible", canvas[:2]
    assert [r[:5] for r in canvas[2:]] == [r[:5] for r in ROSTER[1:]], "Canvas rows: the roster's, in order"
    assert [r[5] for r in canvas[2:]] == [str(TOTAL_POINTS), "0", str(TOTAL_POINTS * 8 // 10), "0"], canvas
    moodle = list(csv.reader((course / "moodle.csv").open(newline="", encoding="utf-8")))
    assert moodle[0] == ["email", "Linreg kata (1234)", "feedback"], moodle[0]
    assert [r[0] for r in moodle[1:]] == [r[6] for r in ROSTER[1:]], "Moodle rows: the roster's emails only"
