"""When each commit reached GitHub: the pushes of a repository, from GitHub's repository
activity API (`gh api repos/OWNER/REPO/activity`).

A commit's date is whatever the learner's clock (or `git commit --date`) said; the time of a
push is GitHub's. `kata collect` stores the pushes of each clone in
`<into>/.kata-pushes/<github>.json`; `kata grade` then takes, for a deadline, the commit the
default branch pointed to after the last push before it.

The file holds {"repository": "OWNER/REPO", "pushes": [{"ref", "before", "after",
"timestamp", "activity_type"}, ...]}: every activity that moved a branch (pushes, force pushes, branch
creations, merges), as the API reported it.
"""

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

FOLDER = ".kata-pushes"
NO_COMMIT = "0" * 40  # the `after` of a branch deletion


def record_path(clone: Path) -> Path:
    """Where the pushes of `clone` (`repos/alice/`) are stored: `repos/.kata-pushes/alice.json`."""
    return clone.parent / FOLDER / f"{clone.name}.json"


def from_activity(activities: list, newest_first: bool = True) -> list[dict]:
    """The pushes among the activities of the API's answer (newest first), or of a stored
    record (oldest first), oldest first."""
    pushes = [
        {key: item.get(key) for key in ("ref", "before", "after", "timestamp", "activity_type")}
        for item in activities
        if isinstance(item, dict) and item.get("after") and item.get("after") != NO_COMMIT
    ]
    pushes = [p for p in pushes if isinstance(p["timestamp"], str) and isinstance(p["ref"], str)]
    # Times have whole seconds: pushes made in the same second keep the order they were
    # listed in (in the API's answer the later listed is the older), so the last stays last.
    step = -1 if newest_first else 1
    order = sorted(range(len(pushes)), key=lambda i: (parse_time(pushes[i]["timestamp"]), step * i))
    return [pushes[i] for i in order]


def parse_time(text: str) -> float:
    """Seconds since the epoch of an ISO 8601 time (the API writes `2026-12-20T22:59:00Z`)."""
    return datetime.fromisoformat(text).timestamp()


def pages(text: str) -> list:
    """The items of `gh api --paginate`'s output: one JSON array per page, one after another."""
    decoder, items, at = json.JSONDecoder(), [], 0
    text = text.strip()
    while at < len(text):
        page, at = decoder.raw_decode(text, at)
        items += page if isinstance(page, list) else [page]
        while at < len(text) and text[at].isspace():
            at += 1
    return items


def fetch(repository: str, timeout: float = 120.0) -> list[dict] | None:
    """The pushes of OWNER/REPO on GitHub, through `gh api` (the instructor's own login);
    None when `gh` is missing, or the API did not answer (an error, its rate limit used up,
    or no whole answer within `timeout` seconds: a repository with a history too long to
    page through, or a network that hangs)."""
    if not shutil.which("gh"):
        return None
    try:
        done = subprocess.run(
            ["gh", "api", "--paginate", f"repos/{repository}/activity?per_page=100"],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0:
        return None
    try:
        return from_activity(pages(done.stdout))
    except ValueError:
        return None


def store(clone: Path, repository: str, pushes: list[dict]) -> None:
    path = record_path(clone)
    path.parent.mkdir(exist_ok=True)
    document = {"repository": repository, "pushes": pushes}
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")


def load(clone: Path) -> list[dict] | None:
    """The pushes stored for `clone`, or None when there is no readable record."""
    try:
        document = json.loads(record_path(clone).read_text(encoding="utf-8"))
        return from_activity(document["pushes"], newest_first=False)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def head_at(pushes: list[dict], branch: str, when: float) -> tuple[str, str] | None:
    """(commit, push time) of `branch` (refs/heads/NAME) at `when` (epoch seconds): the commit
    its last push at or before then left, or, before the first push recorded, the commit that
    push replaced (its time ""); None when the branch had nothing then."""
    mine = [p for p in pushes if p["ref"] == branch]
    before = [p for p in mine if parse_time(p["timestamp"]) <= when]
    if before:
        return before[-1]["after"], before[-1]["timestamp"]
    first = mine[0].get("before") if mine else None
    return (first, "") if isinstance(first, str) and first.strip("0") else None
