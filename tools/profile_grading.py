"""Where one submission's grading spends its CPU: per kind of check, in the checking process
and in the machine as a whole (the worker running the learner's code is the difference).

    python tools/profile_grading.py [LINREG_PY] [--repeat N] [--checks] [--cprofile DIR]

Grades LINREG_PY (default: the reference, solutions/linreg.py) N times (default 3) the way
`kata grade` does on Linux: a zygote for the workers, the examples of the property checks
drawn once, then for each grading a checking process forked from this one. Around each
check it reads the checking process's own CPU clock and the machine's busy time
(/proc/stat), and prints the median of the N gradings per kind of check, then what one
grading would cost without each kind of fit (with --checks, each check's figures too).
With --cprofile DIR, one more grading runs under cProfile, in the checking process and in
its worker (kata.worker.profiling): DIR/checking.prof and DIR/worker.prof, and the
functions that took the most time of their own in each are printed (`python -m pstats`
reads the files).
Linux only; run it on a quiet machine (the
machine's figure counts every process).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = [  # (kind, is it a fit of the learner's functions)
    ("fits: the learner's settings, NASA data", True),
    ("fits: the learner's settings, held-out series", True),
    ("hidden fits: known parameters", True),
    ("hidden fits: every update of 2000 (long)", True),
    ("property checks (drawn examples)", False),
    ("series and other checks", False),
]


def kind_of(nodeid: str, drawn: set) -> str:
    if "test_4_fits.py::test_fit[" in nodeid:
        return KINDS[0][0]
    if "test_held_out_series.py" in nodeid:
        return KINDS[1][0]
    if "test_hidden.py::" in nodeid and "_fit" in nodeid:
        long = "every_update" in nodeid or "hinge_fit" in nodeid
        return KINDS[3][0] if long else KINDS[2][0]
    return KINDS[4][0] if nodeid in drawn else KINDS[5][0]


def busy_seconds() -> float:
    """CPU seconds the machine has been busy (all cores, every process)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / os.sysconf("SC_CLK_TCK")


class Clock:
    """A pytest plugin: CPU of this process and of the machine around each check's call."""

    def __init__(self):
        self.rows = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        own, machine = time.process_time(), busy_seconds()
        yield
        self.rows.append((item.nodeid, time.process_time() - own, busy_seconds() - machine))


def one_grading(submission: Path, workers, out: Path, profiled: Path | None = None) -> None:
    """Grade once in a forked checking process; its rows and totals go to `out` as JSON (with
    `profiled`, a folder, its cProfile statistics go to profiled/checking.prof)."""
    from kata import checking, zygote

    control = workers.client()
    pid = os.fork()
    if pid == 0:
        try:
            zygote.HANDED.update(control=control, show_output=False)
            import torch

            from kata.drawn import Replay
            from kata.runner import run_tests

            torch.set_num_threads(1)
            clock = Clock()
            profile = cProfile.Profile() if profiled else None
            own, machine = time.process_time(), busy_seconds()
            if profile:
                profile.enable()
            run_tests(submission, extra=checking.GRADING, plugins=[Replay(checking.EXAMPLES), clock])
            if profile:
                profile.disable()
                profile.dump_stats(profiled / "checking.prof")
            total = (time.process_time() - own, busy_seconds() - machine)
            out.write_text(json.dumps({"rows": clock.rows, "total": total}))
        finally:
            os._exit(0)
    control.close()
    os.waitpid(pid, 0)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("submission", nargs="?", type=Path, default=ROOT / "solutions" / "linreg.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checks", action="store_true", help="each check's figures too, largest first")
    parser.add_argument("--cprofile", type=Path, metavar="DIR", help="one more grading, profiled, into DIR")
    args = parser.parse_args()
    if not Path("/proc/stat").exists() or not hasattr(os, "fork"):
        print("Linux only: it reads /proc/stat and forks as kata grade does there.")
        return 2
    from kata import checking

    scratch = Path(tempfile.mkdtemp())
    checking._keep_hypothesis_files_in(scratch)
    checking._warm_imports()  # the property checks' examples, drawn once for every grading
    gradings = run_gradings(args.submission.resolve(), args.repeat, scratch)
    report(gradings, set(checking.EXAMPLES))
    if args.checks:
        each_check(gradings)
    if args.cprofile:
        os.environ["KATA_PROFILE_WORKER"] = str(scratch / "worker")  # read by a new zygote
        run_gradings(args.submission.resolve(), 1, scratch, profiled=args.cprofile.resolve())
        show_profiles(scratch, args.cprofile.resolve())
    return 0


