"""Which commit of a learner's repository counts at a deadline, and when it was submitted.

Where `kata collect` stored the repository's pushes (kata.pushes), and the record is as
recent as the clone, the commit is the one the default branch pointed to after the last push
before the deadline, and its time is that push's: GitHub's clock. Otherwise it is the last
commit dated before the deadline, and its time is the commit date, which whoever commits
sets: the row says that it was trusted.
"""

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kata import pushes as push_records

PUSHED = "push"
TRUSTED = "commit date (trusted)"


class DateError(ValueError):
    """A date that cannot be read."""


@dataclass
class Version:
    """A commit as submitted."""

    commit: str
    when: float  # epoch seconds: the push, or the commit date
    source: str  # PUSHED or TRUSTED


def parse_date(text: str) -> float:
    """Epoch seconds of an ISO 8601 date (`2026-12-20 23:59 +01:00`; without a time zone, the
    machine's, as git does)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise DateError(f"{text!r} is not a date like 2026-12-20 23:59 +01:00") from error
    return moment.astimezone().timestamp() if moment.tzinfo is None else moment.timestamp()


def shown_date(when: float) -> str:
    """An epoch time as ISO 8601 in UTC, to the second."""
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def commit_time(repo: Path, commit: str) -> float:
    return float(_git(repo, "log", "-1", "--format=%ct", commit) or 0)


def _current_pushes(repo: Path, branch: str) -> list[dict] | None:
    """The clone's push record, when it is as recent as the clone: its last push to `branch`
    left the commit the clone holds (else the record is older than what was fetched)."""
    pushes = [p for p in push_records.load(repo) or [] if p["ref"] == branch]
    return pushes if pushes and pushes[-1]["after"] == _git(repo, "rev-parse", "HEAD") else None


def version_at(repo: Path, deadline: float) -> Version | None:
    """The commit submitted by `deadline` (epoch seconds), or None when there was none."""
    branch = _git(repo, "symbolic-ref", "-q", "HEAD")
    pushes = _current_pushes(repo, branch)
    if pushes:
        head = push_records.head_at(pushes, branch, deadline)
        if head is None:
            return None
        commit, pushed = head
        when = push_records.parse_time(pushed) if pushed else commit_time(repo, commit)
        return Version(commit, when, PUSHED if pushed else TRUSTED)
    commit = _git(repo, "rev-list", "-1", f"--before=@{int(deadline)}", "HEAD")
    return Version(commit, commit_time(repo, commit), TRUSTED) if commit else None
