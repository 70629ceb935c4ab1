"""What a learner may be told about their grade: per step, the points, the messages of the
visible checks that failed, and for a hidden check only that it failed, in which step, and
the step's hint; never its name, inputs, seed or message (they could hold the hidden data).

Used by `kata grade --feedback DIR` (one Markdown file per learner) and by the Gradescope and
Classroom 50 results (kata.platforms).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from kata.grading import Grade, is_hidden
from kata.manifest import get_step

SHOWN_PER_STEP = 3  # failed visible checks quoted per step; the rest are counted


@dataclass
class StepFeedback:
    number: int
    title: str
    points: int
    max_points: int
    reason: str  # why the step earned nothing (already free of hidden inputs), or ""
    visible: list = field(default_factory=list)  # (check, message) of failed visible checks
    hidden: list = field(default_factory=list)  # what each failed hidden check was about
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.points == self.max_points


def _check_name(record: dict) -> str:
    return record["name"].split("::")[-1]


def steps(grade: Grade) -> list[StepFeedback]:
    """The learner-safe feedback of each graded step."""
    failed = [t for t in grade.tests if t["status"] != "passed"]
    result = []
    for s in grade.steps:
        step = get_step(s["step"])
        mine = [t for t in failed if t.get("step") == step.number]
        result.append(
            StepFeedback(
                number=step.number,
                title=step.title,
                points=s["points"],
                max_points=s["max_points"],
                reason=s["reason"],
                visible=[(_check_name(t), t["message"]) for t in mine if not is_hidden(t["name"])],
                hidden=[t.get("function") or "this step's fit" for t in mine if is_hidden(t["name"])],
                hint=" ".join(step.hint.split()) if s["reason"] else "",
            )
        )
    return result


def step_text(feedback: StepFeedback) -> str:
    """A step's feedback as plain text (Gradescope's and Classroom 50's per-test output)."""
    if feedback.passed:
        return "Every check of this step passed."
    lines, seen = [], set()
    for check, message in feedback.visible:
        if message not in seen and len(seen) < SHOWN_PER_STEP:
            seen.add(message)
            lines += [f"{check}:", message, ""]
    others = len(feedback.visible) - len(seen)
    if others:
        lines += [f"({others} more failed checks of this step)", ""]
    if not lines:  # it failed through another step's function, a hidden check, or a time limit
        lines += [feedback.reason.splitlines()[0] if feedback.reason else "This step did not pass.", ""]
    for what in sorted(set(feedback.hidden)):
        count = feedback.hidden.count(what)
        checks = "A hidden check" if count == 1 else f"{count} hidden checks"
        lines += [f"{checks} of {what} failed: they run your code again on data you do not see.", ""]
    if feedback.hint:
        lines += [f"Hint: {feedback.hint}"]
    return "\n".join(lines).strip()


def markdown(grade: Grade) -> str:
    """One learner's feedback file."""
    head = [
        f"# linreg kata: feedback for {grade.learner}",
        "",
        f"**{grade.points} / {grade.max_points} points** ({grade.status})"
        + (f", commit `{grade.commit[:12]}`" if grade.commit else "")
        + (f", graded {grade.graded_at}" if grade.graded_at else ""),
    ]
    if grade.message:
        head += ["", f"> {grade.message}"]
    head += ["", "| step | | points |", "|---|---|---|"]
    every = steps(grade)
    head += [f"| {f.number} | {f.title} | {f.points} / {f.max_points} |" for f in every]
    body = []
    for f in every:
        text = step_text(f)
        fence = "`" * max(4, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        body += ["", f"## Step {f.number}: {f.title} ({f.points} / {f.max_points})", "", f"{fence}text"]
        body += [text, fence]  # longer than any run of backticks inside: the text cannot close it
    return "\n".join(head + body) + "\n"


def file_name(learner: str) -> str:
    """A file name for a learner's feedback (learner names may be paths when two folders share a name)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in learner).strip("._") or "learner"
    return f"{safe}.md"


def write_all(grades: list[Grade], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for grade in grades:
        (folder / file_name(grade.learner)).write_text(markdown(grade), encoding="utf-8")
