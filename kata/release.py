"""`python -m kata release OUT`: build the learner template from the instructor's repository.

The template has everything a learner needs to run `pytest`, and nothing of the
instructor's: no reference solution, no hidden checks, no gallery, no maintainer tools.
Its exercises/linreg.py is freshly generated from the reference.
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
)
INSTRUCTORS_ONLY = re.compile(r"<!-- instructors-only -->.*?<!-- /instructors-only -->\n?", re.DOTALL)


def tracked_files(root: Path = ROOT) -> list[str]:
    """The files git tracks under root (relative paths)."""
    listing = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True)
    return [name for name in listing.stdout.splitlines() if (root / name).is_file()]


def template_files(root: Path = ROOT) -> list[str]:
    return [name for name in tracked_files(root) if not name.startswith(LEAVE_OUT)]


def release(out: Path, root: Path = ROOT) -> list[str]:
    """Write the learner template into `out` (which must not exist or be empty)."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    names = template_files(root)
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, out / name)
    solution = (root / "solutions" / "linreg.py").read_text(encoding="utf-8")
    (out / "exercises" / "linreg.py").write_text(stubs.generate(solution), encoding="utf-8")
    readme = out / "README.md"
    readme.write_text(INSTRUCTORS_ONLY.sub("", readme.read_text(encoding="utf-8")), encoding="utf-8")
    return names
