"""Grade many submissions with the instructor's tests, each in its own forked process.

The parent imports torch, pandas, hypothesis and pytest once and never runs submitted
code. For each submission it forks a child that runs the tests in a fresh copy of the
test files (a sandbox), and streams one JSON record per test back through a pipe. So:
- a child that exits early (os._exit, sys.exit, pytest.exit, a crash) loses only the
  steps whose tests had not reported yet;
- a submission that replaces part of torch, pytest or the kata fails the tests reported
  after the replacement is found, or every step if it is found only at the end (kata.tamper);
- a submission that edits the test files edits only its sandbox, and is caught by a
  checksum of the sandbox afterwards; the instructor's own files are checked too, and
  restored if touched;
- the reference solution cannot be imported from a submission.
"""

import hashlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata import tamper
from kata.data import DATA_FILE
from kata.manifest import ROOT, STEPS, get_step

DEFAULT_TIMEOUT = 120.0
HARNESS_PATTERNS = (
    "conftest.py",
    "pyproject.toml",
    "tests/__init__.py",
    "tests/strategies.py",
    "tests/diagnoses.py",
    "tests/test_*.py",
    "tests/hidden/*.py",
)


@dataclass
class Grade:
    """The result of grading one submission."""

    path: str
    status: str = "error"  # "pass", "fail" or "error"
    points: int = 0
    max_points: int = 0
    steps: list = field(default_factory=list)  # {"step", "points", "max_points", "reason"}
    tests: list = field(default_factory=list)  # the Progress records
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "message": self.message,
            "steps": self.steps,
            "tests": self.tests,
        }


def harness_files(root: Path = ROOT) -> dict[str, bytes]:
    """The instructor's test files, relative path -> content."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for pattern in HARNESS_PATTERNS
        for p in sorted(root.glob(pattern))
    }


def _digest(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}


def _make_sandbox(files: dict[str, bytes]) -> Path:
    sandbox = Path(tempfile.mkdtemp(prefix="kata-grade-"))
    for name, content in files.items():
        (sandbox / name).parent.mkdir(parents=True, exist_ok=True)
        (sandbox / name).write_bytes(content)
    return sandbox


def _edited(root: Path, expected: dict[str, str]) -> list[str]:
    """The harness files under root that differ from `expected`, or are missing or added."""
    now = _digest(harness_files(root))
    return sorted(name for name in set(now) | set(expected) if now.get(name) != expected.get(name))


def _warm_imports():
    """Import the heavy modules once, in the parent, before forking."""
    import hypothesis  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401
    import torch  # noqa: F401

    import kata.runner  # noqa: F401
    import kata.training  # noqa: F401


def _child(submission: Path, sandbox: Path, write_fd: int, extra: list[str]) -> None:
    """Run the tests on one submission inside its sandbox, streaming records; never returns."""
    import torch

    from kata.runner import run_tests

    torch.set_num_threads(1)
    os.chdir(sandbox)
    sys.path[:] = [p for p in sys.path if p not in ("", str(ROOT))]  # no `import solutions`
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    run_tests(submission, sandbox, extra, fd=write_fd)
    os.write(write_fd, b'{"finished": true}\n')
    os._exit(0)


def _parse(lines: list[bytes]) -> tuple[list[dict], list[dict], bool, list[str]]:
    """(collected tests, records, finished, what was replaced) from a child's JSON lines."""
    collected, records, finished, tampered = [], [], False, []
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if not isinstance(item, dict):
            continue
        if item.get("finished") is True:
            finished = True
        elif "tampered" in item:
            tampered = item["tampered"]
        elif "collected" in item:
            collected = item["collected"]
        elif "step" in item:
            records.append(item)
    return collected, records, finished, tampered


def _step_reason(expected: list[str], records: list[dict], void: str, ended: str) -> str:
    """Why a step earns nothing; empty when it earns its points."""
    if void:
        return void
    if not expected:
        return f"no checks ran ({ended})"
    reported = {r["name"]: r for r in records}
    missing = [name for name in expected if name not in reported]
    if missing:
        return f"{ended} before {missing[0].split('::')[-1]} reported"
    failed = [reported[name] for name in expected if reported[name]["status"] != "passed"]
    if failed:
        return f"{failed[0]['name'].split('::')[-1]}: {failed[0]['message']}"
    return ""


