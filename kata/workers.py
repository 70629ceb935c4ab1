"""How this system starts the workers that run a learner's code: one protocol, two ways.

- "zygote" (Linux): a warm process with torch imported forks each worker, which leaves the
  host's namespaces and confines itself with Landlock (kata.zygote, kata.worker.zygote).
  It needs os.fork, AF_UNIX SOCK_SEQPACKET socket pairs and socket.send_fds.
- "portable" (everywhere: Windows, macOS, Linux): each worker is a fresh interpreter on
  pipes (kata.portable), with whatever confinement the system offers.

The choice is made by what the system offers, not by its name; KATA_WORKER=zygote or
KATA_WORKER=portable forces it. Both speak kata.worker.protocol, so a verdict does not
depend on it; the confinement each worker reports says which way it came, and what it
lacks (`kata grade` warns under its table).
"""

import os
import socket

from kata.manifest import ROOT

CHOICE = "KATA_WORKER"


def zygote_unavailable() -> str:
    """Why workers cannot come from the zygote here, or ''."""
    if not hasattr(os, "fork"):
        return "no os.fork"
    if not hasattr(socket, "send_fds"):
        return "no socket.send_fds"
    if not hasattr(socket, "AF_UNIX") or not hasattr(socket, "SOCK_SEQPACKET"):
        return "no AF_UNIX SOCK_SEQPACKET sockets"
    try:
        pair = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    except OSError as error:
        return f"no AF_UNIX SOCK_SEQPACKET socket pairs ({error.strerror or error})"
    for end in pair:
        end.close()
    return ""


class MachineBound(BaseException):
    """A failure that may come from the machine rather than the code: a time limit the
    worker ran out of while it waited for a CPU, or a worker that could not be started
    (`machine` is False when the code itself is to blame). `kata grade` grades a submission
    again, alone, when it failed so beside others. A BaseException, so that hypothesis
    stops at once."""

    def __init__(self, message: str = "", machine: bool = True):
        super().__init__(message)
        self.machine = machine


class WorkerUnavailable(MachineBound):
    """The machine could not start a worker (no process, memory or file left)."""


class ChoiceError(RuntimeError):
    """KATA_WORKER asks for a way this system cannot start workers."""


def chosen() -> str:
    """ "zygote" or "portable": forced by KATA_WORKER, else the zygote where it can run."""
    forced = os.environ.get(CHOICE, "").strip().lower()
    if forced not in ("", "zygote", "portable"):
        raise ChoiceError(f"{CHOICE} must be zygote or portable, not {forced!r}")
    if forced == "portable":
        return "portable"
    missing = zygote_unavailable()
    if forced == "zygote" and missing:
        raise ChoiceError(f"{CHOICE}=zygote, but this system has {missing}")
    return "portable" if missing else "zygote"


STARVED = 0.2  # a worker that waited for a CPU this share of a time limit was starved


def waited_for_cpu(pid: int) -> float | None:
    """Seconds the process `pid` has spent runnable but waiting for a CPU (Linux's
    /proc/PID/schedstat); None where the system does not say."""
    try:
        with open(f"/proc/{pid}/schedstat") as stats:
            return int(stats.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def starved(before: float | None, after: float | None, seconds: float) -> bool:
    """Whether a worker that ran out of `seconds` may have been starved by the machine: it
    waited for a CPU a good share of them, or the system cannot tell."""
    return before is None or after is None or after - before > STARVED * seconds


def worker_path() -> str:
    """PYTHONPATH of a worker (or the zygote): the kata's checkout first, then the grader's own
    PYTHONPATH, if any (the kata's checks of other systems put a sitecustomize there)."""
    theirs = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return os.pathsep.join([str(ROOT), *theirs])


def open_workers(output=None, kind: str | None = None):
    """A way to start workers (see the module doc) whose prints go to `output` (a file, or
    None to throw them away). Close it when done."""
    if (kind or chosen()) == "portable":
        from kata.portable import PortableWorkers

        return PortableWorkers(output)
    from kata.zygote import ZygoteWorkers

    return ZygoteWorkers(output)
