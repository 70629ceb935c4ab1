"""The same points everywhere: `kata grade`, the learners' workflow, Gradescope's
run_autograder and Classroom 50's autograder.py, each run the way its platform runs it (here,
without the platform), on a correct, a one-bug and an attack submission from the galleries.
Their result files are checked against the contracts the platforms document
(tests/selfcheck/contracts/)."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from kata.manifest import STEPS
from tests.gallery.entries import GALLERY, attack_submission, whole_submission
from tests.selfcheck.actions import run_workflow
from tests.selfcheck.helpers import run_kata
from tests.selfcheck.test_autograding import BUNDLE, TOKEN, learner, made  # noqa: F401 (made: a fixture)

CONTRACTS = Path(__file__).parent / "contracts"
HIDDEN_MARKER = "LEAKED-HIDDEN-INPUT"
CLASSROOM50_ENV = {
    "CLASSROOM": "stats101",
    "ASSIGNMENT": "linreg",
    "ASSIGNMENT_TYPE": "individual",
    "OWNER": "alice",
    "USERNAME": "alice",
    "SUBMISSION_TAG": "submit/2026-12-01T10-00-00Z-abc1234",
    "COMMIT_URL": "https://github.com/org/stats101-linreg-alice/commit/abc1234",
    "RELEASE_URL": "https://github.com/org/stats101-linreg-alice/releases/tag/submit%2F2026",
    "REVIEW_URL": "https://github.com/org/stats101-linreg-alice/compare/base...abc1234",
}


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("platform-submissions")
    return {
        "right": GALLERY / "right" / "functional.py",
        "wrong": whole_submission(GALLERY / "wrong" / "mse_sum.py", folder),
        "attack": attack_submission(GALLERY / "attacks" / "hidden_inputs_in_error_messages.py", folder),
    }


@pytest.fixture(scope="module")
def expected(submissions, tmp_path_factory):
    """name -> points per step from `kata grade`, the reference verdict."""
    report = tmp_path_factory.mktemp("kata-grade") / "grades.json"
    done = run_kata("grade", *submissions.values(), "--json", report)
    assert done.returncode == 0, done.stdout + done.stderr
    grades = json.loads(report.read_text())["submissions"]
    return {
        name: {s["step"]: s["points"] for s in g["steps"]}
        for name, g in zip(submissions, grades, strict=True)
    }


def test_the_chosen_submissions_differ(expected):
    totals = {name: sum(points.values()) for name, points in expected.items()}
    assert totals["right"] == sum(s.points for s in STEPS), totals
    assert 0 < totals["wrong"] < totals["right"] and totals["attack"] == 0, totals


def test_the_workflow_gives_the_same_points(expected, submissions, made):  # noqa: F811
    """With the grader bundle; each learner also replaced kata/__main__.py, which changes nothing."""
    for name, path in submissions.items():
        edits = {"kata/__main__.py": "raise SystemExit(0)\n"}
        repo = learner(made, f"same-{name}", path.read_text(encoding="utf-8"), edits)
        run = run_workflow(
            repo, {"KATA_GRADER_REPO": BUNDLE}, {"KATA_GRADER_TOKEN": TOKEN}, {BUNDLE: made / "bundle"}
        )
        got = {s.number: run.points[s.marker] for s in STEPS}
        assert got == expected[name], (
            f"{name}: workflow {got}, kata grade {expected[name]}\n{run.output()[-2000:]}"
        )
        assert HIDDEN_MARKER not in run.output(), f"{name}: the workflow's log shows a hidden check's inputs"


def released(tmp_path_factory, platform: str, name: str) -> Path:
    """What `python -m kata release --PLATFORM OUT` writes."""
    out = tmp_path_factory.mktemp(platform) / name
    done = run_kata("release", f"--{platform}", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def gradescope_zip(tmp_path_factory):
    return released(tmp_path_factory, "gradescope", "autograder.zip")


def run_gradescope(zip_path: Path, root: Path, submission: Path, as_repository: bool) -> dict:
    """/autograder laid out as Gradescope does: the zip in source/, the learner's files in
    submission/, results/; then run_autograder from /autograder. Returns results.json."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        os.chmod(root / "source" / name, 0o755)  # Gradescope copies run_autograder with its mode
    target = root / "submission" / ("exercises" if as_repository else "")
    target.mkdir(parents=True)
    shutil.copy(submission, target / "linreg.py")
    env = os.environ | {"AUTOGRADER_ROOT": str(root), "KATA_PYTHON": sys.executable}
    done = subprocess.run(
        [str(root / "source" / "run_autograder")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_the_gradescope_zip_holds_the_grader_and_nothing_else(gradescope_zip):
    names = zipfile.ZipFile(gradescope_zip).namelist()
    assert {"setup.sh", "run_autograder", "kata/cli.py", "tests/hidden/test_hidden.py"} <= set(names), names
    assert not [
        n for n in names if n.startswith(("solutions/", "tests/gallery/", "tests/selfcheck/", "tools/"))
    ]


def test_gradescope_gives_the_same_points(expected, submissions, gradescope_zip, tmp_path):
    schema = json.loads((CONTRACTS / "gradescope-results.schema.json").read_text())
    for index, (name, path) in enumerate(submissions.items()):
        results = run_gradescope(gradescope_zip, tmp_path / name, path, as_repository=index % 2 == 1)
        jsonschema.validate(results, schema)
        steps = [t for t in results["tests"] if t["max_score"] > 0]
        got = {int(t["number"]): int(t["score"]) for t in steps}
        assert got == expected[name], f"{name}: Gradescope {got}, kata grade {expected[name]}"
        assert results["score"] == sum(got.values()), results["score"]
        assert all(t["visibility"] == "visible" for t in steps), "the steps' points must be visible"
        hidden = [t for t in results["tests"] if t["max_score"] == 0]
        assert hidden and all(t["visibility"] == "after_due_date" for t in hidden), hidden[:2]
        text = json.dumps(results)
        assert HIDDEN_MARKER not in text and "tests/hidden" not in text, (
            f"{name}: results.json shows hidden inputs"
        )


@pytest.fixture(scope="module")
def classroom50_out(tmp_path_factory):
    return released(tmp_path_factory, "classroom50", "out")


def run_classroom50(out: Path, base: Path, submission: Path, trap: str = "link") -> dict:
    """As Classroom 50's runner does: the bundle extracted to a runtime folder, autograder.py
    started with no arguments from the learner's checkout, result.json read from there."""
    runtime = base / "classroom50-runtime" / "linreg"
    shutil.copytree(out / "autograder", runtime)
    checkout = base / "stats101-linreg-alice"
    shutil.copytree(out / "template", checkout)
    shutil.copy(submission, checkout / "exercises" / "linreg.py")
    (base / "victim.txt").write_text("the runner's own file\n")
    if trap == "link":  # a result.json committed by the learner
        (checkout / "result.json").symlink_to(base / "victim.txt")
    else:
        (checkout / "result.json").mkdir()
        (checkout / "result.json" / "keep").write_text("")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "s"],
    ):
        subprocess.run(["git", "-C", str(checkout), *args], check=True, capture_output=True)
    env = (
        os.environ | CLASSROOM50_ENV | {"KATA_PYTHON": sys.executable, "CLASSROOM50_BUNDLE_DIR": str(runtime)}
    )
    done = subprocess.run(
        [sys.executable, str(runtime / "autograder.py")],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"a non-zero exit is an infrastructure error for Classroom 50:\n{done.stderr}"
    )
    assert (base / "victim.txt").read_text() == "the runner's own file\n", (
        "result.json was written through a link"
    )
    assert not (checkout / "result.json").is_symlink(), "result.json is still the learner's link"
    return json.loads((checkout / "result.json").read_text())


