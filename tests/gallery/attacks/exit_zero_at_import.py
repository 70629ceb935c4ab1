# attack: early-exit
# expect: 0
# Ends the process with status 0 before any check runs.
import os

os._exit(0)
