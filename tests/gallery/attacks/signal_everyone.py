# attack: signals
# expect: 0
# Sends SIGKILL to its parent, its process group and every process it can.


import os
import signal

for target in (os.getppid(), 1):
    try:
        os.kill(target, signal.SIGSTOP)
    except OSError:
        pass
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
