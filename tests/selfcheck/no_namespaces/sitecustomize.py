"""Linux as in a container whose seccomp profile refuses namespaces and Landlock (Docker's
default, and so most devcontainers and Codespaces), for the kata's own checks.

Put this folder first on PYTHONPATH: in every Python process, the kata's confinement then
gets EPERM from unshare() and ENOSYS from the Landlock system calls, as such a container
answers them. Workers still come from the zygote (fork and SCM_RIGHTS are allowed there),
unconfined but for their limits, and everything they start must die with them.
"""

import ctypes
import errno
import importlib.abc
import importlib.machinery
import sys

LANDLOCK_CALLS = (444, 445, 446)  # landlock_create_ruleset, _add_rule, _restrict_self


class _Refusing:
    """libc, as seen through a seccomp filter that refuses unshare and Landlock."""

    def __init__(self, libc):
        self._libc = libc

    def unshare(self, flags):
        ctypes.set_errno(errno.EPERM)
        return -1

    def syscall(self, number, *args):
        if number in LANDLOCK_CALLS:
            ctypes.set_errno(errno.ENOSYS)
            return -1
        return self._libc.syscall(number, *args)

    def __getattr__(self, name):
        return getattr(self._libc, name)


class _RefuseInConfine(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "kata.worker.confine":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            module._libc = _Refusing(module._libc)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _RefuseInConfine())
