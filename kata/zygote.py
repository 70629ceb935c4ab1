"""The checking side's handle on the zygote (kata.worker.zygote), the warm process that
forks the confined workers (Linux), and the early start of whatever way workers come
(kata.workers). No torch here: workers start before torch is imported on this side, so
that both load it at once.

    pytest                    conftest.py calls start_early(); the plugin then take_early()s it
    kata grade / kata watch   start one Zygote, and hand a control socket of it (HANDED) to
                              the checking processes they fork
"""

import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import time

from kata.worker.protocol import Frames, decode_frame, encode_frame
from kata.workers import WorkerUnavailable, open_workers, worker_path

# Set in a checking process forked by kata.grading or kata.watching: the control socket of
# the zygote to use, and whether the learner's prints are shown (not when grading; a
# checking process started by `kata grade` the portable way is told by KATA_SHOW_OUTPUT=0).
# `kata watch` without fork runs its checks in its own process, with workers it keeps.
HANDED = {"control": None, "workers": None, "show_output": os.environ.get("KATA_SHOW_OUTPUT", "1") == "1"}
_early = None


class Zygote:
    """The process that forks workers (kata.worker.zygote), and its control socket."""

    def __init__(self):
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        kept = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "KATA_PROFILE_WORKER")  # see kata.worker.profiling
        env = {k: v for k, v in os.environ.items() if k in kept}
        env |= {"PYTHONPATH": worker_path(), "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"}
        env |= {"PYTHONHASHSEED": "0"}  # the same hashes, so the same set orders, on every run
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "kata.worker.zygote"],  # -P: not the cwd on sys.path
            stdin=theirs,
            stdout=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        theirs.close()
        self.control = mine

    def client(self) -> socket.socket:
        """A control socket of its own, for another process of the checking side."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        socket.send_fds(self.control, [b'{"op": "client"}'], [theirs.fileno()])
        self.control.recv(4096)
        theirs.close()
        return mine

    def close(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class ZygoteWorkers:
    """Workers forked by a zygote: this process's own one, or one whose control socket a
    parent handed down (`control`)."""

    kind = "zygote"

    def __init__(self, output=None, control: socket.socket | None = None):
        self.output = output  # a file the workers' prints go to, or None (thrown away)
        self.zygote = None if control else Zygote()
        self.control = control or self.zygote.control

    def start(self) -> "ZygoteChannel":
        return ZygoteChannel(self.control, self.output)

    def prepare(self) -> None:
        """Nothing to do ahead: the zygote forks a worker in milliseconds."""

    def client(self) -> socket.socket:
        """A control socket of its own, for a process this one forks."""
        return self.zygote.client()

    def close(self) -> None:
        if self.zygote:
            self.zygote.close()


class ZygoteChannel:
    """One worker forked by the zygote: a stream socket carrying frames (kata.worker.protocol)."""

    def __init__(self, control: socket.socket, output=None):
        target = output.fileno() if output else os.open(os.devnull, os.O_WRONLY)
        try:
            mine, theirs = socket.socketpair()
        except OSError as error:
            raise WorkerUnavailable(f"no socket for a worker: {error}") from None
        try:
            socket.send_fds(control, [b'{"op": "spawn"}'], [theirs.fileno(), target])
            reply = json.loads(control.recv(4096) or b"{}")
        except (OSError, ValueError) as error:
            mine.close()
            raise WorkerUnavailable(f"the zygote did not answer: {error}") from None
        finally:
            theirs.close()
            if not output:
                os.close(target)
        if "pid" not in reply:
            mine.close()
            raise WorkerUnavailable(f"the zygote could not fork a worker: {reply.get('error', reply)}")
        self.pid = reply["pid"]
        self.control, self.sock, self.frames = control, mine, Frames()

    def send(self, message: dict) -> None:
        self.sock.sendall(encode_frame(message))

    def receive(self, seconds: float) -> dict | None:
        """The next message, or None when `seconds` pass first. Raises EOFError when the
        worker has gone, ProtocolError on a message the protocol does not allow."""
        deadline = time.monotonic() + seconds
        while (frame := self.frames.take()) is None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("the worker ended")
            self.frames.feed(chunk)
        return decode_frame(*frame)

    def kill(self) -> None:
        self.sock.close()
        try:
            self.control.send(json.dumps({"op": "kill", "pid": self.pid}).encode())
            self.control.recv(4096)
        except OSError:
            pass  # the zygote is gone, and its workers with it


def start_early() -> None:
    """Start the workers' way (kata.workers) now, unless this process was handed a zygote
    (kata.grading, kata.watching): the first worker then loads torch while pytest does."""
    global _early
    if HANDED["control"] is None and HANDED["workers"] is None and _early is None:
        output = tempfile.TemporaryFile() if HANDED["show_output"] else None  # noqa: SIM115 - lives with the run
        _early = open_workers(output)


def take_early():
    """The workers start_early() started, if any; the caller owns them from now on."""
    global _early
    workers, _early = _early, None
    return workers
