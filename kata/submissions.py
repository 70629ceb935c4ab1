"""What `kata grade` is given, made into submissions: who the learner is, which linreg.py
to grade, and at which commit.

A submission is a linreg.py, a folder holding one, or a learner's repository as collected
(`repos/alice/`, with exercises/linreg.py). Nothing here imports or runs the learner's code.
"""

import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kata.impl import ImplError, resolve

MAX_LINREG_BYTES = 1 << 20  # the most a linreg.py read out of git may hold: one is a few kilobytes


@dataclass
class Submission:
    """One learner's code, found on disk."""

    given: str  # as named on the command line
    learner: str  # the folder name (or the file's name), unique in a run
    path: Path | None = None  # the linreg.py to grade; None when there is none
    commit: str = ""  # the commit graded, when the submission is a git repository
    problem: str = ""  # why it cannot be graded (no linreg.py, no commit before the deadline)
    shown: str = ""  # how reports name a file copied out of a commit: its path in the repository


def shown_path(sub: Submission) -> str:
    """How reports name the file graded: a file copied out of a commit by its path in the
    repository (the row names the commit), any other by its path on this machine."""
    return sub.shown or str(sub.path)


def learner_name(given: str | Path) -> str:
    """`repos/alice/` -> alice; `alice/linreg.py` -> alice; `alice/exercises/linreg.py` -> alice;
    `bob.py` -> bob."""
    path = Path(given).absolute()
    if path.suffix != ".py":
        return path.name
    if path.name != "linreg.py":
        return path.stem
    folder = path.parent
    return folder.parent.name if folder.name == "exercises" else folder.name


def repository_of(given: str | Path) -> Path | None:
    """The git repository the submission is (its own top folder), or None."""
    path = Path(given).absolute()
    folders = [path] if path.is_dir() else [path.parent, path.parent.parent]
    for folder in folders:
        if (folder / ".git").exists():
            return folder
    return None


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def blob_size(repo: Path, blob: str) -> int | None:
    """The size of a blob of a clone, or None when the clone left it on the server (kata
    collect leaves files over 1 MB there). Asking git for the size of a blob it does not
    hold would download it."""
    listed = _git(repo, "rev-list", "--objects", "--missing=print", "--no-walk", blob)
    if listed.split()[:1] != [blob]:  # "?<blob>": not here
        return None
    size = _git(repo, "cat-file", "-s", blob)
    return int(size) if size.isdigit() else None


def gradable_blob(repo: Path, treeish: str, inside: str) -> tuple[str, str]:
    """(the blob, "") of the file `inside` of `treeish`, when it is a regular file of at most
    MAX_LINREG_BYTES; ("", why it is not taken) when it is something else; ("", "") when
    there is none. Read from the tree by its path: nothing else of the tree is looked at."""
    entry = _git(repo, "ls-tree", treeish, "--", inside).split()  # mode type object
    if len(entry) < 3:
        return "", ""
    if entry[0] not in ("100644", "100755"):  # a link's target is not code to grade
        kind = {"120000": "a symbolic link", "040000": "a folder", "160000": "a submodule"}.get(entry[0])
        return "", f"is {kind or 'not a file'}"
    size = blob_size(repo, entry[2])
    if size is None or size > MAX_LINREG_BYTES:
        return "", f"holds more than {MAX_LINREG_BYTES} bytes, more than a linreg.py needs"
    return entry[2], ""


def _at_commit(sub: Submission, repo: Path, before: str, scratch: Path) -> Submission:
    """The submission as it was in the last commit before `before` (a date git understands),
    copied out of the repository; the working tree is left alone."""
    commit = _git(repo, "rev-list", "-1", f"--before={before}", "HEAD")
    if not commit:
        sub.problem = f"no commit before {before}"
        return sub
    return copy_at(sub, repo, commit, scratch, f"the last before {before}")


def copy_at(sub: Submission, repo: Path, commit: str, scratch: Path, which: str) -> Submission:
    """The submission as it was in `commit` (`which` says what that commit is, for the reason
    when it cannot be read), copied out of the repository into `scratch`."""
    inside = sub.path.relative_to(repo.resolve()).as_posix()
    blob, why = gradable_blob(repo, commit, inside)
    if why:
        sub.problem = f"{inside} in commit {commit[:12]} ({which}) {why}: not graded"
        return sub
    done = subprocess.run(["git", "-C", str(repo), "cat-file", "blob", blob], capture_output=True)
    if not blob or done.returncode != 0:
        sub.problem = f"no {inside} in commit {commit[:12]} ({which})"
        return sub
    copy = Path(tempfile.mkdtemp(dir=scratch)) / "linreg.py"
    copy.write_bytes(done.stdout)
    sub.path, sub.commit, sub.shown = copy, commit, inside
    return sub


def find(given: str | Path, learner: str, before: str | None = None, scratch: Path | None = None):
    """The submission named `given` (with --before, as of its last commit before then)."""
    sub = Submission(str(given), learner)
    repo = repository_of(given)
    sub.commit = _git(repo, "rev-parse", "HEAD") if repo and before is None else ""
    try:
        sub.path = resolve(given)
    except ImplError as error:
        if before is None or repo is None:
            sub.problem = str(error)
            return sub
        # Not in the working tree now (deleted, a link, too large to collect): the commit
        # before the deadline may still hold it.
        sub.path = repo.resolve() / "exercises" / "linreg.py"
    if before is None:
        return sub
    if repo is None:
        sub.problem = f"{given} is not a git repository: --before needs the learner's repository"
        return sub
    return _at_commit(sub, repo, before, scratch)


def learner_names(given: list) -> list[str]:
    """The learners' names, made unique: where two share a folder name, both are named by the
    path given instead."""
    names = [learner_name(g) for g in given]
    twice = {name for name, count in Counter(names).items() if count > 1}
    return [str(g) if name in twice else name for g, name in zip(given, names, strict=True)]


def find_all(given: list, before: str | None = None, scratch: Path | None = None) -> list[Submission]:
    """Every submission named on the command line."""
    return [find(g, name, before, scratch) for g, name in zip(given, learner_names(given), strict=True)]
