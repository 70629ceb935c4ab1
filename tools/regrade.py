"""Is a verdict a function of the submission? Grade the whole gallery twice and compare.

    python tools/regrade.py [--jobs N]

Builds every gallery entry as a whole submission (the right and wrong entries, the attacks
this machine can run, the stubs), grades them all in one `python -m kata grade` run, then
again in a second run started separately, and compares the points of every step, row by
row. Prints the figures and each row that differs; exit status 1 if any does.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the gallery's helpers live in the tests package

from tests.gallery.entries import (  # noqa: E402
    RIGHT,
    RUNNABLE_ATTACKS,
    STUBS,
    WRONG,
    attack_submission,
    whole_submission,
)


def gallery(folder: Path) -> list[Path]:
    entries = [*RIGHT, STUBS]
    entries += [whole_submission(entry, folder) for entry in WRONG]
    return entries + [attack_submission(entry, folder) for entry in RUNNABLE_ATTACKS]


def grade(paths: list[Path], out: Path, jobs: int | None) -> tuple[dict, float]:
    """path -> [points of each step], and the run's wall time."""
    command = [sys.executable, "-m", "kata", "grade", *map(str, paths), "--json", str(out)]
    command += ["--jobs", str(jobs)] if jobs else []
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    grades = json.loads(out.read_text())["submissions"]
    return {g["path"]: [s["points"] for s in g["steps"]] for g in grades}, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, help="as kata grade's --jobs (default: one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = gallery(Path(tmp))
        first, first_time = grade(paths, Path(tmp) / "first.json", args.jobs)
        second, second_time = grade(paths, Path(tmp) / "second.json", args.jobs)
    differ = [path for path in first if first[path] != second.get(path)]
    print(f"{len(first)} submissions graded twice ({first_time:.0f} s, then {second_time:.0f} s)")
    print(f"rows with the same points on every step: {len(first) - len(differ)} of {len(first)}")
    for path in differ:
        print(f"  differs: {Path(path).name}: {first[path]} then {second.get(path)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
