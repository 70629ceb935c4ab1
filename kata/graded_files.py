"""What a class run has graded so far, file by file, so that an interrupted run can go on
(`kata grade --roster ... --jsonl FILE --resume`).

A class run writes its rows to --jsonl at the end, since a learner's row may need two
versions of their file. Meanwhile, each file graded is appended to `FILE.files` with the
SHA-256 of its bytes. With --resume, a learner's file whose bytes (and --step) are there
is not graded again: its grade is taken from there, as --resume takes earlier learners' grades
without a roster. Without --resume, `FILE.files` starts empty.
"""

import json
from pathlib import Path

from kata.grading import Grade


def path_for(jsonl: Path) -> Path:
    """The file-by-file record beside a --jsonl file."""
    return jsonl.with_name(jsonl.name + ".files")


class GradedFiles:
    """Grades by the SHA-256 of the file graded, as JSON lines appended as each ends."""

    def __init__(self, path: Path, keep: bool, step: int | None):
        self.path, self.step = path, step
        if not keep:
            path.write_text("", encoding="utf-8")

    def known(self) -> dict[tuple[str, str], tuple[Grade, str]]:
        """(learner, digest) -> (grade, how its reports name the file graded) of every file
        recorded for this --step (a line cut short, or from before the name was kept, is
        skipped)."""
        if not self.path.exists():
            return {}
        found = {}
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                item = json.loads(line)
                if item["step"] == self.step and isinstance(item["shown"], str):
                    grade = Grade(**item["grade"])
                    found[(grade.learner, item["sha256"])] = (grade, item["shown"])
            except (ValueError, TypeError, KeyError):
                continue
        return found

    def add(self, digest: str, grade: Grade, shown: str) -> None:
        """Record the grade of a file, and how its reports name it (`shown`)."""
        item = {"sha256": digest, "step": self.step, "grade": grade.as_dict(), "shown": shown}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(item) + "\n")
