"""The kata on systems this machine is not: Windows and macOS (no fork, no SCM_RIGHTS, no
AF_UNIX pairs, no fcntl or resource, no Landlock), and a container that refuses namespaces
and Landlock. Each is emulated by a sitecustomize put first on PYTHONPATH (tests/selfcheck/
no_unix, tests/selfcheck/no_namespaces), which every process of the run, workers included,
then loads. The real systems run tools/learner_smoke.py in the GitHub workflow's matrix.
"""

import json
import os
import subprocess
import sys
import time

from kata.manifest import ROOT
from tests.selfcheck.helpers import with_mistake

NO_UNIX = ROOT / "tests" / "selfcheck" / "no_unix"
NO_NAMESPACES = ROOT / "tests" / "selfcheck" / "no_namespaces"


def run_as(emulation, *args, timeout=900) -> subprocess.CompletedProcess:
    """`python ARGS` in the kata's checkout, with `emulation` first on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "KATA_WORKER"} | {"PYTHONPATH": str(emulation)}
    return subprocess.run(
        [sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout
    )


def test_without_unix_the_portable_workers_are_chosen_by_themselves():
    done = run_as(
        NO_UNIX,
        "-c",
        "from kata.workers import chosen, zygote_unavailable; print(chosen(), '|', zygote_unavailable())",
    )
    assert done.stdout.startswith("portable |") and "fork" in done.stdout, done.stdout + done.stderr


def test_a_learners_first_hour_without_unix():
    """tools/learner_smoke.py: release, pytest right and wrong (a CRLF file with a BOM, in a
    folder with spaces and letters like ö), kata fit --plot, a save in kata watch, kata grade."""
    done = run_as(NO_UNIX, ROOT / "tools" / "learner_smoke.py")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


SPAWNS_AND_HANGS = """
import subprocess


def predict(x, weights, bias):
    subprocess.Popen(["sleep", "{seconds}"])
    while True:
        pass
"""


def _sleeping(seconds: int) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if line.strip() == f"sleep {seconds}"]


def test_in_a_container_that_refuses_namespaces(tmp_path):
    """The learner's path works; grading says what the workers lacked; and a process that
    the learner's code starts, in a function that hangs, does not outlive the run."""
    done = run_as(NO_NAMESPACES, "-m", "pytest", "--impl", "solutions", "tests/test_4_fits.py", "-q")
    assert done.returncode == 0, done.stdout[-2000:]
    seconds = 300 + os.getpid() % 1000  # a length no other test sleeps
    hanging = with_mistake(tmp_path, "hangs", SPAWNS_AND_HANGS.format(seconds=seconds))
    report = tmp_path / "grades.json"
    done = run_as(
        NO_NAMESPACES, "-m", "kata", "grade", ROOT / "solutions" / "linreg.py", hanging, "--json", report
    )
    grades = {g["learner"]: g for g in json.loads(report.read_text())["submissions"]}
    assert grades["solutions"]["points"] == 100 and grades["hangs"]["points"] == 0, done.stdout
    assert "ran without" in done.stdout and "namespaces" in done.stdout, done.stdout
    time.sleep(1)
    left = _sleeping(seconds)
    assert not left, f"a process the learner's code started outlived the run: {left}"


def test_without_unix_a_spawned_process_does_not_outlive_the_run(tmp_path):
    seconds = 1300 + os.getpid() % 1000
    hanging = with_mistake(tmp_path, "hangs", SPAWNS_AND_HANGS.format(seconds=seconds))
    done = run_as(
        NO_UNIX, "-m", "pytest", "--impl", hanging, "tests/test_1_values.py", "-q", "-k", "predict_values"
    )
    assert "predict did not return" in done.stdout, done.stdout[-2000:]
    time.sleep(1)
    left = _sleeping(seconds)
    assert not left, f"a process the learner's code started outlived the run: {left}"


def test_the_devcontainer_installs_as_the_readme_says():
    """.devcontainer/devcontainer.json (in this repository and the learner template): Python
    3.11, the README's install command in onCreateCommand (which prebuilds run), VS Code's
    Python extension with pytest discovery."""
    from kata.release import template_files

    config = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python:1-3.11" in config["image"], config["image"]
    assert config["onCreateCommand"] in readme and config["onCreateCommand"].startswith("pip install -e ."), (
        config
    )
    vscode = config["customizations"]["vscode"]
    assert "ms-python.python" in vscode["extensions"] and vscode["settings"]["python.testing.pytestEnabled"]
    assert ".devcontainer/devcontainer.json" in template_files(), "the learner template has no devcontainer"


def test_a_console_in_a_legacy_code_page(tmp_path):
    """Output to a console or pipe in cp1252 (Windows): a learner named with letters it lacks,
    code that prints them, and the report still comes, with escapes where it must."""
    folder = tmp_path / "zoë✓"
    folder.mkdir()
    code = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8") + '\nprint("résumé ✓ → ∑")\n'
    (folder / "linreg.py").write_text(code, encoding="utf-8")
    env = os.environ | {"PYTHONIOENCODING": "cp1252"}
    for args in (
        ["-m", "kata", "grade", folder],
        ["-m", "pytest", "--impl", folder / "linreg.py", "-s", "-q"],
    ):
        done = subprocess.run([sys.executable, *map(str, args)], cwd=ROOT, capture_output=True, env=env)
        output = (done.stdout + done.stderr).decode("cp1252", errors="replace")
        assert done.returncode == 0 and "UnicodeEncodeError" not in output, output[-3000:]
