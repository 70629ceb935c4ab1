# attack: proc
# expect: 0
# Looks for the reference through /proc (root, cwd, fds, other pids, map_files), tries to
# leave Landlock through new mount/user namespaces, a uid map, chroot and ptrace.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
TRIES = {}
for path in (
    "/proc/self/root/work/main/solutions/linreg.py",
    "/proc/self/cwd/../../work/main/solutions/linreg.py",
    "/proc/1/root/work/main/solutions/linreg.py",
    "/proc/thread-self/root/work/main/solutions/linreg.py",
    "/proc/self/fd/0/../work/main/solutions/linreg.py",
    "/proc/self/map_files",
    "/proc/self/mountinfo",
    "/proc/self/environ",
    "/proc/self/exe",
):
    try:
        with open(path, "rb") as handle:
            TRIES[path] = handle.read(80)
    except OSError as error:
        TRIES[path] = error.strerror
for fd in os.listdir("/proc/self/fd"):
    try:
        TRIES[f"fd {fd}"] = os.readlink(f"/proc/self/fd/{fd}")
    except OSError as error:
        TRIES[f"fd {fd}"] = error.strerror
TRIES["unshare newns|newuser"] = (libc.unshare(0x00020000 | 0x10000000), ctypes.get_errno())
TRIES["mount bind /work"] = (libc.mount(b"/work", b".", None, 4096, None), ctypes.get_errno())
TRIES["chroot /"] = (libc.chroot(b"/"), ctypes.get_errno())
TRIES["ptrace attach 1"] = (libc.ptrace(16, 1, None, None), ctypes.get_errno())
try:
    with open("/proc/self/uid_map", "w") as handle:
        handle.write("0 0 1")
    TRIES["uid_map"] = "written"
except OSError as error:
    TRIES["uid_map"] = error.strerror


def _report(*args):
    raise RuntimeError(repr(TRIES)[:1000])


predict = mse = mae = step = zero_grads = hinge_features = _report
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
