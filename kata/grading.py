"""Grade many submissions with the instructor's checks.

Three kinds of process, and only one of them ever runs a submission's code:
- this grading process: starts one zygote, hands out work, scores, writes every report;
- a checking process per submission, forked from this one: runs pytest on the checks in
  process and streams its records here through a pipe; it never imports the submission;
- the submission's worker, forked by the zygote (kata.worker): imports the submission in a
  sandbox and answers the checking process's probes in plain data.
A submission therefore cannot touch the records, the scores or the report files: it holds
none of their descriptors or objects, and (with Landlock) cannot write outside its scratch
folder or read the grader's repository. A worker that ends early only loses the checks it
was asked about; the checking process reports them as failed.
"""

import json
import os
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kata.manifest import LIMITS, STEPS, get_step
from kata.progress import CANNOT_IMPORT


@dataclass
class Grade:
    """The result of grading one submission."""

    path: str  # the submission as named on the command line
    status: str = "error"  # "pass", "fail" or "error"
    points: int = 0
    max_points: int = 0
    steps: list = field(default_factory=list)  # {"step", "points", "max_points", "reason"}
    tests: list = field(default_factory=list)  # the Progress records
    message: str = ""
    confinement: dict = field(default_factory=dict)  # what the worker reported (kata.worker.confine)
    learner: str = ""  # the folder name (kata.submissions)
    commit: str = ""  # the commit graded, for a git repository
    graded_at: str = ""  # when grading ended, ISO 8601 in UTC
    seconds: float = 0.0  # how long its checks took (wall clock)

    def as_dict(self) -> dict:
        return {
            "learner": self.learner,
            "commit": self.commit,
            "graded_at": self.graded_at,
            "seconds": self.seconds,
            "path": self.path,
            "points": self.points,
            "max_points": self.max_points,
            "status": self.status,
            "message": self.message,
            "steps": self.steps,
            "tests": self.tests,
            "confinement": self.confinement,
        }

    def confinement_gaps(self) -> list[str]:
        """What the submission's worker ran without, in words ([] when fully confined, or
        when no worker ran)."""
        c = self.confinement
        if not c:
            return []
        gaps = [] if c.get("namespaces") else ["its own namespaces (PID, network, IPC, mount)"]
        gaps += [] if c.get("private_scratch") else ["a private scratch tmpfs"]
        gaps += [] if c.get("landlock") else [f"Landlock ({c.get('problem') or 'not applied'})"]
        return gaps


def _warm_imports():
    """Import the heavy modules once, here, before forking the checking processes."""
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    import torch  # noqa: F401

    import kata.plugin  # noqa: F401
    import kata.runner  # noqa: F401


def _keep_hypothesis_files_in(folder: Path) -> None:
    """Hypothesis keeps files (.hypothesis/) in the working folder: grading keeps them in its
    scratch folder instead of wherever it was started."""
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(folder / ".hypothesis")


def _checking_process(submission: Path, control, write_fd: int) -> None:
    """In the forked checking process: run the checks on one submission; never returns."""
    import torch

    from kata import zygote
    from kata.runner import run_tests

    torch.set_num_threads(1)
    zygote.HANDED["control"] = control
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    run_tests(submission, extra=["--hypothesis-profile", "grading"], fd=write_fd)
    os.write(write_fd, b'{"finished": true}\n')
    os._exit(0)


def _parse(lines: list[bytes]) -> tuple[list[dict], list[dict], bool, dict]:
    """(collected checks, records, finished, confinement) from a checking process's JSON lines."""
    collected, records, finished, confinement = [], [], False, {}
    for line in lines:
        item = _printable(json.loads(line))
        if item.get("finished") is True:
            finished = True
        elif "collected" in item:
            collected = item["collected"]
        elif "record" in item:
            records.append(item["record"])
        elif "confinement" in item:
            confinement = item["confinement"]
    return collected, records, finished, confinement


