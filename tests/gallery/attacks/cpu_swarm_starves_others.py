# attack: dos-cpu
# expect: 0
# 150 busy children ("atk-cpu"), each in its own session (and so its own scheduler autogroup),
# spin for 60 s while the worker answers slowly to stay alive: submissions graded at the same
# time get a sliver of the CPU and miss their wall-clock deadlines. Bounded to 60 s.
import ctypes
import os
import time

end = time.time() + 60
for _ in range(150):
    if os.fork() == 0:
        os.setsid()
        ctypes.CDLL(None).prctl(15, b"atk-cpu", 0, 0, 0)
        while time.time() < end:
            pass
        os._exit(0)


def _slow_and_wrong(*args):
    time.sleep(4.5)
    return None


predict = mse = mae = step = zero_grads = hinge_features = _slow_and_wrong
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
