"""Grade a class: N learner repositories made from the gallery's entries, served as bare
repositories from file:// URLs, taken the whole way an instructor takes them: `kata
collect` with a roster, then one `kata grade --roster` run with the Canvas and Moodle
exports. Prints the wall time of each and the CPU seconds per submission.

    python tools/grade_many.py [N] [--jobs J] [--keep DIR]

Each repository holds exercises/linreg.py in a commit of its own: the right entries, the
wrong ones (the reference with one mistake), the attacks, and three odd ones (no linreg.py,
a syntax error, an empty file), taken in turn until there are N. Each file ends with a
comment naming its learner, so that no two are the same bytes (a class's files differ).
The first one has no linreg.py, so that the gradebook cannot take its columns from a
complete row.
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


def make_repos(count: int, folder: Path) -> list[str]:
    """Bare repositories folder/served/linreg-<name>.git; returns the learners' names."""
    scratch = folder / "entries"
    scratch.mkdir()
    kinds = entries(scratch)
    names = []
    env = os.environ | {"GIT_AUTHOR_NAME": "l", "GIT_AUTHOR_EMAIL": "l@x", "GIT_COMMITTER_NAME": "l"}
    env |= {"GIT_COMMITTER_EMAIL": "l@x"}
    for index in range(count):
        kind, text = kinds[index % len(kinds)]
        name = f"learner{index + 1:03d}-{kind}"
        repo = folder / "work" / name
        (repo / "exercises").mkdir(parents=True)
        (repo / "README.md").write_text("a learner's copy\n")
        if text is not None:
            (repo / "exercises" / "linreg.py").write_text(f"{text}\n# {name}\n", encoding="utf-8")
        bare = folder / "served" / f"linreg-{name}.git"
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "my work"]):
            subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
        subprocess.run(
            ["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True, capture_output=True
        )
        names.append(name)
    return names


def write_roster(names: list[str], path: Path) -> None:
    """A Canvas-style roster with github and email columns."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "github", "email"])
        for number, name in enumerate(names, start=1):
            writer.writerow(
                [
                    f"Learner, {number}",
                    1000 + number,
                    f"S{number}",
                    f"l{number}",
                    "A",
                    name,
                    f"{name}@uni.example",
                ]
            )


def timed(command: list[str], folder: Path, log: str) -> tuple[int, float, float, float]:
    """(exit status, wall seconds, CPU seconds of its processes, CPU seconds the whole machine
    was busy) of a command run in `folder`. The processes' figure counts those that were
    waited for (a worker killed in its own PID namespace may be missed); the machine's counts
    everything that ran meanwhile, this run's workers and anything else."""
    before, busy = resource.getrusage(resource.RUSAGE_CHILDREN), machine_busy()
    start = time.monotonic()
    with (folder / f"{log}.out").open("w") as out, (folder / f"{log}.err").open("w") as err:
        done = subprocess.run(command, cwd=folder, stdout=out, stderr=err)
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.returncode, elapsed, cpu, machine_busy() - busy


def machine_busy() -> float:
    """CPU seconds this machine has been busy since it started (Linux: /proc/stat), or 0."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=200)
    parser.add_argument("--jobs", type=int, help="passed on to kata grade (default: its own)")
    parser.add_argument("--keep", metavar="DIR", help="make the repositories and reports in DIR")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="kata-class-"))
    folder.mkdir(parents=True, exist_ok=True)
    names = make_repos(args.count, folder)
    write_roster(names, folder / "roster.csv")
    kata = [sys.executable, "-m", "kata"]
    template = f"{(folder / 'served').as_uri()}/linreg-{{github}}.git"
    collect = [*kata, "collect", "--roster", "roster.csv", "--url-template", template, "--into", "repos"]
    code, collect_wall, collect_cpu, collect_busy = timed(collect, folder, "collect")
    if code:
        print(f"kata collect failed (exit {code}): see {folder / 'collect.err'}")
        return code
    repos = [str(folder / "repos" / name) for name in names]
    grade = [*kata, "grade", *repos, "--roster", "roster.csv", "--csv", "gradebook.csv"]
    grade += ["--jsonl", "grades.jsonl", "--feedback", "feedback", "--canvas", "canvas.csv"]
    grade += ["--assignment", "Linreg kata (1)", "--moodle", "moodle.csv"]
    grade += ["--jobs", str(args.jobs)] if args.jobs else []
    code, grade_wall, grade_cpu, grade_busy = timed(grade, folder, "grade")
    rows = list(csv.DictReader((folder / "gradebook.csv").open(encoding="utf-8")))
    statuses = {s: sum(r["status"] == s for r in rows) for s in ("pass", "fail", "error", "missing")}
    complete = all(None not in r and None not in r.values() for r in rows)
    canvas = len(list(csv.reader((folder / "canvas.csv").open(encoding="utf-8")))) - 2
    cpu, wall = collect_cpu + grade_cpu, collect_wall + grade_wall
    print(f"kata collect of {len(names)} repositories: wall {collect_wall:.1f} s, CPU {collect_cpu:.1f} s")
    print(
        f"kata grade --roster (with the exports): exit {code}, wall {grade_wall:.0f} s, CPU {grade_cpu:.0f} s"
    )
    print(f"the whole path: wall {wall:.0f} s, CPU {cpu / len(names):.2f} s per submission (child processes)")
    busy = (collect_busy + grade_busy) / len(names)
    print(f"the machine was busy {busy:.2f} CPU s per submission (workers included, and all else that ran)")
    print(f"gradebook: {len(rows)} rows, every column in every row: {complete}; {statuses}")
    print(f"Canvas import file: {canvas} student rows")
    for line in seconds_by_kind(folder / "grades.jsonl"):
        print(line)
    print(f"reports, the table and the progress output (grade.err) are in {folder}")
    return code


def seconds_by_kind(jsonl: Path) -> list[str]:
    """The mean wall seconds of a submission's checks, by kind of entry, and the slowest ones
    (the attacks that wait out a time limit by design)."""
    import json

    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = {}
    for row in rows:
        kind = row["learner"].split("-", 1)[1].split("_")[0]
        kinds.setdefault("odd" if kind not in ("right", "wrong", "attack") else kind, []).append(
            row["seconds"]
        )
    means = ", ".join(f"{kind} {sum(s) / len(s):.2f} s ({len(s)})" for kind, s in sorted(kinds.items()))
    slowest = sorted(rows, key=lambda row: -row["seconds"])[:4]
    named = ", ".join(f"{row['learner']} {row['seconds']:.0f} s" for row in slowest)
    return [f"wall seconds of a submission's checks, mean by kind: {means}", f"the slowest: {named}"]


if __name__ == "__main__":
    sys.exit(main())