def _printable(value):
    """`value` with every string made encodable: a submission's messages may hold lone
    surrogates, which no report file or terminal could write."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    return value


def _step_reason(expected: list[str], records: list[dict], ended: str) -> str:
    """Why a step earns nothing; empty when it earns its points."""
    if not expected:
        return f"no checks ran ({ended})"
    reported = {r["name"]: r for r in records}
    missing = [name for name in expected if name not in reported]
    if missing:
        check = "a hidden check" if is_hidden(missing[0]) else missing[0].split("::")[-1]
        return f"{ended} before {check} reported"
    failed = [reported[name] for name in expected if reported[name]["status"] != "passed"]
    if not failed:
        return ""
    if is_hidden(failed[0]["name"]):  # its message may hold the hidden inputs, or what the code said of them
        what = failed[0].get("function") or "this step's fit"
        return f"a hidden check of {what} failed: it runs your code again on data you do not see"
    return f"{failed[0]['name'].split('::')[-1]}: {failed[0]['message']}"


def is_hidden(name: str) -> bool:
    """Whether a check (by its pytest node id) is one of the hidden checks (tests/hidden)."""
    return name.startswith("tests/hidden/")


def score(path: str, lines: list[bytes], ended: str, step_numbers) -> Grade:
    """Points per step from the records: a step counts when every one of its checks, and
    every check of the functions its fit calls, passed."""
    collected, records, finished, confinement = _parse(lines)
    grade = Grade(path, tests=records, confinement=confinement)
    for number in step_numbers:
        step = get_step(number)
        expected = [
            t["name"] for t in collected if t["step"] == number or t.get("function") in step.fit_functions
        ]
        reason = _step_reason(expected, records, ended)
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
    if not collected:
        grade.status, grade.message = "error", grade.steps[0]["reason"]
    elif records and all(r["kind"] == CANNOT_IMPORT for r in records):  # nothing of it could run
        grade.status, grade.message = "error", records[0]["message"].splitlines()[0][:200]
    else:
        grade.status = "pass" if grade.points == grade.max_points else "fail"
        reasons = [s["reason"] for s in grade.steps if s["reason"]]
        if not finished:
            grade.message = ended
        elif grade.points == 0 and reasons:  # nothing earned: say why, in a line (a syntax error, say)
            grade.message = reasons[0].splitlines()[0][:200]
    return grade


def _refused(path: str, reason: str, step_numbers) -> Grade:
    """The grade of a submission that cannot be graded at all (no linreg.py, say)."""
    steps = [
        {"step": n, "points": 0, "max_points": get_step(n).points, "reason": reason} for n in step_numbers
    ]
    return Grade(path, message=reason, max_points=sum(s["max_points"] for s in steps), steps=steps)


def default_jobs() -> int:
    """Submissions graded at once by default: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _stamped(grade: Grade, sub) -> Grade:
    grade.learner, grade.commit = sub.learner, sub.commit
    grade.graded_at = datetime.now(UTC).isoformat(timespec="seconds")
    return grade


def grade_all(
    submissions,
    jobs: int | None = None,
    timeout: float = LIMITS.seconds_per_submission,
    step: int | None = None,
    before: str | None = None,
    on_graded=None,
) -> list[Grade]:
    """Grade each submission (a linreg.py, a folder holding one, or a learner's repository),
    `jobs` at a time (default: one per core); `on_graded(grade)` is called as each one ends.
    With `before` (a date), a repository is graded as of its last commit before then. With
    `step`, only that step counts; every check still runs, since a step also needs the
    checks of the functions its fit calls. Ctrl-C stops every process of the run."""
    from kata.submissions import find_all
    from kata.zygote import Zygote

    jobs = jobs or default_jobs()
    step_numbers = [step] if step else [s.number for s in STEPS]
    with tempfile.TemporaryDirectory(prefix="kata-grade-") as scratch:
        subs = find_all(list(submissions), before, Path(scratch))
        zygote = Zygote()  # it imports torch while this process does the same
        _warm_imports()
        _keep_hypothesis_files_in(Path(scratch))
        grades = {}

        def graded(index: int, grade: Grade) -> None:
            grades[index] = _stamped(grade, subs[index])
            if on_graded:
                on_graded(grades[index])

        try:
            _run(subs, jobs, timeout, step_numbers, zygote, graded)
        finally:
            zygote.close()
    return [grades[i] for i in range(len(subs))]


def _run(subs, jobs, timeout, step_numbers, zygote, graded) -> None:
    """Fork a checking process per submission, `jobs` at a time, and score each as it ends."""
    pending = list(enumerate(subs))
    running = {}  # pid -> {"index", "path", "fd", "started", "buffer"}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                index, sub = pending.pop(0)
                if sub.problem:
                    graded(index, _refused(sub.given, sub.problem, step_numbers))
                    continue
                pid, read_fd = _start_checking(sub.path, zygote)
                running[pid] = {
                    "index": index,
                    "path": sub.given,
                    "fd": read_fd,
                    "started": time.monotonic(),
                    "buffer": b"",
                }
            for pid, ended in _wait_for_children(running, timeout):
                job = running.pop(pid)
                grade = score(job["path"], job["buffer"].splitlines(), ended, step_numbers)
                grade.seconds = round(time.monotonic() - job["started"], 1)
                graded(job["index"], grade)
    finally:  # also on Ctrl-C: no checking process outlives the run (their workers die with them)
        for pid in running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _start_checking(path: Path, zygote) -> tuple[int, int]:
    """Fork the checking process of the linreg.py at `path`: (its pid, the pipe it writes to)."""
    control = zygote.client()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            zygote.control.close()
            _checking_process(path, control, write_fd)
        finally:
            os._exit(70)
    os.close(write_fd)
    control.close()
    return pid, read_fd


def _wait_for_children(running: dict, timeout: float):
    """Read what the checking processes wrote; (pid, how it ended) for each that is done."""
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
        done.append((pid, "the checks ended" + (f" with status {code}" if code else "")))
    for pid, job in running.items():
        if pid not in dict(done) and time.monotonic() - job["started"] > timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(job["fd"])
            done.append((pid, f"timed out after {timeout:g} s"))
    return done


if __name__ == "__main__":
    sys.exit("use `python -m kata grade`")
