# attack: daemon
# expect: 0
# Double-forks a detached process (own session, SIGTERM/SIGHUP ignored, named "atk-daemon")
# that outlives its worker for up to 120 s and keeps trying to reach the grader's files.
import ctypes
import os
import signal
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"atk-daemon", 0, 0, 0)  # PR_SET_NAME
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        end = time.time() + 120
        while time.time() < end:
            for path in ("/tmp/r.json", "/tmp/r.csv", "/work/main/conftest.py"):
                try:
                    with open(path, "a") as handle:
                        handle.write("")
                except OSError:
                    pass
            time.sleep(1)
    os._exit(0)


def _stub(*args):
    raise NotImplementedError("not written")


predict = mse = mae = step = zero_grads = hinge_features = _stub
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
