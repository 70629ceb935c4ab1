"""The checking processes of `kata grade`: one per submission, never importing its code.

A checking process runs the visible and hidden checks on one submission (kata.runner), in
pytest, and writes their records as JSON lines (kata.records) on a pipe to the grading
process. Its learner's code runs in a worker of its own (kata.workers). It comes to be in
one of two ways, chosen as the workers' way is:
- forked from the grading process, where workers come from the zygote: torch, pytest and
  the checks are imported once, and each checking process gets a control socket of the one
  zygote (kata.zygote);
- started fresh, `python -m kata.checking LINREG_PY HYPOTHESIS_HOME`, where the system
  cannot fork: its records go to its standard output, and it starts its own workers the
  portable way.
Either way it is killed with what it started, and its records are read by a thread.
"""

import contextlib
import gc
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from kata.portable import CREATE_NO_WINDOW, windows_job
from kata.workers import chosen


def open_checks(scratch: Path):
    """How this system starts checking processes (see the module doc)."""
    return ForkedChecks(scratch) if chosen() == "zygote" else SpawnedChecks(scratch)


class CheckingProcess:
    """A checking process: its pid, how to end it, and a thread that reads its records and
    hands each chunk, then b"" at the end, to `deliver(chunk)`."""

    def __init__(self, pid: int, stream, kill, wait):
        self.pid, self.stream, self._kill, self._wait = pid, stream, kill, wait

    def read_into(self, deliver) -> None:
        def read() -> None:
            try:
                while chunk := self.stream.read(1 << 16):
                    deliver(chunk)
            except (OSError, ValueError):
                pass
            finally:
                with contextlib.suppress(OSError):
                    self.stream.close()
                deliver(b"")

        threading.Thread(target=read, daemon=True).start()

    def kill(self) -> None:
        """Kill it; its worker goes with it."""
        with contextlib.suppress(OSError):
            self._kill()

    def wait(self) -> int:
        """Its exit status, once it has ended."""
        return self._wait()


class ForkedChecks:
    """Checking processes forked from this process, with workers from one zygote."""

    def __init__(self, scratch: Path):
        from kata.zygote import ZygoteWorkers

        self.scratch = scratch
        self.workers = ZygoteWorkers()  # it imports torch while this process does the same
        try:
            _keep_hypothesis_files_in(scratch)
            _warm_imports()
        except BaseException:  # Ctrl-C while the examples are drawn: the zygote goes too
            self.workers.close()
            raise

    def start(self, submission: Path) -> CheckingProcess:
        """Fork the checking process of a submission's linreg.py (OSError if the machine
        cannot, for now)."""
        self._replace_a_dead_zygote()
        control = self.workers.client()
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (read_fd, write_fd):
                os.close(fd)
            control.close()
            raise
        if pid == 0:
            try:
                os.close(read_fd)
                self.workers.control.close()
                _forked_checks(submission, control, write_fd)
            finally:
                os._exit(70)
        os.close(write_fd)
        control.close()

        def wait() -> int:
            try:
                return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            except ChildProcessError:
                return -9

        return CheckingProcess(pid, os.fdopen(read_fd, "rb", buffering=0), lambda: os.kill(pid, 9), wait)

    def _replace_a_dead_zygote(self) -> None:
        if self.workers.zygote.process.poll() is not None:
            from kata.zygote import ZygoteWorkers

            self.workers.close()
            self.workers = ZygoteWorkers()

    def close(self) -> None:
        self.workers.close()


