"""The learners' autograding workflow, run as GitHub's runner would (tests/selfcheck/actions.py)
on simulated learner repositories made from the released template, with the grader bundle
beside them: the points it reports, and what a learner can and cannot change about them."""

import shutil
import subprocess

import pytest

from kata.manifest import ROOT, STEPS, TOTAL_POINTS
from tests.selfcheck.actions import run_workflow
from tests.selfcheck.helpers import run_kata

BUNDLE = "teacher/linreg-grader"
TOKEN = "github_pat_SIMULATED_TOKEN_0123456789"
REFERENCE = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
STUBS = (ROOT / "exercises" / "linreg.py").read_text(encoding="utf-8")
READS_THE_GRADER = """
# Looks for the grader's checkout next to the repository and takes its reference, if any.
from pathlib import Path as _Path

for _folder in (_Path(__file__).resolve().parents[1], _Path.cwd()):
    for _found in (_folder / ".grader").glob("**/linreg.py"):
        try:
            exec(_found.read_text(), globals())
        except Exception:
            continue
"""
EXIT_ZERO = "raise SystemExit(0)\n"


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def _commit_all(folder, message):
    _git(folder, "add", "-A")
    _git(folder, "-c", "user.name=kata", "-c", "user.email=kata@example.org", "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The released template and the grader bundle (a git repository, as pushed)."""
    base = tmp_path_factory.mktemp("autograding")
    for args in (("release", base / "template"), ("release", "--grader", base / "bundle")):
        done = run_kata(*args)
        assert done.returncode == 0, done.stdout + done.stderr
    _git(base / "bundle", "init", "-q")
    _commit_all(base / "bundle", "grader bundle")
    return base


def learner(made, name, linreg, edits=None):
    """A learner's repository: the template as its first commit, then their work."""
    repo = made / "learners" / name
    shutil.copytree(made / "template", repo)
    _git(repo, "init", "-q")
    _commit_all(repo, "Initial commit")
    (repo / "exercises" / "linreg.py").write_text(linreg, encoding="utf-8")
    for path, text in (edits or {}).items():
        (repo / path).write_text(text, encoding="utf-8")
    _commit_all(repo, "my work")
    return repo


SCENARIOS = {  # name -> (linreg.py, edited files, KATA_GRADER_REPO set, token given)
    "bundle_reads_the_grader": (STUBS + READS_THE_GRADER, {}, True, True),
    "own_harness_reference": (REFERENCE, {}, False, False),
    "own_harness_edited_reference": (
        REFERENCE,
        {"kata/__main__.py": EXIT_ZERO, "conftest.py": "# mine\n"},
        False,
        False,
    ),
    "token_missing": (REFERENCE, {}, True, False),
}
# With the bundle, editing kata/ changes no points: test_platforms.py edits it in every
# learner repository it runs the workflow on, and gets kata grade's points.


@pytest.fixture(scope="module")
def runs(made):
    result = {}
    for name, (linreg, edits, with_bundle, with_token) in SCENARIOS.items():
        repo = learner(made, name, linreg, edits)
        variables = {"KATA_GRADER_REPO": BUNDLE} if with_bundle else {}
        secrets = {"KATA_GRADER_TOKEN": TOKEN} if with_token else {}
        result[name] = (repo, run_workflow(repo, variables, secrets, {BUNDLE: made / "bundle"}))
    return result


def test_a_correct_submission_gets_every_steps_points(runs):
    """With the bundle, tests/selfcheck/test_platforms.py checks it, beside kata grade's points."""
    _, run = runs["own_harness_reference"]
    expected = {s.marker: s.points for s in STEPS}
    got = {step: points for step, points in run.points.items() if step != "unchanged"}
    assert got == expected and run.total == TOTAL_POINTS, f"{got}\n{run.output()[-3000:]}"


def test_the_grader_bundle_holds_no_reference_and_no_token(runs):
    repo, run = runs["bundle_reads_the_grader"]
    grader = repo / ".grader"
    assert (grader / "tests" / "hidden").is_dir(), "the bundle must hold the hidden checks"
    leftovers = [
        p for p in ("solutions", "tests/gallery", "tests/selfcheck", "tools") if (grader / p).exists()
    ]
    assert not leftovers, f"the grader bundle holds {leftovers}"
    for config in (grader / ".git" / "config", repo / ".git" / "config"):
        text = config.read_text()
        assert TOKEN not in text and "extraheader" not in text, f"{config} keeps a credential:\n{text}"
    assert run.total == 0, f"a learner file that looks for the grader's reference scored {run.total}"


def test_without_a_bundle_an_edited_harness_costs_the_points(runs):
    """The harness is the template's as first committed, so `raise SystemExit(0)` in
    kata/__main__.py (which once gave 100 points) does nothing; and the edit costs every step."""
    _, run = runs["own_harness_edited_reference"]
    assert run.total == 0, f"a correct file beside an edited harness scored {run.total}"
    assert run.points["unchanged"] == 0 and run.outcome("Tests unchanged") == "ok", run.output()[-2000:]
    assert "conftest.py" in run.output() and "kata/__main__.py" in run.output(), "name the edited files"
    assert "100/100" in run.output(), "the grading itself must still run, on the first commit's harness"


def test_a_missing_token_is_one_named_failure_and_the_reporter_still_runs(runs):
    _, run = runs["token_missing"]
    assert run.outcome("Grader token missing") == "failed", run.output()
    assert run.outcome("Autograding Reporter") == "ok" and run.total == 0, run.output()
    failed = [name for name, outcome, _ in run.log if outcome == "failed"]
    assert len(failed) == 1, f"only the token step should fail as a step: {failed}"


def test_step_titles_with_quotes_and_colons_stay_valid_yaml(monkeypatch):
    import dataclasses

    import yaml

    from kata.platforms import github

    title = 'Say "hi": a # that is not a comment, \\ and ü'
    steps = [dataclasses.replace(s, title=title) for s in STEPS]
    monkeypatch.setattr(github, "STEPS", steps)
    job = yaml.safe_load(github.render())["jobs"]["run-autograding-tests"]
    names = [step["name"] for step in job["steps"] if step.get("id", "").startswith("step")]
    assert names == [f"Step {s.number}: {title}" for s in steps], names
