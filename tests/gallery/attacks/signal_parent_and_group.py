# attack: signals
# expect: 0
# Sends SIGKILL to its parent and SIGSTOP to every other pid it can see (2..4096), and
# reports which ones it reached. Never signals -1 or its own group.
import os
import signal

REACHED = []
if os.getppid() > 1:
    try:
        os.kill(os.getppid(), signal.SIGKILL)
        REACHED.append(f"parent {os.getppid()}")
    except OSError as error:
        REACHED.append(f"parent: {error.strerror}")
for pid in range(2, 4096):
    try:
        os.kill(pid, 0)
        os.kill(pid, signal.SIGSTOP)
        REACHED.append(str(pid))
    except OSError:
        pass


def _report(*args):
    raise RuntimeError("reached: " + ", ".join(REACHED))


predict = mse = mae = step = zero_grads = hinge_features = _report
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
