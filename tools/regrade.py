"""Is a verdict a function of the submission? Grade the whole gallery twice and compare.

    python tools/regrade.py [--jobs N]       twice the same way, in runs started separately
    python tools/regrade.py --portable       once as here, once the portable way (without
                                             what Windows and macOS lack: tests/selfcheck/no_unix)
    python tools/regrade.py --save FILE      once, keeping every row in FILE (before a change)
    python tools/regrade.py --against FILE   once, compared with the rows kept in FILE (after
                                             it): the gallery keeps its verdicts and messages

Builds every gallery entry as a whole submission (the right and wrong entries, the attacks
this machine can run, the stubs), grades them all in one `python -m kata grade` run, then
again in a second run started separately, and compares the points of every step, row by
row (with --portable or --against, also every check's status and message; the attacks that
are only safe inside the Linux sandbox are left out with --portable). Prints the figures
and each row that differs; exit status 1 if any does.
"""

import argparse
import json
import os
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
    headers,
    whole_submission,
)

NO_UNIX = ROOT / "tests" / "selfcheck" / "no_unix"


def gallery(folder: Path, portable: bool = False) -> list[Path]:
    entries = [*RIGHT, STUBS]
    entries += [whole_submission(entry, folder) for entry in WRONG]
    attacks = [a for a in RUNNABLE_ATTACKS if not portable or headers(a).get("needs") != "sandbox"]
    return entries + [attack_submission(entry, folder) for entry in attacks]


def grade(paths: list[Path], out: Path, jobs: int | None, portable: bool = False) -> tuple[dict, float]:
    """path -> (points of each step, (name, status, message) of each check), and the run's
    wall time."""
    command = [sys.executable, "-m", "kata", "grade", *map(str, paths), "--json", str(out)]
    command += ["--jobs", str(jobs)] if jobs else []
    env = {k: v for k, v in os.environ.items() if k != "KATA_WORKER"}
    env |= {"PYTHONPATH": str(NO_UNIX)} if portable else {}
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True, env=env)
    grades = json.loads(out.read_text())["submissions"]
    here = str(out.parent)  # a message may name its file: the same file in another run's folder

    def same_anywhere(message: str) -> str:
        return message.replace(here, "<gallery>")

    return {
        Path(g["path"]).name: (
            [s["points"] for s in g["steps"]],
            sorted((t["name"], t["status"], same_anywhere(t["message"])) for t in g["tests"]),
        )
        for g in grades
    }, time.monotonic() - started


def _common_checks(first: dict, second: dict):
    """Both runs' rows with only the checks both have; the names of the checks added, then
    of those removed (the checks of a whole run, by name)."""
    before = {t[0] for _, tests in first.values() for t in tests}
    after = {t[0] for _, tests in second.values() for t in tests}

    def only(rows: dict) -> dict:
        return {
            name: (points, [t for t in tests if t[0] in before & after])
            for name, (points, tests) in rows.items()
        }

    return only(first), only(second), sorted(after - before), sorted(before - after)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, help="as kata grade's --jobs (default: one per core)")
    parser.add_argument("--portable", action="store_true", help="the second run the portable way")
    runs = parser.add_mutually_exclusive_group()
    runs.add_argument("--save", type=Path, metavar="FILE", help="grade once and keep every row in FILE")
    runs.add_argument("--against", type=Path, metavar="FILE", help="grade once and compare with FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = gallery(Path(tmp), args.portable)
        if args.against:
            kept = json.loads(args.against.read_text(encoding="utf-8"))
            first = {name: (row[0], [tuple(t) for t in row[1]]) for name, row in kept.items()}
            first_time = 0.0
        else:
            first, first_time = grade(paths, Path(tmp) / "first.json", args.jobs)
        if args.save:
            args.save.write_text(json.dumps(first, indent=1, ensure_ascii=False), encoding="utf-8")
            print(f"{len(first)} submissions graded ({first_time:.0f} s), kept in {args.save}")
            return 0
        second, second_time = grade(paths, Path(tmp) / "second.json", args.jobs, args.portable)
    what = 1 if args.portable or args.against else 0  # messages too; else the points only
    if args.against:  # checks added or removed since: compared where both runs have them
        first, second, added, removed = _common_checks(first, second)
        print(f"checks added since {args.against}: {', '.join(added) or 'none'}")
        print(f"checks removed since {args.against}: {', '.join(removed) or 'none'}")
    differ = [name for name in first if first[name][: what + 1] != second.get(name, ((), ()))[: what + 1]]
    differ += [name for name in second if name not in first]
    how = f"and compared with {args.against}" if args.against else "twice"
    how = "as here, then the portable way" if args.portable else how
    print(f"{len(second)} submissions graded {how} ({first_time:.0f} s, then {second_time:.0f} s)")
    same = "points on every step" + (", status and message of every check" if what else "")
    print(f"rows with the same {same}: {len(first) - len(differ)} of {len(first)}")
    for name in differ:
        before, after = first.get(name, ((), ())), second.get(name, ((), ()))
        print(f"  differs: {name}: {before[0]} then {after[0]}")
        for check in sorted(set(before[1]) ^ set(after[1]))[:6]:
            print(f"    {'before' if check in before[1] else 'after '}: {check}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
