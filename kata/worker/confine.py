"""Confinement of a worker process (Linux): namespaces, Landlock, resource limits.

Applied by the zygote's child before the learner's module is imported, in this order:
1. `leave_host_namespaces`: new user, PID, network, IPC and mount namespaces. The worker
   keeps no privilege in the host's user namespace (so running the grader as root gives
   the learner's code no root powers), sees no network, shares no System V IPC objects
   with the host (none outlives it), and is PID 1 of its own PID namespace: when it is
   killed, the kernel kills every process it started, daemons included.
2. `private_scratch`: the scratch folder becomes a small tmpfs that only the worker sees;
   it vanishes with the worker, and its size bounds what the worker can write.
   `only_these_exist`: a new root file system that holds only what the worker may read
   (bound at the same places), the scratch folder and a /proc of its own PID namespace; the
   host's root is left behind, so the grader's files do not exist there, not even for
   `os.stat`.
3. `limit_resources`: memory, CPU time, file size, processes.
4. `landlock`: read only Python's own files, site-packages and system libraries; write
   only a scratch folder; no TCP; no signals or abstract sockets outside the sandbox; no
   ptrace or /proc/<pid>/fd of processes outside it.
Each step reports what it did, so that the checking side can say what was not available.
A worker started the portable way (kata.worker.start) applies what its system offers: the
limits where `resource` exists (not on Windows), Landlock on Linux; the module imports on
every system, and each step does nothing where its system call is missing.
"""

import contextlib
import ctypes
import os
import sys
import sysconfig
from pathlib import Path

try:
    import resource
except ImportError:  # Windows
    resource = None

LINUX = sys.platform.startswith("linux")
_libc = ctypes.CDLL(None, use_errno=True) if LINUX else None

CLONE_NEWNS, CLONE_NEWIPC = 0x00020000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x2, 0x4, 0x8
MS_BIND, MS_REC, MS_PRIVATE, MNT_DETACH = 0x1000, 0x4000, 0x40000, 2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}.get(os.uname().machine if LINUX else "")
PR_SET_NO_NEW_PRIVS, PR_SET_PDEATHSIG = 38, 1
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
RULE_PATH_BENEATH = 1
# Landlock access rights on files, by the ABI version that introduced them.
FS_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
READ = FS_READ_FILE | FS_READ_DIR
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
# Files and folders outside Python that a worker may read (shared libraries, CPU facts).
SYSTEM_READABLE = (
    "/lib",
    "/lib64",
    "/usr/lib",
    "/usr/lib64",
    "/etc/ld.so.cache",
    "/dev/null",
    "/dev/urandom",
    "/sys/devices/system/cpu",
    "/proc/self",
    "/proc/cpuinfo",
)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _check(result: int, what: str) -> int:
    if result < 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")
    return result


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if LINUX:
        _libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)


def leave_host_namespaces() -> bool:
    """Move into new user, PID, network, IPC and mount namespaces, keeping the same user and
    group ids inside. Children made after this call are in the new PID namespace; the first
    one is its PID 1. False where that is not possible."""
    if not LINUX:
        return False
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS
    try:
        _check(_libc.unshare(flags), "unshare")
    except OSError:
        return False
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as file:
            file.write(text)
    return True


def private_scratch(path: str, size_bytes: int) -> bool:
    """Mount a tmpfs of `size_bytes` on `path`, seen only in this mount namespace (call after
    leave_host_namespaces). False where that is not possible (the folder is then used as is)."""
    options = f"size={size_bytes},mode=0700".encode()
    flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    return _libc.mount(b"kata-scratch", path.encode(), b"tmpfs", flags, options) == 0


