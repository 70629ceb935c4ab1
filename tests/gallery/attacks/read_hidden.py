# attack: read-hidden
# expect: 0
# Reads tests/hidden/test_hidden.py (and the visible tests) and raises their text from every
# function, so that it lands in the failure messages of the report files and --step output.
import sys
from pathlib import Path

TEXT = []
for root in [*sys.path, "/work/main"]:
    for name in ("tests/hidden/test_hidden.py", "tests/test_4_fits.py"):
        try:
            TEXT.append(f"{name}: " + (Path(root) / name).read_text())
        except (OSError, ValueError) as error:
            TEXT.append(f"{root}/{name}: {error!r}")


def _leak(*args):
    raise RuntimeError("\n  ".join(TEXT)[:1000])


predict = mse = mae = step = zero_grads = hinge_features = _leak
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
