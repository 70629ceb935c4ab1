# attack: signals
# expect: 0
# needs: sandbox
# Stops its parent and PID 1, then sends SIGKILL to every process it can. Run only where the
# worker is sandboxed: elsewhere, as root, it would kill the machine's processes.


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
