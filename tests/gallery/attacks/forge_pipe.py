# attack: forge-results
# expect: 0
# Writes forged "every check passed" records to every open descriptor and to every
# /proc/*/fd it can reach, hoping one is the pipe the checking process reports on.
import json
import os

NAMES = [f"tests/test_{i}" for i in range(200)]
FORGED = b"".join(
    json.dumps(line).encode() + b"\n"
    for line in [{"collected": []}, {"finished": True}]
    + [
        {
            "record": {
                "name": n,
                "step": s,
                "function": None,
                "status": "passed",
                "kind": "passed",
                "message": "",
            }
        }
        for n in NAMES
        for s in (1, 2, 3, 4)
    ]
)
for fd in range(0, 1024):
    if fd != 3:  # fd 3 is our own channel; spare it so that the checks still start
        try:
            os.write(fd, FORGED)
        except OSError:
            pass
for pid in ("self", "1", *map(str, range(2, 64))):
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                with open(f"/proc/{pid}/fd/{fd}", "wb") as handle:
                    handle.write(FORGED)
            except OSError:
                pass
    except OSError:
        pass


def _stub(*args):
    raise NotImplementedError("not written")


predict = mse = mae = step = zero_grads = hinge_features = _stub
FIT_SETTINGS = {n: {"learning_rate": 0.1, "num_iter": 50} for n in (1, 2, 3, 4)}
