# attack: resources
# expect: 0
# file_mb limits each file, not the scratch folder: writes 24 files of 63 MiB (1.5 GiB) in its
# scratch folder during import. Bounded here; a loop could fill the grader's disk.
import os

chunk = b"\0" * (1 << 20)
for n in range(24):
    with open(f"fill{n}", "wb") as handle:
        for _ in range(63):
            handle.write(chunk)
        os.fsync(handle.fileno())


def _stub(*args):
    raise NotImplementedError("not written")


predict = mse = mae = step = zero_grads = hinge_features = _stub
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
