"""Reports of `python -m kata grade`: a table, JSON (like Exercism's results.json), CSV."""

import csv
import json
from pathlib import Path

from kata.grading import Grade


def _step_numbers(grades: list[Grade]) -> list[int]:
    """The steps graded in this run (every grade has a row for each)."""
    return sorted({s["step"] for g in grades for s in g.steps})


def table(grades: list[Grade]) -> str:
    """A readable table: one row per submission, points per step, total and status."""
    numbers = _step_numbers(grades)
    width = max([len("submission")] + [len(g.path) for g in grades])
    head = f"{'submission':<{width}}  " + "".join(f"step{n:<3}" for n in numbers) + " total    status"
    rows = [head, "-" * len(head)]
    for g in grades:
        cells = "".join(f"{s['points']:>5}  " for s in g.steps) or " " * (7 * len(numbers))
        rows.append(
            f"{g.path:<{width}}  {cells}{g.points:>3}/{g.max_points:<4} {g.status}"
            + (f"  ({g.message})" if g.message else "")
        )
    gaps = sorted({gap for g in grades for gap in g.confinement_gaps()})
    if gaps:
        rows.append(f"warning: some submissions ran without {'; '.join(gaps)} (see README, 'Out of reach')")
    return "\n".join(rows)


def failures(grade: Grade) -> list[str]:
    """One line per step that earned nothing, with the reason."""
    return [f"{grade.path}: step {s['step']}: {s['reason']}" for s in grade.steps if s["reason"]]


def write_json(grades: list[Grade], path: Path) -> None:
    path.write_text(json.dumps({"submissions": [g.as_dict() for g in grades]}, indent=2))


def write_csv(grades: list[Grade], path: Path) -> None:
    numbers = _step_numbers(grades)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["submission", *[f"step{n}" for n in numbers], "points", "max_points", "status", "message"]
        )
        for g in grades:
            writer.writerow(
                [g.path, *[s["points"] for s in g.steps], g.points, g.max_points, g.status, g.message]
            )
