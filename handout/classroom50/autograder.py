"""Classroom 50 autograder of the linreg kata.

Classroom 50's runner starts it with the learner's checkout as working directory. It installs
the kata's grader (grader/, next to this file: the harness, the visible and hidden checks, the
data; the CPU build of torch), grades exercises/linreg.py in the grader's sandbox and writes
./result.json, one test per step:
    Step 1: A line through the origin: 30 points
    Step 2: Add a bias: 20 points
    Step 3: Mean absolute error: 20 points
    Step 4: Hinge features: 30 points
It exits 0 whenever result.json was written, whatever the score.
Generated from kata/steps.toml by `python -m kata classroom50`: do not edit.
KATA_PYTHON (an interpreter with the grader installed) skips the install, to try it elsewhere.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

GRADER = Path(__file__).resolve().parent / "grader"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def grader_python() -> str:
    """An interpreter with the grader and its pinned dependencies installed."""
    if os.environ.get("KATA_PYTHON"):
        return os.environ["KATA_PYTHON"]
    pins = GRADER / "constraints.txt"
    install = ["-P", "-m", "pip", "install", "--quiet", "-e", str(GRADER), "-c", str(pins)]
    # -P and cwd: pip, like the grader, must not be imported from the learner's checkout.
    subprocess.run([sys.executable, *install, "--extra-index-url", CPU_INDEX], check=True, cwd=GRADER)
    return sys.executable


def main() -> int:
    if sys.version_info < (3, 11):
        print("The linreg kata needs Python 3.11 or newer: set runtime.python in the assignment.")
        return 1
    checkout = Path.cwd()
    result = checkout / "result.json"
    if result.is_dir() and not result.is_symlink():  # one that came with the submission is not ours
        shutil.rmtree(result)
    elif result.is_symlink() or result.exists():
        result.unlink()
    grade = ["-m", "kata", "grade", str(checkout), "--jobs", "2", "--classroom50", str(result)]
    return subprocess.run([grader_python(), *grade], cwd=GRADER).returncode


if __name__ == "__main__":
    sys.exit(main())