def score(path: str, lines: list[bytes], edits: list[str], ended: str, step_numbers) -> Grade:
    """Points per step from a child's streamed records: a step counts when every one of its
    checks, and every check of the functions its fit calls, reported a pass."""
    collected, records, finished, tampered = _parse(lines)
    void = (
        "the submission edited the test files: " + ", ".join(edits)
        if edits
        else tamper.describe(tampered)
        if tampered
        else ""
    )
    grade = Grade(path, tests=records)
    for number in step_numbers:
        step = get_step(number)
        expected = [
            t["name"] for t in collected if t["step"] == number or t.get("function") in step.fit_functions
        ]
        reason = _step_reason(expected, records, void, ended)
        grade.steps.append(
            {
                "step": number,
                "points": 0 if reason else step.points,
                "max_points": step.points,
                "reason": reason,
            }
        )
    grade.points = sum(s["points"] for s in grade.steps)
    grade.max_points = sum(s["max_points"] for s in grade.steps)
    if void or not collected:
        grade.status, grade.message = "error", grade.steps[0]["reason"]
    else:
        grade.status = "pass" if grade.points == grade.max_points else "fail"
        grade.message = "" if finished else ended
    return grade


def grade_all(
    submissions, jobs: int = 2, timeout: float = DEFAULT_TIMEOUT, step: int | None = None, root: Path = ROOT
) -> list[Grade]:
    """Grade each submission (a linreg.py, or a folder holding one), `jobs` at a time.

    With `step`, only that step counts. Every check still runs: a step also needs the checks
    of the functions its fit calls, which belong to earlier steps.
    """
    from kata.impl import ImplError, resolve

    _warm_imports()
    files = harness_files(root)
    expected = _digest(files)
    data_bytes = DATA_FILE.read_bytes()
    extra = ["--hypothesis-profile", "grading"]
    step_numbers = [step] if step else [s.number for s in STEPS]
    pending = list(enumerate(submissions))
    running = {}  # pid -> dict(index, path, fd, started, buffer, sandbox)
    grades = {}
    while pending or running:
        while pending and len(running) < jobs:
            index, submission = pending.pop(0)
            try:
                path = resolve(submission)
            except ImplError as error:
                grades[index] = Grade(
                    str(submission),
                    message=str(error),
                    max_points=sum(get_step(n).points for n in step_numbers),
                )
                continue
            sandbox = _make_sandbox(files)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child
                os.close(read_fd)
                try:
                    _child(path, sandbox, write_fd, extra)
                finally:
                    os._exit(70)
            os.close(write_fd)
            running[pid] = {
                "index": index,
                "path": str(submission),
                "fd": read_fd,
                "started": time.monotonic(),
                "buffer": b"",
                "sandbox": sandbox,
            }
        for pid, ended in _wait_for_children(running, timeout):
            job = running.pop(pid)
            edits = _edited(job["sandbox"], expected) + _restore_originals(root, files, expected, data_bytes)
            shutil.rmtree(job["sandbox"], ignore_errors=True)
            lines = job["buffer"].splitlines()
            grades[job["index"]] = score(job["path"], lines, edits, ended, step_numbers)
    return [grades[i] for i in range(len(submissions))]


def _restore_originals(
    root: Path, files: dict[str, bytes], expected: dict[str, str], data_bytes: bytes
) -> list[str]:
    """Put back any of the instructor's own files that a submission changed; name them."""
    changed = _edited(root, expected)
    for name in changed:
        target = root / name
        if name in files:
            target.write_bytes(files[name])
        else:
            target.unlink(missing_ok=True)
    if DATA_FILE.read_bytes() != data_bytes:
        DATA_FILE.write_bytes(data_bytes)
        changed.append(str(DATA_FILE.relative_to(ROOT)))
    return changed


def _wait_for_children(running: dict, timeout: float):
    """Read what the children wrote; return (pid, how it ended) for each that is done."""
    by_fd = {job["fd"]: pid for pid, job in running.items()}
    readable, _, _ = select.select(list(by_fd), [], [], 0.2)
    done = []
    for fd in readable:
        pid = by_fd[fd]
        chunk = os.read(fd, 1 << 16)
        if chunk:
            running[pid]["buffer"] += chunk
            continue
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        done.append((pid, "the test process ended" + (f" with status {code}" if code else "")))
    for pid, job in running.items():
        if pid not in dict(done) and time.monotonic() - job["started"] > timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(job["fd"])
            done.append((pid, f"timed out after {timeout:g} s"))
    return done