class SpawnedChecks:
    """Checking processes started as fresh interpreters (where this system cannot fork), each
    checking one submission after another, so that torch and pytest are imported once per
    process, not once per submission: `python -m kata.checking HYPOTHESIS_HOME` reads a
    linreg.py's path per line, and answers with that submission's records, the last one
    {"finished": true}. One that is killed (a submission ran out of time) is not reused."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.idle = []  # servers waiting for their next submission

    def start(self, submission: Path) -> CheckingProcess:
        server = self.idle.pop() if self.idle else Server(self.scratch)
        server.send(submission)

        def wait() -> int:
            if server.alive():
                self.idle.append(server)
                return 0
            return server.process.wait()

        return CheckingProcess(server.process.pid, server, server.kill, wait)

    def close(self) -> None:
        for server in self.idle:
            server.kill()
        self.idle = []


class Server:
    """A checking process started fresh, and the thread that hands its records, line by
    line, to whoever waits for the submission it is on (`read` then returns b"" at its
    {"finished": true}, or when the process has ended)."""

    FINISHED = b'{"finished": true}\n'

    def __init__(self, scratch: Path):
        env = os.environ | {"KATA_SHOW_OUTPUT": "0", "KATA_WORKER": "portable", "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kata.checking", str(scratch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=scratch,
            start_new_session=os.name == "posix",
            creationflags=CREATE_NO_WINDOW if os.name == "nt" else 0,
        )
        self.job = windows_job(self.process) if os.name == "nt" else None
        self.ended = False  # the submission on it has had its records
        self.killed = False

    def send(self, submission: Path) -> None:
        self.ended = False
        self.process.stdin.write(str(submission).encode("utf-8") + b"\n")
        self.process.stdin.flush()

    def read(self, size: int) -> bytes:
        """The next line of records (b"" once this submission's records are complete)."""
        if self.ended:
            return b""
        line = self.process.stdout.readline()
        self.ended = not line or line == self.FINISHED
        return line

    def close(self) -> None:
        """The stream stays open for the next submission (CheckingProcess.read_into calls this)."""

    def alive(self) -> bool:
        """Whether it can take the next submission."""
        return not self.killed and self.ended and self.process.poll() is None

    def kill(self) -> None:
        self.killed = True
        if self.job is not None:
            self.job.close()
        elif os.name == "posix":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.process.kill()


def _warm_imports():
    """Import the heavy modules once, here, before forking the checking processes."""
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    import torch  # noqa: F401

    import kata.plugin  # noqa: F401
    import kata.runner  # noqa: F401

    _draw_examples()
    gc.collect()
    gc.freeze()  # what is here now stays: no forked process's collector walks it (or copies it)


# The grading profile, without pytest's plugins that wrap every check to catch what the
# checking code logs or warns (nobody reads a checking process's output): 0.02 s a submission.
QUIET_PLUGINS = ["-p", "no:logging", "-p", "no:warnings", "-p", "no:threadexception", "-p", "no:faulthandler"]
GRADING = ["--hypothesis-profile", "grading", *QUIET_PLUGINS]
EXAMPLES = {}  # nodeid -> the examples of each property check, drawn once (kata.drawn)


def _draw_examples() -> None:
    """Draw every property check's examples, once for all the submissions this process and
    its forks check."""
    from kata.drawn import draw_examples

    EXAMPLES.update(draw_examples(GRADING))


def _keep_hypothesis_files_in(folder: Path) -> None:
    """Hypothesis keeps files (.hypothesis/) in the working folder: grading keeps them in its
    scratch folder instead of wherever it was started."""
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(Path(folder) / ".hypothesis")


def _forked_checks(submission: Path, control, records: int) -> None:
    """In a forked checking process: the checks, with workers from the zygote's `control`."""
    from kata import zygote

    zygote.HANDED.update(control=control, show_output=False)
    run_checks(submission, records)


def run_checks(submission: Path, records: int) -> None:
    """Run every check on one submission, writing the records on `records`; never returns.
    Nothing else of this process may write there: standard output and error go nowhere."""
    _quiet()
    check_one(submission, records)
    os._exit(0)


def _quiet() -> None:
    import torch

    torch.set_num_threads(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def check_one(submission: Path, records: int) -> None:
    """Every check on one submission, in this process; its records, then {"finished": true}."""
    from kata.drawn import Replay
    from kata.runner import run_tests

    run_tests(submission, extra=GRADING, fd=records, plugins=[Replay(EXAMPLES)])
    os.write(records, b'{"finished": true}\n')


def main() -> None:
    """`python -m kata.checking HYPOTHESIS_HOME`: a checking process started fresh, checking
    the submission of each line of its standard input in turn (see SpawnedChecks)."""
    records = os.dup(1)
    requests = os.fdopen(os.dup(0), "rb")
    _keep_hypothesis_files_in(Path(sys.argv[1]))
    _quiet()
    _draw_examples()
    for line in requests:
        check_one(Path(line.decode("utf-8").strip()), records)
    os._exit(0)


if __name__ == "__main__":
    main()
