"""The class roster: a CSV file with a `github` column, one row per student.

Any other column is carried through to the reports. A Canvas gradebook export with a
`github` column added is a roster as it is (its `Points Possible` row is not a student); an
`email` or `idnumber` column names the student to Moodle; a filled `deadline` column is that
student's own deadline. GitHub names are matched without regard to case, as GitHub does.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

GITHUB = "github"
DEADLINE = "deadline"
NOT_STUDENTS = ("Points Possible",)  # rows of a Canvas export that are not students


class RosterError(ValueError):
    """The roster cannot be used: the message says what to fix."""


@dataclass
class Student:
    """One roster row."""

    row: dict  # every column, as read
    github: str = ""
    deadline: str = ""  # this student's own deadline, "" for the class's

    @property
    def key(self) -> str:
        return self.github.casefold()


@dataclass
class Matched:
    """Submissions matched to the roster."""

    pairs: list = field(default_factory=list)  # (Student, submission as given)
    missing: list = field(default_factory=list)  # Students with no submission
    strangers: list = field(default_factory=list)  # submissions matching no student


def read(path: Path) -> tuple[list[str], list[Student]]:
    """The roster's columns and its students, in file order."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as source:  # Excel and Canvas write a BOM
            lines = list(csv.reader(source))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError(f"cannot read the roster {path}: {error}") from error
    columns = [c.strip() for c in lines[0]] if lines else []
    rows = [dict(zip(columns, line + [""] * (len(columns) - len(line)), strict=False)) for line in lines[1:]]
    if GITHUB not in columns:
        raise RosterError(f"the roster {path} has no `{GITHUB}` column (its columns: {', '.join(columns)})")
    students = [_student(row) for row in rows if not _not_a_student(row)]
    _refuse_duplicates(path, students)
    return columns, students


def _student(row: dict) -> Student:
    row = {name: (value or "").strip() for name, value in row.items() if name}
    return Student(row, row.get(GITHUB, "").removeprefix("@"), row.get(DEADLINE, ""))  # @alice is alice


def _not_a_student(row: dict) -> bool:
    first = next(iter(row.values()), "") or ""
    return first.strip() in NOT_STUDENTS or not any((v or "").strip() for v in row.values())


def _refuse_duplicates(path: Path, students: list[Student]) -> None:
    seen = set()
    for student in students:
        if student.key and student.key in seen:
            raise RosterError(f"the roster {path} names the GitHub account {student.github!r} twice")
        seen.add(student.key)


def match(students: list[Student], submissions: list[str], names: list[str]) -> Matched:
    """Pair each student with the submission whose learner name is their GitHub name."""
    by_name = {name.casefold(): given for given, name in zip(submissions, names, strict=True)}
    matched = Matched()
    for student in students:
        given = by_name.pop(student.key, None) if student.key else None
        if given is None:
            matched.missing.append(student)
        else:
            matched.pairs.append((student, given))
    matched.strangers = list(by_name.values())
    return matched
