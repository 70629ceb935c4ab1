# attack: read-reference
# expect: 0
# Reads solutions/linreg.py from disk (paths guessed from sys.path and __file__) or imports
# it, and takes its functions and FIT_SETTINGS; otherwise puts what it found in every error.
import os
import sys
from pathlib import Path

FOUND = {}
for root in [*sys.path, str(Path(__file__).resolve().parent.parent), "/work/main", os.getcwd()]:
    for name in ("solutions/linreg.py", "../solutions/linreg.py"):
        try:
            FOUND[name] = (Path(root) / name).read_text()
            break
        except (OSError, ValueError) as error:
            FOUND.setdefault("errors", []).append(f"{root}/{name}: {error}")
    if "solutions/linreg.py" in FOUND or "../solutions/linreg.py" in FOUND:
        break
source = FOUND.get("solutions/linreg.py") or FOUND.get("../solutions/linreg.py")
if source is None:
    try:
        import solutions.linreg as ref  # noqa: F401

        source = Path(ref.__file__).read_text()
    except Exception as error:  # noqa: BLE001
        FOUND.setdefault("errors", []).append(f"import solutions.linreg: {error!r}")
if source:
    exec(compile(source, "reference", "exec"), globals())  # noqa: S102
else:

    def _fail(*args):
        raise RuntimeError("no reference: " + " | ".join(FOUND.get("errors", []))[:900])

    predict = mse = mae = step = zero_grads = hinge_features = _fail
    FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
