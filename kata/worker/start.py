"""A worker started on its own, the portable way (kata.portable): a fresh interpreter.

    python -P -m kata.worker.start SCRATCH

Requests come on standard input and answers go to standard output, the frames of
kata.worker.protocol; what the learner's code prints goes where standard error goes. The
loop is kata.worker.serve's, as in a worker forked by the zygote: only how the worker
came to be differs, and what confinement it could apply (it reports which).
"""

import os
import sys
import threading
import time

import torch

from kata.worker import confine
from kata.worker.serve import serve, warm_up


def _channel() -> tuple[int, int]:
    """(requests, answers): copies of standard input and output. Standard output then goes
    where standard error goes, so that nothing printed can mix with the answers."""
    requests, answers = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    empty = os.open(os.devnull, os.O_RDONLY)
    os.dup2(empty, 0)
    os.close(empty)
    return requests, answers


def _die_with_parent() -> None:
    """End with the process that started this one, whatever the learner's code is doing:
    the kernel sees to it on Linux; elsewhere on POSIX a thread watches the parent, and ends
    this process group (Windows: the job object does it)."""
    confine.die_with_parent()
    if os.name != "posix":
        return
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.killpg(0, 9)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    requests, answers = _channel()
    torch.set_num_threads(1)
    _die_with_parent()
    warm_up()
    serve(requests, answers, sys.argv[1], namespaces=False)


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: with torch loaded it takes about a second
