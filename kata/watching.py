"""`python -m kata watch`: run the checks again each time the learner saves linreg.py.

The watcher stays warm: pytest, hypothesis, torch and the checks' helpers are imported
once, and each save runs the checks in this process, the same way on every system. The
learner's code never runs here: each run gets a fresh worker (kata.workers), forked by the
zygote in milliseconds, or the portable spare started when the run before ended, so the
saved code is always imported anew and nothing of an earlier run's code is left over.
"""

import sys
import tempfile
from pathlib import Path

from kata.manifest import ROOT

# pytest's arguments for a run of the learner's checks (the checks were imported before, on purpose)
ARGS = [str(ROOT / "tests"), f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml")]
ARGS += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]

CLEAR = "\033[2J\033[H"  # clear the terminal


def _clear() -> None:
    print(CLEAR if sys.stdout.isatty() else "", end="", flush=True)


class WarmRunner:
    """Runs the kata's checks on a linreg.py in this process, warm: pytest, hypothesis, torch
    and the checks are imported once. Each run gets a fresh worker (from the zygote, or the
    portable spare started when the run before ended), so the saved code is imported anew."""

    def __init__(self):
        import hypothesis  # noqa: F401 - imported once, here, for every run
        import pytest  # noqa: F401
        import torch  # noqa: F401

        import kata.plugin  # noqa: F401
        from kata.workers import open_workers

        output = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the watcher
        self.workers = open_workers(output)

    def __call__(self, impl_path: Path) -> int:
        import pytest

        from kata import zygote

        _clear()
        zygote.HANDED.update(workers=self.workers, show_output=True)
        try:
            return int(pytest.main([*ARGS, f"--impl={impl_path}"]))
        finally:
            self.workers.prepare()  # the next save's worker, while the learner reads and edits

    def close(self) -> None:
        self.workers.close()


def watch(impl_path: Path, run=None, stop_event=None) -> None:
    """Run `run(impl_path)` now and after every save of the file, until stopped (Ctrl-C)."""
    from watchfiles import watch as watch_changes

    runner = None
    if run is None:
        run = runner = WarmRunner()
    try:
        _run_and_wait(run, impl_path)
        # Watch the folder, not the file: many editors save by writing a new file and renaming it.
        for changes in watch_changes(
            impl_path.parent,
            stop_event=stop_event,
            watch_filter=lambda _, path: Path(path).name == impl_path.name,
        ):
            if changes:
                _run_and_wait(run, impl_path)
    finally:
        if runner:
            runner.close()


def _run_and_wait(run, impl_path: Path) -> None:
    run(impl_path)
    print(f"\nWatching {impl_path} for changes (Ctrl-C to stop).", flush=True)
