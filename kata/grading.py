"""Grade many submissions with the kata's tests, each in its own forked process.

The parent imports torch, pandas, hypothesis and pytest once; every submission then runs
the test suite in a child forked from it, so that start-up is paid once. A child reports
its per-test records through a pipe; a child that dies, hangs or exits before reporting
scores nothing, with the reason stated.
"""

import json
import os
import select
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata.manifest import ROOT, STEPS

TEST_DIR = ROOT / "tests"
DEFAULT_TIMEOUT = 120.0


@dataclass
class Grade:
    """The result of grading one submission."""

    path: str
    status: str  # "pass", "fail" or "error"
    points: int = 0
    max_points: int = sum(s.points for s in STEPS)
    tests: list = field(default_factory=list)  # the Progress records
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "message": self.message,
            "tests": self.tests,
        }


def _warm_imports():
    """Import the heavy modules once, in the parent, before forking."""
    import hypothesis  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401
    import torch  # noqa: F401

    import tests.diagnoses  # noqa: F401


class _Collect:
    """A pytest plugin that hands the Progress records back after the run."""

    def __init__(self):
        self.records = None

    def pytest_unconfigure(self, config):
        progress = config.pluginmanager.get_plugin("kata-progress")
        self.records = progress.records if progress else None


def _child(submission: str, write_fd: int, pytest_args: list[str]) -> None:
    """Run the tests on one submission, write the records as JSON, and exit."""
    import pytest
    import torch

    torch.set_num_threads(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    collect = _Collect()
    args = [
        str(TEST_DIR),
        f"--rootdir={ROOT}",
        "-p",
        "no:cacheprovider",
        "-q",
        "--impl",
        submission,
        *pytest_args,
    ]
    pytest.main(args, plugins=[collect])
    payload = json.dumps({"records": collect.records}).encode()
    with os.fdopen(write_fd, "wb") as pipe:
        pipe.write(payload)
    os._exit(0)


def _score(path: str, payload: bytes, reason: str) -> Grade:
    try:
        records = json.loads(payload)["records"] if payload else None
    except ValueError:
        records = None
    if not records:
        return Grade(path, "error", message=reason or "the test run ended before reporting results")
    points = 0
    for s in STEPS:
        mine = [r for r in records if r["step"] == s.number]
        if mine and all(r["status"] == "passed" for r in mine):
            points += s.points
    max_points = sum(s.points for s in STEPS)
    status = "pass" if points == max_points else "fail"
    return Grade(path, status, points, max_points, records)


def grade_all(submissions, jobs: int = 2, timeout: float = DEFAULT_TIMEOUT, pytest_args=()) -> list[Grade]:
    """Grade each submission (a linreg.py or a folder holding one) in a forked child."""
    _warm_imports()
    pending = [str(Path(s)) for s in submissions]
    running = {}  # pid -> (path, read fd, start time, chunks)
    grades = {}
    while pending or running:
        while pending and len(running) < jobs:
            path = pending.pop(0)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_fd)
                try:
                    _child(path, write_fd, list(pytest_args))
                finally:
                    os._exit(70)
            os.close(write_fd)
            running[pid] = (path, read_fd, time.monotonic(), [])
        _collect_output(running, grades, timeout)
    return [grades[str(Path(s))] for s in submissions]


def _collect_output(running: dict, grades: dict, timeout: float) -> None:
    """Read what children wrote; reap the finished and kill the overdue."""
    fds = {info[1]: pid for pid, info in running.items()}
    readable, _, _ = select.select(list(fds), [], [], 0.2)
    for fd in readable:
        pid = fds[fd]
        chunk = os.read(fd, 1 << 16)
        path, _, started, chunks = running[pid]
        if chunk:
            chunks.append(chunk)
            continue
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        del running[pid]
        reason = (
            ""
            if os.waitstatus_to_exitcode(status) == 0
            else (f"the test process exited with status {os.waitstatus_to_exitcode(status)}")
        )
        grades[path] = _score(path, b"".join(chunks), reason)
    for pid, (path, fd, started, _) in list(running.items()):
        if time.monotonic() - started > timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)
            del running[pid]
            grades[path] = Grade(path, "error", message=f"timed out after {timeout:.0f} s")
