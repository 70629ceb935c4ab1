"""Grade a class: N learner repositories made from the gallery's entries, graded in one
`python -m kata grade` run as an instructor would, with its wall time, CPU seconds per
submission and progress output.

    python tools/grade_many.py [N] [--jobs J] [--keep DIR]

Each repository holds exercises/linreg.py in a commit of its own: the right entries, the
wrong ones (the reference with one mistake), the attacks, and three odd ones (no linreg.py,
a syntax error, an empty file), taken in turn until there are N. The first one has no
linreg.py, so that the gradebook cannot take its columns from a complete row.
"""

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the gallery's helpers live in the tests package

from tests.gallery.entries import RIGHT, RUNNABLE_ATTACKS, WRONG, attack_submission, whole_submission  # noqa: E402

ODD = {"no_linreg": None, "syntax_error": "def predict(x, weights, bias:\n    pass\n", "empty_file": ""}


def entries(folder: Path) -> list[tuple[str, str | None]]:
    """(name, linreg.py text or None) of every kind of submission, odd ones first."""
    made = [(name, text) for name, text in ODD.items()]
    made += [(f"right_{p.stem}", p.read_text(encoding="utf-8")) for p in RIGHT]
    made += [(f"wrong_{p.stem}", whole_submission(p, folder).read_text(encoding="utf-8")) for p in WRONG]
    made += [
        (f"attack_{p.stem}", attack_submission(p, folder).read_text(encoding="utf-8"))
        for p in RUNNABLE_ATTACKS
    ]
    return made


def make_repos(count: int, folder: Path) -> list[Path]:
    scratch = folder / "entries"
    scratch.mkdir()
    kinds = entries(scratch)
    repos = []
    env = os.environ | {"GIT_AUTHOR_NAME": "l", "GIT_AUTHOR_EMAIL": "l@x", "GIT_COMMITTER_NAME": "l"}
    env |= {"GIT_COMMITTER_EMAIL": "l@x"}
    for index in range(count):
        name, text = kinds[index % len(kinds)]
        repo = folder / "repos" / f"learner{index + 1:03d}-{name}"
        (repo / "exercises").mkdir(parents=True)
        (repo / "README.md").write_text("a learner's copy\n")
        if text is not None:
            (repo / "exercises" / "linreg.py").write_text(text, encoding="utf-8")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "my work"]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
        repos.append(repo)
    return repos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=200)
    parser.add_argument("--jobs", type=int, help="passed on to kata grade (default: its own)")
    parser.add_argument("--keep", metavar="DIR", help="make the repositories and reports in DIR")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="kata-class-"))
    folder.mkdir(parents=True, exist_ok=True)
    repos = make_repos(args.count, folder)
    command = [
        sys.executable,
        "-m",
        "kata",
        "grade",
        *map(str, repos),
        "--csv",
        str(folder / "gradebook.csv"),
    ]
    command += ["--jsonl", str(folder / "grades.jsonl"), "--feedback", str(folder / "feedback")]
    command += ["--jobs", str(args.jobs)] if args.jobs else []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with (folder / "progress.log").open("w") as progress, (folder / "table.txt").open("w") as table:
        done = subprocess.run(command, cwd=ROOT, stdout=table, stderr=progress)
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rows = list(csv.DictReader((folder / "gradebook.csv").open()))
    statuses = {s: sum(r["status"] == s for r in rows) for s in ("pass", "fail", "error")}
    complete = all(None not in r and None not in r.values() for r in rows)
    print(f"kata grade of {len(repos)} repositories: exit {done.returncode}, wall {elapsed:.0f} s")
    print(f"CPU: {cpu:.0f} s in all, {cpu / len(repos):.1f} s per submission (this process's children)")
    print(f"gradebook: {len(rows)} rows, every column in every row: {complete}; {statuses}")
    print(f"reports, the table and the progress output are in {folder}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
