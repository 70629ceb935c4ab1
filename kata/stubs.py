"""Generate the learner's stubs (exercises/linreg.py) from the reference solution.

In solutions/linreg.py:
- a `# BEGIN SOLUTION` ... `# END SOLUTION` region is removed from the stubs; inside
  a function it becomes `raise NotImplementedError(...)` naming the function and step;
- a `# STUB: <code>` line becomes `<code>` in the stubs.

`python -m kata stubs` rewrites exercises/linreg.py; `python -m kata stubs --check`
fails when the committed stubs differ from what this module generates.
"""

import ast
import difflib
import re
from pathlib import Path

from kata.manifest import ROOT, step_introducing

SOLUTION_FILE = ROOT / "solutions" / "linreg.py"
EXERCISE_FILE = ROOT / "exercises" / "linreg.py"

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
STUB = re.compile(r"^(\s*)# STUB: (.*)$")
HEADER = (
    "# Your copy of the kata: fill in the functions and FIT_SETTINGS below.\n"
    "# (Generated from solutions/linreg.py by `python -m kata stubs`.)\n"
)


class MarkerError(ValueError):
    """The solution markers are unbalanced."""


def _enclosing_functions(source: str) -> dict[int, str]:
    """Line number (1-based) -> the name of the top-level function holding it."""
    owner = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            for line in range(node.lineno, node.end_lineno + 1):
                owner[line] = node.name
    return owner


def _not_implemented(indent: str, function: str) -> str:
    step = step_introducing(function).number
    message = f"{function} is not written yet (step {step})"
    return f'{indent}raise NotImplementedError("{message}")\n'


def generate(source: str) -> str:
    """The stub module for a solution module's source."""
    owner = _enclosing_functions(source)
    out, inside = [HEADER], False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        begin, stub = BEGIN.match(line), STUB.match(line)
        if begin:
            if inside:
                raise MarkerError(f"line {number}: BEGIN SOLUTION inside another region")
            inside = True
            if number in owner:
                out.append(_not_implemented(begin.group(1), owner[number]))
        elif END.match(line):
            if not inside:
                raise MarkerError(f"line {number}: END SOLUTION without BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(f"{stub.group(1)}{stub.group(2)}\n" if stub else line)
    if inside:
        raise MarkerError("BEGIN SOLUTION is never closed")
    return "".join(out)


def drift(solution: Path = SOLUTION_FILE, exercise: Path = EXERCISE_FILE) -> str:
    """A unified diff from the committed stubs to the generated ones; empty when in sync."""
    expected = generate(solution.read_text(encoding="utf-8"))
    actual = exercise.read_text(encoding="utf-8") if exercise.exists() else ""
    return "".join(
        difflib.unified_diff(
            actual.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            fromfile=f"{exercise.name} (committed)",
            tofile=f"{exercise.name} (generated)",
        )
    )


def write(solution: Path = SOLUTION_FILE, exercise: Path = EXERCISE_FILE) -> None:
    """Regenerate the stubs from the solution."""
    exercise.write_text(generate(solution.read_text(encoding="utf-8")), encoding="utf-8")
