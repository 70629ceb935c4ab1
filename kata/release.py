"""`python -m kata release`: what the instructor's repository hands out.

- the learner template (`release OUT`): everything a learner needs to run `pytest`, and
  nothing of the instructor's: no reference solution, no hidden checks, no gallery, no
  maintainer tools. Its exercises/linreg.py is freshly generated from the reference.
- the grader bundle (`release --grader OUT`): what grading needs and nothing else: the
  harness, the visible and hidden checks, the data. No solutions/, no galleries, no stubs.
  Platforms (kata.platforms) wrap it for Gradescope and Classroom 50.
"""

import re
import shutil
import subprocess
from pathlib import Path

from kata import stubs
from kata.manifest import ROOT

LEAVE_OUT = (
    "solutions/",
    "tests/hidden/",
    "tests/gallery/",
    "tests/selfcheck/",
    "tools/",
    ".ci/",
    ".github/workflows/ci.yml",
    "tox.ini",
    "handout/",
)
GRADER_PARTS = ("kata/", "tests/", "data/", "conftest.py", "pyproject.toml", "constraints.txt")
GRADER_LEAVES_OUT = ("tests/gallery/", "tests/selfcheck/")
INSTRUCTORS_ONLY = re.compile(r"<!-- instructors-only -->.*?<!-- /instructors-only -->\n?", re.DOTALL)
GRADER_README = """\
# linreg kata: grader bundle

Written by `python -m kata release --grader` from the instructor's repository. It holds what
grading needs (the harness in kata/, the visible and hidden checks in tests/, the data) and
no reference solution. Keep it in a private repository: the learners' autograding workflow
checks it out with a token that can read this repository only (variable KATA_GRADER_REPO,
secret KATA_GRADER_TOKEN). Grade with `python -m kata grade` from this folder.
"""


def tracked_files(root: Path = ROOT) -> list[str]:
    """The files git tracks under root (relative paths)."""
    listing = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True)
    return [name for name in listing.stdout.splitlines() if (root / name).is_file()]


def template_files(root: Path = ROOT) -> list[str]:
    return [name for name in tracked_files(root) if not name.startswith(LEAVE_OUT)]


def grader_files(root: Path = ROOT) -> list[str]:
    return [
        name
        for name in tracked_files(root)
        if name.startswith(GRADER_PARTS) and not name.startswith(GRADER_LEAVES_OUT)
    ]


def empty_folder(out: Path) -> None:
    """Make `out`, or check that it is empty: a release never writes over anything."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)


def _copy(names: list[str], out: Path, root: Path) -> None:
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, out / name)


def release(out: Path, root: Path = ROOT, workflow: bool = True) -> list[str]:
    """Write the learner template into `out` (which must not exist or be empty); without
    `workflow`, leave out the GitHub autograding workflow (platforms that bring their own)."""
    empty_folder(out)
    names = template_files(root)
    if not workflow:
        names = [name for name in names if name != ".github/workflows/classroom.yml"]
    _copy(names, out, root)
    solution = (root / "solutions" / "linreg.py").read_text(encoding="utf-8")
    (out / "exercises" / "linreg.py").write_text(stubs.generate(solution), encoding="utf-8")
    readme = out / "README.md"
    readme.write_text(INSTRUCTORS_ONLY.sub("", readme.read_text(encoding="utf-8")), encoding="utf-8")
    return names


def release_grader(out: Path, root: Path = ROOT) -> list[str]:
    """Write the grader bundle into `out` (which must not exist or be empty)."""
    empty_folder(out)
    names = grader_files(root)
    _copy(names, out, root)
    (out / "README.md").write_text(GRADER_README, encoding="utf-8")
    return names + ["README.md"]
