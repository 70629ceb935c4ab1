"""Workers started the portable way: a fresh interpreter per worker, on every system.

`python -P -m kata.worker.start SCRATCH` reads requests on its standard input and answers
on its standard output, in the frames of kata.worker.protocol, as a worker forked by
the zygote does on its socket; what the learner's code prints goes to its standard error
(the output file). Only what every system has is used: `subprocess`, pipes, a thread that
reads each worker's answers, and a monotonic clock for the deadlines. A worker that does
not answer in time is killed from here with everything it started: its process group on
macOS and Linux, a job object on Windows.

A fresh interpreter imports torch again (a second or two), so a worker is started ahead,
as a spare: the first one as soon as the workers are opened (it is ready by the time pytest
has collected the checks), the next one as soon as a worker is killed for a hang or a
crash, and, for `kata watch`, one at the end of every run (`prepare`).
"""

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

from kata.worker.protocol import Frames, ProtocolError, decode_frame, encode_frame
from kata.workers import worker_path

CREATE_NO_WINDOW = 0x08000000  # Windows: no console window for the worker


class PortableWorkers:
    """Starts workers as fresh interpreters, one kept ready ahead."""

    kind = "portable"

    def __init__(self, output=None):
        self.output = output  # a file the workers' prints go to, or None (thrown away)
        self.spare = None
        self.spare = self._launch()

    def start(self) -> "ProcessChannel":
        """A worker ready for its `load` request (the spare, if there is one)."""
        worker, self.spare = self.spare or self._launch(), None
        return worker

    def prepare(self) -> None:
        """Start a spare now: a worker was killed, and the next call will want another (or
        a `kata watch` run ended, and the next save will)."""
        if self.spare is None:
            self.spare = self._launch()

    def _launch(self) -> "ProcessChannel":
        return ProcessChannel(self.output)

    def close(self) -> None:
        if self.spare:
            self.spare.kill()
            self.spare = None


class ProcessChannel:
    """One worker process and the pipes to it."""

    def __init__(self, output=None):
        self.scratch = tempfile.mkdtemp(prefix="kata-worker-")
        env = {k: v for k, v in os.environ.items() if k in KEPT_ENVIRONMENT}
        env |= {"PYTHONPATH": worker_path(), "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"}
        env |= {"PYTHONIOENCODING": "utf-8", "PYTHONHASHSEED": "0"}
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "kata.worker.start", self.scratch],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=output if output is not None else subprocess.DEVNULL,
            cwd=self.scratch,
            env=env,
            start_new_session=os.name == "posix",  # its own process group, killed whole
            creationflags=CREATE_NO_WINDOW if os.name == "nt" else 0,
        )
        self.pid = self.process.pid
        self.job = windows_job(self.process) if os.name == "nt" else None
        self.frames = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """In a thread: split the worker's answers into frames, and put each on the queue
        (a ProtocolError for one the protocol does not allow; EOFError when the worker has
        gone)."""
        frames, stream = Frames(), self.process.stdout
        try:
            while chunk := stream.read1(1 << 20):
                frames.feed(chunk)
                while (frame := frames.take()) is not None:
                    self.frames.put(frame)
        except ProtocolError as error:
            self.frames.put(error)
            return
        except (OSError, ValueError):
            pass
        self.frames.put(EOFError("the worker ended"))

    def send(self, message: dict) -> None:
        self.process.stdin.write(encode_frame(message))
        self.process.stdin.flush()

    def receive(self, seconds: float) -> dict | None:
        """The next message, or None when `seconds` pass first (on a monotonic clock, as
        Queue.get's timeout is). Raises EOFError when the worker has gone, ProtocolError on
        a message the protocol does not allow."""
        try:
            frame = self.frames.get(timeout=max(seconds, 0.0))
        except queue.Empty:
            return None
        if isinstance(frame, Exception):
            self.frames.put(frame)  # the worker stays gone for every later receive
            raise frame
        return decode_frame(*frame)

    def kill(self) -> None:
        """Kill the worker and whatever it started; remove its scratch folder."""
        if self.job is not None:
            self.job.close()
        elif os.name == "posix":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


# What a worker keeps of the environment: enough for Python and torch to start anywhere.
KEPT_ENVIRONMENT = (
    *("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TEMP", "TMP", "TMPDIR", "HOME", "USERPROFILE"),
    "KATA_PROFILE_WORKER",  # kata.worker.profiling
)


def windows_job(process):
    """A Windows job object holding `process`, that kills every process in it when closed
    (or when the process that holds it dies): what a process group is on POSIX."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

    class Limits(ctypes.Structure):  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", wintypes.DWORD),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", wintypes.DWORD),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", wintypes.DWORD),
            ("SchedulingClass", wintypes.DWORD),
            ("IoInfo", ctypes.c_uint64 * 6),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    kill_on_close, extended_limits = 0x2000, 9
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    job = kernel32.CreateJobObjectW(None, None)
    limits = Limits(LimitFlags=kill_on_close)
    kernel32.SetInformationJobObject(job, extended_limits, ctypes.byref(limits), ctypes.sizeof(limits))
    kernel32.AssignProcessToJobObject(job, wintypes.HANDLE(process._handle))  # noqa: SLF001

    class Job:
        def close(self) -> None:
            kernel32.TerminateJobObject(job, 1)
            kernel32.CloseHandle(job)

    return Job()
