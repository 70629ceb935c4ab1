"""Grade a class against its roster, its deadlines and its late policy (`kata grade
--roster`, `--late-until`).

For each learner's repository: the version submitted by their deadline (their own from the
roster, else --before) and, when the late window holds another commit, the late version
too. Each distinct file is graded once (a verdict is a function of the file's bytes, within
a run); the late version counts when its points after the penalty are more. Every roster
student gets exactly one row: those with no repository have status `missing`; repositories
that match no roster entry are graded and kept apart (their `roster` row empty).
"""

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kata import deadlines, late
from kata.grading import Grade, grade_found
from kata.manifest import STEPS, get_step
from kata.roster import Student, match
from kata.submissions import Submission, copy_at, find, learner_names, repository_of, shown_path

MISSING = "missing"


@dataclass
class Settings:
    """What the instructor asked for on the command line."""

    before: float | None = None  # the class's deadline, epoch seconds
    policy: late.Policy = field(default_factory=late.Policy)
    jobs: int | None = None
    timeout: float = 900.0
    step: int | None = None


@dataclass
class Learner:
    """One learner's row in the making: who, and the versions to grade."""

    name: str
    given: str
    student: Student | None
    deadline: float | None = None
    on_time: Submission | None = None
    on_time_version: deadlines.Version | None = None
    late: Submission | None = None
    late_version: deadlines.Version | None = None


def plan(given: str, name: str, student: Student | None, settings: Settings, scratch: Path) -> Learner:
    """Which versions of this learner's submission to grade."""
    learner = Learner(name, given, student)
    own = student.deadline if student else ""
    learner.deadline = deadlines.parse_date(own) if own else settings.before
    repo = repository_of(given)
    if learner.deadline is None or repo is None:  # the submission as it is
        learner.on_time = find(given, name)
        if learner.deadline is not None:
            learner.on_time.problem = (
                f"{given} is not a git repository: a deadline needs the learner's repository"
            )
        return learner
    learner.on_time_version = deadlines.version_at(repo, learner.deadline)
    learner.on_time = _version(learner, repo, learner.on_time_version, learner.deadline, scratch)
    window = late.late_window(learner.deadline, settings.policy)
    later = deadlines.version_at(repo, window) if window else None
    if later and (learner.on_time_version is None or later.commit != learner.on_time_version.commit):
        learner.late_version = later
        learner.late = _version(learner, repo, later, window, scratch, "late ")
    return learner


def _version(learner: Learner, repo: Path, version, deadline: float, scratch: Path, kind: str = ""):
    """The submission as of `version` (None: nothing was submitted by `deadline`)."""
    sub = find(learner.given, learner.name)
    if sub.problem or sub.path is None:  # not in the working tree: it may be in the commit
        sub.problem, sub.path = "", repo.resolve() / "exercises" / "linreg.py"
    shown = deadlines.shown_date(deadline)
    if version is None:
        sub.commit, sub.problem = "", f"nothing was submitted before the {kind}deadline {shown}"
        return sub
    sub = copy_at(sub, repo, version.commit, scratch, f"the one submitted by the {kind}deadline {shown}")
    sub.commit = version.commit
    return sub


def grade_class(
    submissions: list[str],
    students: list[Student] | None,
    settings: Settings,
    scratch: Path,
    on_graded=None,
    on_planned=None,
    memo=None,
):
    """One Grade per roster student, in roster order, then one per repository on no roster
    row (its `roster` empty). Without a roster, one Grade per submission."""
    names = learner_names(submissions)
    name_of = dict(zip(submissions, names, strict=True))
    pairs, strangers = [(None, g) for g in submissions], []  # (Student or None, submission)
    if students is not None:
        matched = match(students, submissions, names)
        pairs, strangers = matched.pairs, matched.strangers
    learners = [plan(g, name_of[g], s, settings, scratch) for s, g in pairs + [(None, g) for g in strangers]]
    subs = [s for lr in learners for s in (lr.on_time, lr.late) if s is not None]
    graded = grade_once(subs, scratch, settings, on_graded, on_planned, memo)
    rows = [_row(lr, graded, settings) for lr in learners]
    if students is None:
        return rows
    by_student = {id(lr.student): row for lr, row in zip(learners, rows, strict=True) if lr.student}
    grades = [by_student.get(id(s)) or missing_row(s, settings) for s in students]
    return grades + rows[len(pairs) :]


