"""Python without what Windows and macOS lack, for the kata's own checks of its portable path.

Put this folder first on PYTHONPATH (with KATA_WORKER unset): every Python process then runs
without os.fork (and what needs it), socket.send_fds/recv_fds, SOCK_SEQPACKET, AF_UNIX socket
pairs, os.unshare, fcntl and resource; and the kata's confinement finds no Landlock, no
namespaces and no prctl, as on Windows. The kata must then choose the portable worker by
itself and give the same verdicts and messages.
"""

import errno
import importlib.abc
import importlib.machinery
import os
import socket
import sys

for name in ("fork", "forkpty", "unshare", "setns"):  # register_at_fork stays: torch asks for it off Windows
    if hasattr(os, name):
        delattr(os, name)
for name in ("send_fds", "recv_fds", "SOCK_SEQPACKET"):
    if hasattr(socket, name):
        delattr(socket, name)
for name in ("fcntl", "resource"):
    sys.modules[name] = None  # `import fcntl` raises ImportError, as on Windows

_socketpair = socket.socketpair


def socketpair(family=None, type=socket.SOCK_STREAM, proto=0):  # noqa: A002 - the stdlib's names
    """No AF_UNIX pairs (Windows has none; macOS none of SOCK_SEQPACKET): AF_INET only."""
    if family in (None, socket.AF_UNIX):
        raise OSError(errno.EPROTONOSUPPORT, "Protocol not supported (no AF_UNIX pairs here)")
    return _socketpair(family, type, proto)


socket.socketpair = socketpair


class _ConfineAsElsewhere(importlib.abc.MetaPathFinder):
    """The kata's confinement, once imported (from whichever checkout), finds no Landlock,
    namespaces or prctl, as on Windows and macOS."""

    def find_spec(self, name, path, target=None):
        if name != "kata.worker.confine":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            module.LINUX, module.resource, module._libc = False, None, None

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _ConfineAsElsewhere())
