"""The README's instructor walkthrough, run as written (its blocks marked `<!-- walkthrough -->`)
in an empty folder, with a roster of learner repositories made here: it must produce the
template, the grader bundle, and a gradebook graded as of the deadline it names."""

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
AFTER_THE_DEADLINE = "2027-01-15T10:00:00+00:00"  # the README's deadline is 2026-12-20


def walkthrough() -> str:
    blocks = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 2, "the README's instructor section lost its walkthrough blocks"
    return "\n".join(textwrap.dedent(block) for block in blocks)


def commit(repo, message, when):
    dated = os.environ | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for args in (
        ["add", "-A"],
        ["-c", "user.name=l", "-c", "user.email=l@example.org", "commit", "-qm", message],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=dated)


def learner_repo(folder, name, linreg=None, late=None):
    """A copy of the template as first committed, then the learner's linreg.py (or, `late`,
    one committed after the deadline)."""
    repo = folder / "origin" / name
    subprocess.run([sys.executable, "-m", "kata", "release", str(repo)], check=True, capture_output=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit(repo, "Initial commit", "2026-11-01T09:00:00+00:00")
    for text, when in ((linreg, BEFORE_THE_DEADLINE), (late, AFTER_THE_DEADLINE)):
        if text:
            (repo / "exercises" / "linreg.py").write_text(text, encoding="utf-8")
            commit(repo, "my work", when)
    return repo


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("walkthrough")
    reference = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    repos = [
        learner_repo(folder, "linreg-alice", linreg=reference),
        learner_repo(folder, "linreg-bob"),
        learner_repo(folder, "linreg-carol", late=reference),
    ]
    course = folder / "course"
    course.mkdir()
    (course / "roster.txt").write_text("".join(f"{repo}\n" for repo in repos), encoding="utf-8")
    env = os.environ | {"PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-e", "-c", walkthrough()], cwd=course, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return course


def test_it_makes_the_template_and_the_grader_bundle(followed):
    assert (followed / "template" / "exercises" / "linreg.py").is_file(), "no learner template"
    assert (followed / "template" / ".github" / "workflows" / "classroom.yml").is_file()
    assert (followed / "grader" / "tests" / "hidden").is_dir(), "no grader bundle"
    for folder in ("template", "grader"):
        assert not (followed / folder / "solutions").exists(), f"{folder}/ holds the reference"


def test_it_makes_a_gradebook_as_of_the_deadline(followed):
    rows = {row["learner"]: row for row in csv.DictReader((followed / "gradebook.csv").open())}
    assert set(rows) == {"linreg-alice", "linreg-bob", "linreg-carol"}, rows
    assert rows["linreg-alice"]["points"] == str(TOTAL_POINTS), rows["linreg-alice"]
    assert rows["linreg-bob"]["points"] == "0" and rows["linreg-bob"]["status"] == "fail", rows["linreg-bob"]
    carol = rows["linreg-carol"]
    assert carol["points"] == "0", f"carol's correct code came after the deadline, yet: {carol}"
    assert all(len(row["commit"]) == 40 and row["graded_at"] for row in rows.values()), rows
    assert all(None not in row and None not in row.values() for row in rows.values()), rows
    assert (followed / "feedback" / "linreg-bob.md").is_file(), "no feedback file per learner"
