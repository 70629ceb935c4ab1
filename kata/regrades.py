"""What a regrade changed: each learner whose points moved since an earlier run
(`kata grade --compare PREVIOUS.jsonl`), with the old and new points of each step and the
reason the new grade gives. The instructor's check before exporting again after a fix.
"""

import csv
from pathlib import Path

from kata.exports import no_formula
from kata.gradebook import JsonLines
from kata.grading import Grade

COLUMNS = ("learner", "step", "old_points", "new_points", "reason")


def previous(path: Path) -> list[Grade]:
    """The grades of an earlier run's --jsonl file."""
    if not path.is_file():
        raise FileNotFoundError(f"--compare: {path} is not a file (give an earlier run's --jsonl)")
    grades = JsonLines(path, keep=True).grades()
    if not grades:
        raise ValueError(f"--compare: {path} holds no grades (give an earlier run's --jsonl)")
    return grades


def changes(before: list[Grade], now: list[Grade]) -> list[dict]:
    """One entry per step (and per total) whose points changed, for each learner graded in
    both runs (a learner in one run only is no regrade)."""
    old = {g.learner: g for g in before}
    return [c for g in now if g.learner in old for c in _moved(g.learner, old[g.learner], g)]


def _moved(learner: str, old: Grade, new: Grade) -> list[dict]:
    def points(grade, step):
        return next((s["points"] for s in grade.steps if s["step"] == step), "")

    def reason(step):
        return next((s["reason"] for s in new.steps if s["step"] == step), "") or "all its checks pass"

    steps = sorted({s["step"] for g in (old, new) if g for s in g.steps})
    moved = [
        {"learner": learner, "step": n, "old_points": points(old, n), "new_points": points(new, n)}
        | {"reason": reason(n)}
        for n in steps
        if points(old, n) != points(new, n)
    ]
    if moved or old.points != new.points:
        moved.append(
            {"learner": learner, "step": "total", "old_points": old.points, "new_points": new.points}
            | {"reason": new.message or ("late" if new.submitted.get("late") else "")}
        )
    return moved


def lines(found: list[dict]) -> list[str]:
    """The changes as lines to print."""
    if not found:
        return ["compared with the earlier run: no points changed"]
    out = [f"compared with the earlier run: {len({c['learner'] for c in found})} learner(s) changed"]
    for c in found:
        step = "total" if c["step"] == "total" else f"step {c['step']}"
        out.append(f"  {c['learner']}: {step}: {c['old_points']} -> {c['new_points']} ({c['reason']})")
    return out


def write(found: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({**c, "reason": no_formula(str(c["reason"]))} for c in found)


def default_path(previous_path: Path) -> Path:
    """Where the changes go without --compare-out: beside the earlier run's file."""
    return previous_path.with_name(previous_path.stem + ".changes.csv")
