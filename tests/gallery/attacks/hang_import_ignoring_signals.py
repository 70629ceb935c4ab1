# attack: hang
# expect: 0
# Never finishes importing: ignores SIGTERM/SIGINT/SIGHUP, blocks every signal it can,
# spins in a thread and sleeps in C, so only SIGKILL from outside ends it.
import signal
import threading
import time

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGXCPU):
    signal.signal(sig, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=False).start()
while True:
    time.sleep(3600)
