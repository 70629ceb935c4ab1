"""Grade many submissions with the instructor's checks.

Three kinds of process, and only one of them ever runs a submission's code:
- this grading process: hands out work, scores, writes every report;
- a checking process per submission (kata.checking): forked from this one, or started
  fresh where the system cannot fork; it runs pytest on the checks and streams its records
  here through a pipe (kata.records); it never imports the submission;
- the submission's worker (kata.worker, started as kata.workers says): imports the
  submission, confined as far as the system allows, and answers the checking process's
  probes in plain data.
A submission therefore cannot touch the records, the scores or the report files: it holds
none of their descriptors or objects, and (with Landlock) cannot write outside its scratch
folder or read the grader's repository. A worker that ends early only loses the checks it
was asked about; the checking process reports them as failed. A submission whose checks
failed in a way the machine may cause, beside others, is graded again alone (`_run`).
"""

import os
import queue
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kata.manifest import LIMITS, STEPS, get_step
from kata.progress import CANNOT_IMPORT
from kata.records import RecordReader


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
    regraded_alone: bool = False  # it ran out of time beside others, and was graded again alone
    roster: dict = field(default_factory=dict)  # the learner's roster row (kata.roster), if any
    submitted: dict = field(default_factory=dict)  # deadline, commit time, lateness (kata.classbook)

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
            "regraded_alone": self.regraded_alone,
            "roster": self.roster,
            "submitted": self.submitted,
        }

    def rename(self, old: str, new: str) -> None:
        """Say the file `new` wherever the messages and reasons name the file `old`, or its
        folder (as a learner's code may, from its __file__)."""
        pairs = [(old, new)]
        if Path(old).parent.is_absolute() and Path(old).parent != Path(new).parent:  # never "." or ""
            pairs.append((str(Path(old).parent), str(Path(new).parent)))
        for part in (self.__dict__, *self.steps, *self.tests):
            for key in ("reason", "message"):
                if isinstance(part.get(key), str):
                    for before, after in pairs:
                        part[key] = part[key].replace(before, after)

    def confinement_gaps(self) -> list[str]:
        """What the submission's worker ran without, in words ([] when fully confined, or
        when no worker ran)."""
        c = self.confinement
        if not c:
            return []
        gaps = [] if c.get("namespaces") else ["its own namespaces (PID, network, IPC, mount)"]
        gaps += [] if c.get("private_scratch") else ["a private scratch tmpfs"]
        gaps += [] if c.get("own_root") else ["a root file system of its own (os.stat sees the host)"]
        gaps += [] if c.get("landlock") else [f"Landlock ({c.get('problem') or 'not applied'})"]
        return gaps


def _step_reason(expected: list[str], records: list[dict], ended: str) -> str:
    """Why a step earns nothing; empty when it earns its points."""
    if not expected:
        return f"no checks ran ({ended})"
    reported = {r.get("name"): r for r in records}
    missing = [name for name in expected if name not in reported]
    if missing:
        check = "a hidden check" if is_hidden(missing[0]) else str(missing[0]).split("::")[-1]
        return f"{ended} before {check} reported"
    failed = [reported[name] for name in expected if reported[name].get("status") != "passed"]
    if not failed:
        return ""
    if is_hidden(failed[0]["name"]):  # its message may hold the hidden inputs, or what the code said of them
        what = failed[0].get("function") or "this step's fit"
        return f"a hidden check of {what} failed: it runs your code again on data you do not see"
    return f"{str(failed[0]['name']).split('::')[-1]}: {failed[0].get('message', '')}"


def is_hidden(name) -> bool:
    """Whether a check (by its pytest node id) is one of the hidden checks (tests/hidden)."""
    return isinstance(name, str) and name.startswith("tests/hidden/")


