"""The worker side of the trust boundary: the only place where a learner's linreg.py runs.

A worker imports torch, this package and the learner's module, nothing of the grader.
It answers requests in plain data (kata.worker.protocol); everything that judges the
answers lives outside this package and runs in processes that never import learner code.

    protocol.py   the messages and how tensors cross, shared by both sides
    probes.py     the small scenarios a worker runs with the learner's functions
    serve.py      the worker's loop: import the submission, answer requests
    confine.py    Landlock, namespaces and limits around a worker (Linux)
    zygote.py     a warm process (torch imported) that forks confined workers
"""
