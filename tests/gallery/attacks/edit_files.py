# attack: edit-files
# expect: 0
# Tries to open the checkout's tests, harness, conftest and reference for writing (append of
# nothing: no content changes) and to create new files beside them; reports what worked.
import os
import sys
from pathlib import Path

roots = {Path(p) for p in [*sys.path, "/work/main"] if (Path(p) / "kata").name}
RESULTS = []
for root in roots:
    for name in (
        "tests/test_4_fits.py",
        "tests/hidden/test_hidden.py",
        "kata/grading.py",
        "conftest.py",
        "solutions/linreg.py",
        "kata/worker/probes.py",
    ):
        try:
            with open(root / name, "a") as handle:
                handle.write("")
            RESULTS.append(f"WRITABLE {root / name}")
        except OSError as error:
            RESULTS.append(f"{root / name}: {error.strerror}")
    for name in ("tests/zz_attack_marker.py", "kata/zz_attack_marker.py"):
        try:
            fd = os.open(root / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            os.close(fd)
            RESULTS.append(f"CREATED {root / name}")
        except OSError as error:
            RESULTS.append(f"{root / name}: {error.strerror}")


def _report(*args):
    raise RuntimeError(
        "; ".join(r for r in RESULTS if r.startswith(("WRITABLE", "CREATED"))) or "nothing writable"
    )


predict = mse = mae = step = zero_grads = hinge_features = _report
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
