"""The checking side's handle on the zygote (kata.worker.zygote), the warm process that
forks the confined workers. No torch here: the zygote is started before torch is imported
on this side, so that both load it at once.

    pytest                    conftest.py calls start_early(); the plugin then take_early()s it
    kata grade / kata watch   start one Zygote, and hand a control socket of it (HANDED) to
                              the checking processes they fork
"""

import os
import socket
import subprocess
import sys
import tempfile

from kata.manifest import ROOT

# Set in a checking process forked by kata.grading or kata.watching: the control socket of
# the zygote to use, and whether the learner's prints are shown (not when grading).
HANDED = {"control": None, "show_output": False}
_early = None


class Zygote:
    """The process that forks workers (kata.worker.zygote), and its control socket."""

    def __init__(self):
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")}
        env |= {"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"}
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


def start_early() -> None:
    """Start a zygote now, unless this process was handed one (kata.grading, kata.watching)."""
    global _early
    if HANDED["control"] is None and _early is None:
        _early = Zygote()


def take_early() -> "Zygote | None":
    """The zygote start_early() started, if any; the caller owns it from now on."""
    global _early
    zygote, _early = _early, None
    return zygote
