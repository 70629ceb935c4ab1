"""Import files for the course's gradebook: Canvas's gradebook CSV and Moodle's grade import
CSV, one row per roster student and none for anyone else.

- Canvas (its GradebookImporter): the student columns `Student, ID, SIS User ID, SIS Login
  ID, Section`, in that order, `Section` last; then the assignment, titled `Name (id)`; a
  `Points Possible` row; then the points of each student. Canvas finds a student by ID,
  then SIS User ID, then SIS Login ID, then name: these come from the roster as they are.
- Moodle (grade/import/csv): one column naming the user (`email` or `idnumber`, mapped to
  useremail or useridnumber when importing), the grade, and a feedback text. A user Moodle
  does not know aborts the whole import, so a student without an identifier gets no row
  (the command says who).

Text that came from a learner's code (the feedback) cannot start a spreadsheet formula.
"""

import csv
import html
import re
from pathlib import Path

from kata.grading import Grade

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_IDENTIFIERS = ("ID", "SIS User ID", "SIS Login ID", "Student")
MOODLE_IDENTIFIERS = ("email", "idnumber")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FEEDBACK_LIMIT = 300
IN_A_FOLDER = re.compile(r"[^\s()'\"]*[/\\](?=linreg\.py)")  # the folders before a linreg.py


class ExportError(ValueError):
    """The roster lacks what an export needs."""


def no_formula(text: str) -> str:
    """`text` made inert in a spreadsheet: a leading `'` when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def on_roster(grades: list[Grade]) -> list[Grade]:
    return [g for g in grades if g.roster]


def canvas_ready(columns) -> None:
    """Refuse a roster Canvas could match no student of (before anything is graded)."""
    if not set(CANVAS_IDENTIFIERS) & set(columns):
        raise ExportError(
            "--canvas needs the roster's Canvas columns (ID, SIS User ID, SIS Login ID or Student): "
            "start from Canvas's gradebook export and add a github column"
        )


def write_canvas(grades: list[Grade], path: Path, assignment: str, max_points) -> None:
    """Canvas's gradebook CSV: the header, Points Possible, then each roster student's points."""
    students = on_roster(grades)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*CANVAS_COLUMNS, assignment])
        writer.writerow(["Points Possible", "", "", "", "", max_points])
        for grade in students:
            writer.writerow([*(grade.roster.get(c, "") for c in CANVAS_COLUMNS), grade.points])


def moodle_identifier(columns) -> str:
    """The roster column that names students to Moodle."""
    lowered = {c.casefold(): c for c in columns}
    for name in MOODLE_IDENTIFIERS:
        if name in lowered:
            return lowered[name]
    raise ExportError("--moodle needs an `email` or `idnumber` column in the roster")


def write_moodle(grades: list[Grade], path: Path, columns, grade_column: str = "grade") -> list[Grade]:
    """Moodle's grade import CSV; returns the roster students left out (no identifier)."""
    identifier = moodle_identifier(columns)
    students = on_roster(grades)
    left_out = [g for g in students if not g.roster.get(identifier)]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([identifier, grade_column, "feedback"])
        for grade in students:
            if grade.roster.get(identifier):
                writer.writerow([grade.roster[identifier], grade.points, feedback_text(grade)])
    return left_out


def feedback_text(grade: Grade) -> str:
    """A line for the gradebook: the points per step, and why points were lost."""
    steps = ", ".join(f"step {s['step']} {s['points']}/{s['max_points']}" for s in grade.steps)
    text = f"{grade.points}/{grade.max_points} ({steps})"
    if grade.message:
        text += f": {_without_paths(grade.message, grade.path)}"
    text = " ".join(text.split())[:FEEDBACK_LIMIT]
    return no_formula(html.escape(text, quote=False))  # Moodle shows feedback as HTML: a tag stays text


def _without_paths(message: str, submission: str) -> str:
    """A message without the folders of the instructor's machine: the learner knows their file."""
    if submission:
        message = message.replace(submission.rstrip("/"), "your repository")
    return IN_A_FOLDER.sub("", message)
