"""A warm process that forks confined workers: torch is imported once, here, and nothing
of the grader ever is.

Started by the checking side with a SOCK_SEQPACKET control socket as stdin. Messages are
JSON, with file descriptors attached (SCM_RIGHTS):
    {"op": "spawn"} + [channel, output]  ->  {"pid": P}   a worker on `channel`
    {"op": "client"} + [control]          ->  {}          another control socket
    {"op": "kill", "pid": P}              ->  {}          kill a worker of this client
Closing a control socket kills the workers spawned through it; closing the first one ends
the zygote and all workers.

Each worker is forked here, leaves the host's namespaces (kata.worker.confine), and runs
kata.worker.serve with only its channel, its output and a scratch folder.
"""

import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

import torch

import kata.worker.serve  # imported here so that workers fork with it
from kata.worker import confine

CHANNEL_FD, REPORT_FD = 3, 4


class Worker:
    def __init__(self, supervisor: int, pid: int, scratch: str, client: socket.socket):
        self.supervisor, self.pid, self.scratch, self.client = supervisor, pid, scratch, client


def main() -> None:
    torch.set_num_threads(1)  # before any parallel region: forked children must not inherit a pool
    torch.set_num_interop_threads(1)
    kata.worker.serve.warm_up()
    confine.die_with_parent()
    first = socket.socket(fileno=os.dup(0))
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    clients, workers = [first], {}
    while first in clients:
        readable, _, _ = select.select(clients, [], [], 0.5)
        for client in readable:
            _handle(client, clients, workers)
        _reap(workers)
    for worker in list(workers.values()):
        _kill(worker)
    _reap(workers, block=True)


def _handle(client: socket.socket, clients: list, workers: dict) -> None:
    try:
        data, fds, _, _ = socket.recv_fds(client, 4096, 4)
    except OSError:
        data, fds = b"", []
    if not data:
        clients.remove(client)
        for worker in [w for w in workers.values() if w.client is client]:
            _kill(worker)
        client.close()
        return
    request = json.loads(data)
    reply = {}
    if request["op"] == "spawn":
        try:
            worker = _spawn(*fds[:2], client)
        except OSError as error:  # no PID, no memory, no file left on the machine: say so, and go on
            reply = {"error": f"{type(error).__name__}: {error}"}
        else:
            workers[worker.supervisor] = worker
            reply = {"pid": worker.pid}
    elif request["op"] == "client":
        clients.append(socket.socket(fileno=fds[0]))
    elif request["op"] == "kill":
        for worker in [w for w in workers.values() if w.pid == request["pid"] and w.client is client]:
            _kill(worker)
    for fd in fds[2:] if request["op"] == "spawn" else []:
        os.close(fd)
    client.send(json.dumps(reply).encode())


def _spawn(channel: int, output: int, client: socket.socket) -> Worker:
    """Fork a worker on `channel`; raises OSError when the machine cannot (the descriptors
    handed in are closed either way)."""
    try:
        scratch = tempfile.mkdtemp(prefix="kata-worker-")
        report_read, report_write = os.pipe()
    except OSError:
        os.close(channel)
        os.close(output)
        raise
    try:
        supervisor = os.fork()
    except OSError:
        for fd in (channel, output, report_read, report_write):
            os.close(fd)
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    if supervisor == 0:
        try:
            _become_worker(channel, output, report_write, scratch)
        finally:
            os._exit(70)
    for fd in (channel, output, report_write):
        os.close(fd)
    with os.fdopen(report_read, "rb") as report:
        pid = int(report.read() or supervisor)
    return Worker(supervisor, pid, scratch, client)


def _become_worker(channel: int, output: int, report: int, scratch: str) -> None:
    """In the forked child: keep only the channel and the output, leave the host's
    namespaces, and serve. Never returns."""
    os.setsid()
    confine.die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    channel, output, report = (fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in (channel, output, report))
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.dup2(channel, CHANNEL_FD)
    os.dup2(report, REPORT_FD)
    os.closerange(REPORT_FD + 1, os.sysconf("SC_OPEN_MAX"))
    namespaces = confine.leave_host_namespaces()
    if namespaces:
        pid = os.fork()  # PID 1 of the new namespace
        if pid:
            os.write(REPORT_FD, str(pid).encode())
            os.close(REPORT_FD)
            os.close(CHANNEL_FD)
            _, status = os.waitpid(pid, 0)
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
        confine.die_with_parent()
    else:
        os.write(REPORT_FD, str(os.getpid()).encode())
    os.close(REPORT_FD)
    kata.worker.serve.serve(CHANNEL_FD, CHANNEL_FD, scratch, namespaces)
    os._exit(0)


def _kill(worker: Worker) -> None:
    """Kill a worker and what it started: PID 1 of its namespace takes every process in it
    along; without namespaces, its process group (it leads one) goes too."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(worker.pid, signal.SIGKILL)
    for pid in (worker.pid, worker.supervisor):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _reap(workers: dict, block: bool = False) -> None:
    """Collect ended workers and remove their scratch folders."""
    for supervisor in list(workers):
        done, _ = os.waitpid(supervisor, 0 if block else os.WNOHANG)
        if done:
            scratch = workers.pop(supervisor).scratch
            try:  # a learner can build a tree deep enough to break a recursive removal
                shutil.rmtree(scratch, ignore_errors=True)
            except RecursionError:
                subprocess.run(["rm", "-rf", "--", scratch], check=False)


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: with torch loaded it takes about a second