def test_the_classroom50_template_leaves_the_autograde_workflow_to_classroom50(classroom50_out):
    workflows = classroom50_out / "template" / ".github" / "workflows"
    assert not (workflows / "autograde.yaml").exists() and not (workflows / "classroom.yml").exists()
    assert (classroom50_out / "template" / "exercises" / "linreg.py").is_file()
    assert not (classroom50_out / "autograder" / "grader" / "solutions").exists()


def test_classroom50_gives_the_same_points(expected, submissions, classroom50_out, tmp_path):
    schema = json.loads((CONTRACTS / "classroom50-result.schema.json").read_text())
    for index, (name, path) in enumerate(submissions.items()):
        trap = "link" if index % 2 == 0 else "folder"
        result = run_classroom50(classroom50_out, tmp_path / name, path, trap)
        jsonschema.validate(result, schema)
        assert result["score"] <= result["max-score"] and all(
            t["score"] <= t["max-score"] for t in result["tests"]
        )
        assert (result["classroom"], result["assignment"], result["owner"]) == ("stats101", "linreg", "alice")
        assert result["submission"] == CLASSROOM50_ENV["SUBMISSION_TAG"], result["submission"]
        got = {int(t["test-name"].split(":")[0].split()[1]): t["score"] for t in result["tests"]}
        assert got == expected[name], f"{name}: Classroom 50 {got}, kata grade {expected[name]}"
        assert result["score"] == sum(got.values()), result
        assert HIDDEN_MARKER not in json.dumps(result), f"{name}: result.json shows hidden inputs"


def test_classroom50_runs_nothing_of_the_checkout_outside_the_sandbox(classroom50_out, tmp_path):
    """autograder.py runs pip from the learner's checkout: a `pip` package committed there must
    not be what runs (here in a venv without pip, where only the learner's could answer)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path / "venv"], check=True)
    checkout = tmp_path / "checkout"
    (checkout / "pip").mkdir(parents=True)
    marker = tmp_path / "learner-code-ran"
    (checkout / "pip" / "__main__.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    (checkout / "pip" / "__init__.py").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "KATA_PYTHON"}
    subprocess.run(
        [tmp_path / "venv" / "bin" / "python", classroom50_out / "autograder" / "autograder.py"],
        cwd=checkout,
        env=env,
        capture_output=True,
    )
    assert not marker.exists(), "autograder.py ran the learner's own `pip` package"
