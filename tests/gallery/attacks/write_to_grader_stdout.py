# attack: leak-to-log
# expect: 0
# needs: sandbox
# Writes the reference and the hidden checks into the grader's stdout through /proc.


import kata  # the grader's package: where its checkout is
from pathlib import Path
import os

text = ""
for path in ("solutions/linreg.py", "tests/hidden/test_hidden.py"):
    for root in (str(Path(kata.__file__).parents[1]), os.getcwd(), ".."):
        try:
            text += open(os.path.join(root, path)).read()
        except OSError:
            pass
for pid in range(1, 4000):
    for fd in (1, 2):
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as out:
                out.write(text or "nothing to leak")
        except OSError:
            pass
