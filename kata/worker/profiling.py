"""cProfile's statistics of a worker, for `tools/profile_grading.py --cprofile`.

Only when the grader's environment names a file prefix in KATA_PROFILE_WORKER: the worker
opens PREFIX.<start time> before it confines itself, and rewrites its statistics there
after each answer (a worker is killed, never asked to end, so there is no last moment to
wait for). `python -m pstats FILE` reads them.
"""

import cProfile
import marshal
import os
import time


class WorkerProfile:
    def __init__(self, prefix: str):
        self.fd = os.open(f"{prefix}.{time.monotonic_ns()}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.profile = cProfile.Profile()
        self.profile.enable()

    def save(self) -> None:
        """Write the statistics so far (not counting the writing)."""
        self.profile.disable()
        self.profile.create_stats()
        data = marshal.dumps(self.profile.stats)
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)
        self.profile.enable()


def start() -> WorkerProfile | None:
    prefix = os.environ.get("KATA_PROFILE_WORKER")
    return WorkerProfile(prefix) if prefix else None