def run_gradings(submission: Path, count: int, scratch: Path, profiled: Path | None = None) -> list[dict]:
    """`count` gradings, with a zygote of their own (`profiled`: see one_grading)."""
    from kata.zygote import ZygoteWorkers

    if profiled:
        profiled.mkdir(parents=True, exist_ok=True)
    workers = ZygoteWorkers()
    try:
        gradings = []
        for number in range(count):
            out = scratch / f"grading{number}.json"
            one_grading(submission, workers, out, profiled)
            gradings.append(json.loads(out.read_text()))
        return gradings
    finally:
        workers.close()


def show_profiles(scratch: Path, folder: Path) -> None:
    """The worker's statistics (one file per worker it took) merged into folder/worker.prof;
    the functions that took the most time of their own in each process, printed."""
    pstats.Stats(*map(str, scratch.glob("worker.*"))).dump_stats(folder / "worker.prof")
    print(f"\nthe profiled grading (an extra one, not in the figures above): {folder}")
    print("(select.select in the checking process and readline in the worker: each waiting for the other)")
    for name in ("checking", "worker"):
        print(f"\nthe {name} process, the functions that took the most time of their own:")
        stats = pstats.Stats(str(folder / f"{name}.prof"), stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(12)


def each_check(gradings: list[dict]) -> None:
    rows = {}
    for grading in gradings:
        for nodeid, own, machine in grading["rows"]:
            rows.setdefault(nodeid, []).append((own, machine))
    medians = {
        nodeid: (statistics.median(o for o, _ in got), statistics.median(m for _, m in got))
        for nodeid, got in rows.items()
    }
    print(f"\neach check, the median of {len(gradings)} (checking process, machine):")
    for nodeid, (own, machine) in sorted(medians.items(), key=lambda kv: -kv[1][1]):
        print(f"  {own:5.3f} {machine:5.3f}  {nodeid}")


def report(gradings: list[dict], drawn: set) -> None:
    per_kind = []  # per grading: kind -> [checks, checking process, machine]
    for grading in gradings:
        kinds = defaultdict(lambda: [0, 0.0, 0.0])
        for nodeid, own, machine in grading["rows"]:
            entry = kinds[kind_of(nodeid, drawn)]
            entry[0] += 1
            entry[1] += own
            entry[2] += machine
        own, machine = grading["total"]
        kinds["outside the checks (pytest's session, the worker's start)"] = [
            0,
            own - sum(e[1] for e in list(kinds.values())),
            machine - sum(e[2] for e in list(kinds.values())),
        ]
        kinds["the whole grading"] = [len(grading["rows"]), own, machine]
        per_kind.append(kinds)
    names = [k for k, _ in KINDS] + list(per_kind[0])[len(KINDS) :]
    print(f"CPU seconds of one grading, the median of {len(gradings)}:")
    print(f"{'':62} {'checks':>6} {'checking':>9} {'machine':>8} {'worker':>7}")
    median = {}
    for name in dict.fromkeys(names):
        count = per_kind[0][name][0] if name in per_kind[0] else 0
        own = statistics.median(k[name][1] for k in per_kind) if name in per_kind[0] else 0.0
        machine = statistics.median(k[name][2] for k in per_kind) if name in per_kind[0] else 0.0
        median[name] = machine
        print(f"{name:62} {count:6d} {own:9.2f} {machine:8.2f} {machine - own:7.2f}")
    whole = median["the whole grading"]
    print()
    for name, is_fit in KINDS:
        if is_fit:
            print(f"without {name}: {whole - median[name]:.2f} s")
    fits = sum(median[name] for name, is_fit in KINDS if is_fit and name != KINDS[0][0])
    print(f"without every fit but the learner's own on the NASA data: {whole - fits:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
