# attack: resources
# expect: 0
# needs: sandbox
# Starts as many processes as it can, each sleeping.


import os
import time

children = 0
try:
    for _ in range(2000):
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
except OSError:
    pass
