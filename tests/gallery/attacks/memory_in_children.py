# attack: resources
# expect: 0
# The worker's memory limit is per process (RLIMIT_AS) and its process limit is not enforced
# for a root-owned worker: 4 children ("atk-mem") hold 1 GiB each for 40 s. Bounded here.
import ctypes
import os
import time

for _ in range(4):
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"atk-mem", 0, 0, 0)
        block = bytearray(1 << 30)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(40)
        os._exit(0)


def _stub(*args):
    raise NotImplementedError("not written")


predict = mse = mae = step = zero_grads = hinge_features = _stub
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
