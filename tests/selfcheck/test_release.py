"""`python -m kata release`: the learner template works as a learner's clone does."""

import shutil

import pytest

from kata.manifest import ROOT, STEPS
from tests.selfcheck.helpers import run_kata, run_pytest

FIRST_RUN_LINE_LIMIT = 40


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("template") / "linreg-kata"
    done = run_kata("release", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_template_has_nothing_of_the_instructors(template):
    for name in ("solutions", "tests/hidden", "tests/gallery", "tests/selfcheck", "tools", ".ci", "tox.ini"):
        assert not (template / name).exists(), f"the learner template contains {name}"
    assert (template / ".github" / "workflows" / "classroom.yml").exists(), "the template needs the workflow"
    assert "instructors-only" not in (template / "README.md").read_text(), "instructors' README part left in"
    assert "raise NotImplementedError" in (template / "exercises" / "linreg.py").read_text()


def test_first_run_is_short_and_points_at_predict(template):
    done = run_pytest(cwd=template)
    lines = done.stdout.splitlines()
    assert done.returncode == 1, f"pytest on the stubs should fail:\n{done.stdout}"
    assert len(lines) <= FIRST_RUN_LINE_LIMIT, f"{len(lines)} lines:\n{done.stdout}"
    assert "Next: write `predict` in exercises/linreg.py" in done.stdout, done.stdout
    assert str(template) in done.stdout, f"the run did not use the template's own files:\n{done.stdout}"


def test_a_correct_submission_passes_in_the_template(template, tmp_path):
    learner = tmp_path / "learner"
    shutil.copytree(template, learner)
    shutil.copy(ROOT / "tests" / "gallery" / "right" / "functional.py", learner / "exercises" / "linreg.py")
    done = run_pytest(cwd=learner)
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"All {len(STEPS)} steps are done" in done.stdout, done.stdout[-2000:]
