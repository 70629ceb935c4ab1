"""`python -m kata watch`: run the checks again each time the learner saves linreg.py."""

import subprocess
import sys
from pathlib import Path


def run_checks(impl_path: Path) -> int:
    """One compact pytest run, in a fresh process so that the saved code is imported anew."""
    print("\033[2J\033[H", end="", flush=True)  # clear the terminal
    command = [sys.executable, "-m", "pytest", f"--impl={impl_path}"]
    return subprocess.run(command, cwd=Path(__file__).resolve().parent.parent).returncode


def watch(impl_path: Path, run=run_checks, stop_event=None) -> None:
    """Run `run(impl_path)` now and after every change to the file, until stopped (Ctrl-C)."""
    from watchfiles import watch as watch_changes

    run(impl_path)
    # Watch the folder, not the file: many editors save by writing a new file and renaming it.
    for changes in watch_changes(
        impl_path.parent,
        stop_event=stop_event,
        watch_filter=lambda _, path: Path(path).name == impl_path.name,
    ):
        if changes:
            run(impl_path)
            print(f"\nWatching {impl_path} for changes; Ctrl-C to stop.", flush=True)
