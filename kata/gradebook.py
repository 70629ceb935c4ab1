"""The instructor's reports of `python -m kata grade`: a table, JSON (like Exercism's
results.json), JSON lines written as each submission ends, and a CSV gradebook with one row
per learner. Reports can be merged: a learner graded again replaces their own row only.
"""

import csv
import json
from pathlib import Path

from kata.exports import no_formula
from kata.grading import Grade
from kata.manifest import STEPS
from kata.safe_text import shown


def _step_numbers(grades: list[Grade]) -> list[int]:
    """The steps graded in this run (every grade has a row for each)."""
    return sorted({s["step"] for g in grades for s in g.steps}) or [s.number for s in STEPS]


def table(grades: list[Grade]) -> str:
    """A readable table: one row per learner, points per step, total and status."""
    numbers = _step_numbers(grades)
    names = [shown(g.learner or g.path, 80) for g in grades]
    width = max([len("learner")] + [len(name) for name in names])
    head = f"{'learner':<{width}}  " + "".join(f"step{n:<3}" for n in numbers) + " total    status"
    rows = [head, "-" * len(head)]
    for g, name in zip(grades, names, strict=True):
        cells = "".join(f"{s['points']:>5}  " for s in g.steps) or " " * (7 * len(numbers))
        message = shown(g.message, 300).replace("\n", " ")  # one row per learner, whatever it says
        rows.append(
            f"{name:<{width}}  {cells}{g.points:>3}/{g.max_points:<4} {g.status}"
            + (f"  ({message})" if message else "")
        )
    gaps = sorted({gap for g in grades for gap in g.confinement_gaps()})
    if gaps:
        rows.append(f"warning: some submissions ran without {'; '.join(gaps)} (see README, 'Out of reach')")
    return "\n".join(rows)


def failures(grade: Grade) -> list[str]:
    """One line per step that earned nothing, with the reason."""
    return [f"{grade.path}: step {s['step']}: {s['reason']}" for s in grade.steps if s["reason"]]


def merged(earlier: list[Grade], now: list[Grade]) -> list[Grade]:
    """`earlier` with each learner graded `now` replaced or added, by learner name."""
    by_learner = {g.learner: g for g in earlier} | {g.learner: g for g in now}
    return [by_learner[name] for name in sorted(by_learner)]


def read_json(path: Path) -> list[Grade]:
    """The grades of a report written by write_json."""
    return [Grade(**item) for item in json.loads(path.read_text(encoding="utf-8"))["submissions"]]


def write_json(grades: list[Grade], path: Path) -> None:
    document = {"submissions": [g.as_dict() for g in grades]}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


class JsonLines:
    """Grades as JSON lines, one appended (and flushed) as each submission ends, so that an
    interrupted run keeps what it graded."""

    def __init__(self, path: Path, keep: bool):
        self.path = path
        if not keep:
            path.write_text("", encoding="utf-8")

    def grades(self) -> list[Grade]:
        """Every grade in the file; a learner graded twice counts with their last grade."""
        if not self.path.exists():
            return []
        grades = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                grades.append(Grade(**json.loads(line)))
            except (ValueError, TypeError):  # a line cut short by a crash: that learner is graded again
                continue
        return merged([], grades)  # a learner graded twice: the last line

    def append(self, grade: Grade) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(grade.as_dict()) + "\n")


SUBMITTED = ("commit_time", "time_source", "late", "penalty_percent")


def csv_rows(grades: list[Grade], roster_columns=()) -> tuple[list[str], list[dict]]:
    """The gradebook's header and rows: every column in every row. With a roster, its columns
    come first, and `on_roster` says which rows are repositories matching no student."""
    numbers = _step_numbers(grades)
    header = ["learner", "commit", *SUBMITTED, "graded_at", *[f"step{n}" for n in numbers]]
    header += ["points", "max_points", "status", "reason", "submission"]
    carried = {name: (f"roster_{name}" if name in header else name) for name in roster_columns}
    header = [*carried.values(), *header] + (["on_roster"] if roster_columns else [])
    rows = []
    for g in grades:
        points = {s["step"]: s["points"] for s in g.steps}
        row = {carried[name]: g.roster.get(name, "") for name in roster_columns}
        row |= {"learner": no_formula(g.learner), "commit": g.commit}
        row |= {name: _cell(g.submitted.get(name, "")) for name in SUBMITTED}
        row |= {"graded_at": g.graded_at} | {f"step{n}": points.get(n, 0) for n in numbers}
        row |= {"points": g.points, "max_points": g.max_points, "status": g.status}
        row |= {"reason": no_formula(g.message), "submission": no_formula(g.path)}
        row |= {"on_roster": "yes" if g.roster else "no"} if roster_columns else {}
        rows.append(row)
    return header, rows


def _cell(value):
    """A value as the gradebook writes it: yes/no for a flag."""
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def write_csv(grades: list[Grade], path: Path, merge: bool = False, roster_columns=()) -> None:
    """A CSV gradebook; with `merge`, the rows of learners not graded now are kept from the
    existing file (when it has the same columns)."""
    header, rows = csv_rows(grades, roster_columns)
    if merge and path.exists():
        with path.open(newline="", encoding="utf-8") as old:
            reader = csv.DictReader(old)
            if reader.fieldnames != header:
                raise ValueError(f"{path} has other columns ({reader.fieldnames}): cannot merge into it")
            earlier = list(reader)
        fresh = {row["learner"]: row for row in rows}
        rows = [fresh.pop(row["learner"], row) for row in earlier] + list(fresh.values())
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