def only_these_exist(paths: list[Path], scratch: str) -> bool:
    """Replace this process's root file system with a tmpfs holding only `paths` (files or
    folders, bound where they are), `scratch` and a /proc of this PID namespace, then leave the
    old root. Call after private_scratch, as PID 1 of the new namespaces. False where that is
    not possible: nothing is then changed, and Landlock alone decides what may be read."""
    if not LINUX or SYS_PIVOT_ROOT is None:
        return False
    new_root = os.path.dirname(scratch)  # hidden under the new tmpfs, in this namespace only
    sources = {
        str(p): os.open(p, os.O_PATH | os.O_CLOEXEC) for p in [*paths, Path(scratch)] if os.path.exists(p)
    }
    try:
        _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "private mounts")
        _check(
            _libc.mount(b"kata-root", new_root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755"), "root"
        )
    except OSError:
        _close(sources)
        return False
    try:
        for path, fd in sources.items():
            _bind(f"/proc/self/fd/{fd}", new_root + path, os.path.isdir(f"/proc/self/fd/{fd}"))
        _mount_proc(new_root + "/proc")
        os.mkdir(new_root + "/.old")
        _check(_libc.syscall(SYS_PIVOT_ROOT, new_root.encode(), (new_root + "/.old").encode()), "pivot_root")
    except OSError:
        _libc.umount2(new_root.encode(), MNT_DETACH)
        return False
    finally:
        _close(sources)
    os.chdir("/")
    _check(_libc.umount2(b"/.old", MNT_DETACH), "leave the old root")
    os.rmdir("/.old")
    return True


def _bind(source: str, target: str, folder: bool) -> None:
    if folder:
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "a"):
            pass
    _check(_libc.mount(source.encode(), target.encode(), None, MS_BIND | MS_REC, None), f"bind {target}")


def _mount_proc(target: str) -> None:
    """A /proc that shows this PID namespace's processes only (the host's, bound, if refused)."""
    os.makedirs(target, exist_ok=True)
    flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    if _libc.mount(b"proc", target.encode(), b"proc", flags, None) != 0:
        _bind("/proc", target, True)


def _close(fds: dict) -> None:
    for fd in fds.values():
        os.close(fd)


def limit_resources(memory_bytes: int, cpu_seconds: int, file_bytes: int, processes: int) -> bool:
    """Hard limits: address space grows by at most `memory_bytes` from now, and so on. False
    where the system has no such limits (Windows); a limit the system refuses is left out
    (macOS does not limit the address space)."""
    if resource is None:
        return False
    limits = [
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, file_bytes),
        (resource.RLIMIT_NPROC, processes),
        (resource.RLIMIT_CORE, 0),
    ]
    if LINUX:
        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limits.append((resource.RLIMIT_AS, now + memory_bytes))
    for limit, value in limits:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))
    return True


def landlock_abi() -> int:
    """The Landlock ABI version of this kernel, 0 where there is none."""
    if not LINUX:
        return 0
    result = _libc.syscall(SYS_CREATE_RULESET, None, 0, 1)
    return max(result, 0)


def python_paths() -> list[Path]:
    """Python's standard library and site-packages, as this interpreter knows them."""
    names = ("stdlib", "platstdlib", "purelib", "platlib")
    return sorted({Path(sysconfig.get_paths()[n]).resolve() for n in names})


def readable_paths(protected: list[Path]) -> list[Path]:
    """What a worker may read: Python, site-packages, system libraries; never a folder that
    holds one of `protected` (the grader's repository, say)."""
    candidates = [*python_paths(), *(Path(p) for p in SYSTEM_READABLE)]
    return [
        p
        for p in candidates
        if os.path.exists(p) and not any(q.resolve().is_relative_to(p.resolve()) for q in protected)
    ]


def landlock(read: list[Path], write: list[Path]) -> int:
    """Restrict this process and its future children to reading `read` and writing `write`,
    without TCP, signals or abstract sockets outside. Returns the ABI used (0: not applied)."""
    abi = landlock_abi()
    if abi < 1:
        return 0
    fs_rights = FS_RIGHTS[max(v for v in FS_RIGHTS if v <= abi)]
    attr = _RulesetAttr(
        handled_access_fs=fs_rights,
        handled_access_net=(NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0,
        scoped=(SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0,
    )
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = _check(_libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), size, 0), "create_ruleset")
    try:
        for paths, rights in ((read, READ), (write, fs_rights & ~FS_EXECUTE)):
            for path in paths:
                _allow(ruleset, Path(path), rights)
        _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        _check(_libc.syscall(SYS_RESTRICT_SELF, ruleset, 0), "restrict_self")
    finally:
        os.close(ruleset)
    return abi


def _allow(ruleset: int, path: Path, rights: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not os.path.isdir(path):  # on a file, only the rights that apply to files
            rights &= FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | (1 << 14) | (1 << 15)
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
        _check(_libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0), f"rule {path}")
    finally:
        os.close(fd)
