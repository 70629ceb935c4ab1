"""Helpers of the kata's own checks: run the commands as a user would."""

import subprocess
import sys

from kata.manifest import ROOT


def run_kata(*args, cwd=ROOT, check=False, module=True) -> subprocess.CompletedProcess:
    """`python -m kata ARGS` in a fresh process (with module=False, `python ARGS`); output
    captured as text."""
    return subprocess.run(
        [sys.executable, *(["-m", "kata"] if module else []), *map(str, args)],
        cwd=cwd,
        text=True,
        capture_output=True,
        check=check,
        timeout=600,
    )


def run_pytest(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    """A learner's plain `python -m pytest ARGS` in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", *map(str, args)],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=600,
    )


def with_mistake(tmp_path, name: str, extra: str, before: str = "") -> str:
    """The reference solution with `before` put at the top and `extra` appended: a whole linreg.py."""
    reference = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    path = tmp_path / f"{name}.py"
    path.write_text(before + "\n" + reference + "\n\n" + extra + "\n", encoding="utf-8")
    return str(path)