def grade_once(
    subs: list[Submission], scratch: Path, settings: Settings, on_graded=None, on_planned=None, memo=None
):
    """id(submission) -> its Grade, each learner's distinct file graded once (their on-time
    and late versions may be the same bytes); `on_planned(count)` is told how many gradings
    that makes. With `memo` (kata.graded_files.GradedFiles), files it knows are not graded
    again and each file graded is added to it. Two learners' files are graded apart even when
    their bytes are the same: a message their code writes may name its own folder."""
    known = memo.known() if memo else {}
    keys = {id(sub): _key(sub) for sub in subs}
    first, same = {}, {}
    for sub in subs:
        key = keys[id(sub)]
        same[id(sub)] = first.setdefault(key, sub) if key else sub
    todo = [sub for sub in subs if same[id(sub)] is sub and keys[id(sub)] not in known]
    if on_planned:
        on_planned(len(todo))
    version_of = {(sub.learner, sub.commit): sub for sub in todo}

    def graded(grade: Grade) -> None:
        sub = version_of[(grade.learner, grade.commit)]
        if memo and keys[id(sub)]:
            memo.add(keys[id(sub)][1], grade, shown_path(sub))
        if on_graded:
            on_graded(grade)

    grades = grade_found(todo, scratch, settings.jobs, settings.timeout, settings.step, graded)
    by_sub = {id(sub): (grade, shown_path(sub)) for sub, grade in zip(todo, grades, strict=True)}
    by_key = known | {keys[id(sub)]: by_sub[id(sub)] for sub in todo if keys[id(sub)]}
    return {id(sub): _as(*(by_key.get(keys[id(sub)]) or by_sub[id(same[id(sub)])]), sub) for sub in subs}


def _key(sub: Submission) -> tuple[str, str] | None:
    """(learner, SHA-256 of the file), or None when there is no file to grade."""
    digest = _digest(sub)
    return (sub.learner, digest) if digest else None


def _digest(sub: Submission) -> str:
    if sub.problem or sub.path is None:
        return ""
    return hashlib.sha256(Path(sub.path).read_bytes()).hexdigest()


def _as(grade: Grade, shown: str, sub: Submission) -> Grade:
    """`grade`, whose reports name the file graded `shown`, as the grade of `sub` (the same
    bytes, another version of the same learner's): a copy whose reports name sub's file."""
    mine = copy.deepcopy(grade)
    mine.path, mine.learner, mine.commit = sub.given, sub.learner, sub.commit
    if shown != shown_path(sub):
        mine.rename(shown, shown_path(sub))
    return mine


def _row(learner: Learner, graded: dict, settings: Settings) -> Grade:
    """The learner's row: the on-time grade, or the late one when it scores more after its penalty."""
    on_time = graded[id(learner.on_time)]
    chosen, version, percent = on_time, learner.on_time_version, 0.0
    if learner.late is not None:
        late_grade = graded[id(learner.late)]
        when = learner.late_version.when
        percent = late.penalty_percent(when, learner.deadline, settings.policy)
        if late.after_penalty(late_grade.points, percent) > on_time.points:
            chosen, version = late_grade, learner.late_version
        else:
            percent = 0.0
    row = copy.deepcopy(chosen)
    row.roster = learner.student.row if learner.student else {}
    row.submitted = _submitted(learner, version, percent, row.points)
    row.points = late.after_penalty(row.points, percent)
    if percent:
        days = late.days_late(version.when, learner.deadline)
        row.message = f"late by {days} day(s) started: {percent:g}% off" + (
            f"; {row.message}" if row.message else ""
        )
    return row


def _submitted(learner: Learner, version, percent: float, points) -> dict:
    """What the row says of the version graded: when, by whose clock, how late."""
    if learner.deadline is None:
        return {}
    shown = deadlines.shown_date
    return {
        "deadline": shown(learner.deadline),
        "commit_time": shown(version.when) if version else "",
        "time_source": version.source if version else "",
        "late": bool(version and version.when > learner.deadline),
        "penalty_percent": late.tidy(percent),
        "points_before_penalty": points,
    }


def missing_row(student: Student, settings: Settings) -> Grade:
    """The row of a roster student with no repository."""
    numbers = [settings.step] if settings.step else [s.number for s in STEPS]
    why = f"no repository named {student.github}" if student.github else "no GitHub name in the roster"
    steps = [{"step": n, "points": 0, "max_points": get_step(n).points, "reason": why} for n in numbers]
    first = next((v for v in student.row.values() if v), "?")
    learner = student.github or f"({first})"
    total = sum(s["max_points"] for s in steps)
    return Grade("", MISSING, 0, total, steps, message=why, learner=learner, roster=student.row)
