"""`python -m kata watch`: run the checks again each time the learner saves linreg.py.

Where workers come from the zygote (kata.workers), the watcher stays warm: pytest,
hypothesis, torch and the checks' helpers are imported once, and one zygote serves every
run. Each save forks a fresh checking process from this one, which runs the checks with a
new worker, so the saved code is always imported anew and nothing of an earlier run is left
over. Elsewhere (Windows, macOS) the checks run in this process, warm too, with the
portable workers keeping one worker ready (started when a run ends), so that each save
imports the saved code anew in a fresh worker.
"""

import gc
import os
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
    """Runs the kata's checks on a linreg.py in a forked, already warm process."""

    def __init__(self):
        import hypothesis  # noqa: F401 - imported once, here, for every forked run
        import pytest  # noqa: F401
        import torch  # noqa: F401

        import kata.plugin  # noqa: F401
        from kata.zygote import ZygoteWorkers

        self.workers = ZygoteWorkers()
        gc.collect()
        gc.freeze()  # what is here now stays: no forked run's collector walks it (or copies it)

    def __call__(self, impl_path: Path) -> int:
        _clear()
        control = self.workers.client()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = _checking_run(impl_path, control)
            finally:
                sys.stdout.flush()
                os._exit(code)
        control.close()
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    def close(self) -> None:
        self.workers.close()


class InProcessRunner:
    """Runs the kata's checks on a linreg.py in this process (where nothing can fork): warm,
    with portable workers that keep one worker ready for the next save. That spare starts
    when a run ends, so that importing torch in it does not slow the run down."""

    def __init__(self):
        import hypothesis  # noqa: F401 - imported once, here, for every run
        import pytest  # noqa: F401
        import torch  # noqa: F401

        import kata.plugin  # noqa: F401
        from kata.workers import open_workers

        output = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the watcher
        self.workers = open_workers(output, kind="portable")

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


def _checking_run(impl_path: Path, control) -> int:
    """In the forked process: one compact pytest run of the learner's checks."""
    import pytest
    import torch

    from kata import zygote

    torch.set_num_threads(1)
    zygote.HANDED.update(control=control, show_output=True)
    return int(pytest.main([*ARGS, f"--impl={impl_path}"]))


def watch(impl_path: Path, run=None, stop_event=None) -> None:
    """Run `run(impl_path)` now and after every save of the file, until stopped (Ctrl-C)."""
    from watchfiles import watch as watch_changes

    from kata.workers import chosen

    runner = None
    if run is None:
        run = runner = WarmRunner() if chosen() == "zygote" else InProcessRunner()
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