def score(path: str, reader: RecordReader, ended: str, step_numbers) -> Grade:
    """Points per step from the records: a step counts when every one of its checks, and
    every check of the functions its fit calls, passed. Checks that did not finish make the
    status "error", with the reason; the steps whose checks all passed keep their points."""
    records = reader.records
    grade = Grade(path, tests=records, confinement=reader.confinement)
    for number in step_numbers:
        step = get_step(number)
        expected = [
            t.get("name")
            for t in reader.collected
            if t.get("step") == number or t.get("function") in step.fit_functions
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
    reasons = [s["reason"] for s in grade.steps if s["reason"]]
    if not reader.collected:
        grade.status, grade.message = "error", grade.steps[0]["reason"]
    elif records and all(r.get("kind") == CANNOT_IMPORT for r in records):  # nothing of it could run
        grade.status, grade.message = "error", str(records[0].get("message", "")).splitlines()[0][:200]
    elif not reader.finished:
        grade.status, grade.message = "error", ended
    else:
        grade.status = "pass" if grade.points == grade.max_points else "fail"
        if grade.points == 0 and reasons:  # nothing earned: say why, in a line (a syntax error, say)
            grade.message = reasons[0].splitlines()[0][:200]
    return grade


def _error(path: str, reason: str, step_numbers) -> Grade:
    """The grade of a submission that could not be graded at all (no linreg.py, say)."""
    steps = [
        {"step": n, "points": 0, "max_points": get_step(n).points, "reason": reason} for n in step_numbers
    ]
    return Grade(path, message=reason, max_points=sum(s["max_points"] for s in steps), steps=steps)


def default_jobs() -> int:
    """Submissions graded at once by default: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _stamped(grade: Grade, sub) -> Grade:
    grade.learner, grade.commit = sub.learner, sub.commit
    if sub.shown:  # a copy out of a commit: named as in the repository, not by its scratch path
        grade.rename(str(sub.path), sub.shown)
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

    with tempfile.TemporaryDirectory(prefix="kata-grade-") as scratch:
        subs = find_all(list(submissions), before, Path(scratch))
        return grade_found(subs, Path(scratch), jobs, timeout, step, on_graded)


def grade_found(
    subs, scratch: Path, jobs=None, timeout=LIMITS.seconds_per_submission, step=None, on_graded=None
):
    """Grade submissions already found (kata.submissions.Submission), as grade_all does;
    `scratch` is a folder for the checking processes, kept until they end."""
    from kata.checking import open_checks

    if not subs:  # e.g. --resume found every file already graded: no checks to start
        return []
    jobs = jobs or default_jobs()
    step_numbers = [step] if step else [s.number for s in STEPS]
    checks = open_checks(scratch)
    grades = {}

    def graded(index: int, grade: Grade) -> None:
        grades[index] = _stamped(grade, subs[index])
        if on_graded:
            on_graded(grades[index])

    try:
        _run(subs, jobs, timeout, step_numbers, checks, graded)
    finally:
        checks.close()
    return [grades[i] for i in range(len(subs))]


@dataclass
class Job:
    """A checking process at work on one submission."""

    index: int
    sub: object  # kata.submissions.Submission
    process: object  # kata.checking.CheckingProcess
    started: float = field(default_factory=time.monotonic)
    reader: RecordReader = field(default_factory=RecordReader)
    beside_others: bool = False  # another checking process ran at some time during this one
    ended: str = ""  # how it ended, once it has
    again_alone: bool = False  # it failed in a way the machine may cause, beside others


START_RETRY_SECONDS = 60.0  # how long a submission waits for the machine to start its checks


def _run(subs, jobs, timeout, step_numbers, checks, graded) -> None:
    """Start a checking process per submission, `jobs` at a time, and score each as it ends.

    Deadlines are wall-clock, and a machine can run out of processes: a busy neighbour can
    make a correct submission fail. A submission that ran out of a time limit, could not get
    a worker, or whose checks broke off, while another was being checked, is therefore
    stopped at once and graded again at the end, alone: only a verdict reached alone
    counts against its code."""
    waiting, again, running = deque(enumerate(subs)), deque(), {}
    events = queue.Queue()  # (job, chunk of its records; b"" once they end), from reader threads
    retried, refused_since = set(), {}
    try:
        while waiting or again or running:
            while waiting and len(running) < jobs or again and not waiting and not running:
                alone = not waiting
                index, sub = waiting.popleft() if waiting else again.popleft()
                if sub.problem:
                    graded(index, _error(sub.given, sub.problem, step_numbers))
                    continue
                try:
                    process = checks.start(sub.path)
                except OSError as error:  # no process left on the machine: a neighbour's doing?
                    first = refused_since.setdefault(index, time.monotonic())
                    if alone and time.monotonic() - first > START_RETRY_SECONDS:
                        reason = f"the machine could not start its checks ({error})"
                        graded(index, _error(sub.given, reason, step_numbers))
                    else:  # later, alone, when whatever holds the machine has ended
                        (again.appendleft if alone else again.append)((index, sub))
                        retried.add(index)
                        time.sleep(0.5)
                    break
                job = Job(index, sub, process)
                running[id(job)] = job
                process.read_into(lambda chunk, job=job: events.put((job, chunk)))
            if len(running) > 1:
                for job in running.values():
                    job.beside_others = True
            for job in _take_events(events, running, timeout):
                del running[id(job)]
                if job.again_alone:
                    again.append((job.index, job.sub))
                    retried.add(job.index)
                    continue
                grade = _scored(job, step_numbers)
                grade.regraded_alone = job.index in retried
                graded(job.index, grade)
    finally:  # also on Ctrl-C: no checking process outlives the run (their workers die with them)
        for job in running.values():
            job.process.kill()
            job.process.wait()


def _take_events(events: queue.Queue, running: dict, timeout: float) -> list[Job]:
    """Read what the checking processes wrote; the jobs that are done (with `ended` set)."""
    done = []
    try:
        job, chunk = events.get(timeout=0.2)
        while True:
            if id(job) in running and job not in done:
                _take(job, chunk, done)
            job, chunk = events.get_nowait()
    except queue.Empty:
        pass
    for job in running.values():
        if job not in done and time.monotonic() - job.started > timeout:
            job.process.kill()
            job.process.wait()
            job.ended = f"the checks took more than the {timeout:g} s a submission may take in all"
            job.again_alone = job.beside_others
            done.append(job)
    return done


def _take(job: Job, chunk: bytes, done: list) -> None:
    """One chunk of a job's records (b"": they ended)."""
    if not chunk:
        code = job.process.wait()
        job.ended = "the checks ended" + (f" with status {code}" if code else "")
        job.again_alone = job.beside_others and not job.reader.finished  # broken off: the machine?
        done.append(job)
        return
    new = job.reader.feed(chunk)
    if job.reader.too_large:
        job.process.kill()
        job.process.wait()
        job.ended = f"the checks wrote more than {job.reader.limit >> 20} MiB of records"
        done.append(job)
    elif job.beside_others and any(r.get("retry_alone") for r in new):
        job.process.kill()
        job.process.wait()
        job.again_alone = True
        done.append(job)


def _scored(job: Job, step_numbers) -> Grade:
    """The grade of a submission whose checks ended; an error row if even scoring fails."""
    try:
        grade = score(job.sub.given, job.reader, job.ended, step_numbers)
    except Exception as error:  # noqa: BLE001 - whatever the records held, the class goes on
        grade = _error(
            job.sub.given, f"its records could not be scored ({type(error).__name__})", step_numbers
        )
    grade.seconds = round(time.monotonic() - job.started, 1)
    return grade


if __name__ == "__main__":
    sys.exit("use `python -m kata grade`")
