"""`python -m kata collect`: clone or update every learner's repository into `INTO/<github>/`.

The repositories are named by a URL template holding `{github}` (one per roster student), or
listed from a GitHub organisation by name prefix with `gh` (`--org ORG --prefix linreg-`).
A clone that exists is updated: fetched, and its default branch reset to the remote's.
Several run at a time (git processes, from a thread pool), with a progress bar.

Of the files, only exercises/linreg.py is written out (a regular file of at most 1 MB: kata.
submissions.gradable_blob), read from the default branch's tree by its path: nothing else
of a learner's tree is checked out, so
a tree of millions of paths (a "git bomb"), huge files, Git LFS downloads or links cannot
fill this machine. The history stays whole in `.git` (`kata grade --before` reads it there).

git runs with the instructor's own credentials (an SSH key, or `gh auth setup-git`); a URL
with a user name or token in it is refused, so that no token is ever written into a
clone's `.git/config`. Where `gh` can read GitHub's record of pushes, it is stored beside the
clones (kata.pushes). At the end, the command lists each repository it could not reach and
each that still holds the untouched stubs.
"""

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kata import pushes
from kata.submissions import gradable_blob

GIT_SECONDS = 300  # the most any one git command may take
LINREG = "exercises/linreg.py"
BLOBS = "--filter=blob:limit=1m"  # where the server can (GitHub): no file over 1 MB is downloaded
GIT_FILE_BYTES = 1 << 30  # the largest file git may write (a pack): a history of huge files stops there
ON_GITHUB = re.compile(r"github\.com[:/]([^/]+)/([^/]+?)(?:\.git)?/?$")
GITHUB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # a folder name, never `..` or an option


class CollectError(ValueError):
    """Collecting cannot start: the message says why."""


@dataclass
class Target:
    """A learner's repository to collect."""

    github: str  # the folder name under INTO, the roster's github value
    url: str
    repository: str = ""  # OWNER/NAME on GitHub, when known: its pushes are looked up


@dataclass
class Outcome:
    """What collecting one repository did."""

    target: Target
    done: str = ""  # "cloned" or "updated"; "" when it failed
    problem: str = ""
    stubs: bool = False  # exercises/linreg.py is still the untouched stubs
    pushes: bool = False  # GitHub's record of its pushes was stored
    not_taken: str = ""  # why its exercises/linreg.py was not written out (too large, a link...)
    absent: bool = False  # its default branch holds no exercises/linreg.py at all


def refuse_credentials(url: str) -> None:
    """A URL with credentials in it would be written into the clone's .git/config."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and (parts.username or parts.password):
        raise CollectError(
            f"{parts.scheme}://{parts.hostname}/...: the URL holds a user name or token, which git would "
            "store in each clone; use your git credentials instead (`gh auth setup-git`, or SSH)"
        )


def on_github(url: str) -> str:
    """OWNER/NAME when `url` is a GitHub repository's, else ""."""
    found = ON_GITHUB.search(url)
    return f"{found.group(1)}/{found.group(2)}" if found else ""


def from_template(names: list[str], template: str) -> list[Target]:
    """A target per GitHub name, its URL from the template."""
    if "{github}" not in template:
        raise CollectError(
            "--url-template must hold {github}, e.g. https://github.com/ORG/linreg-{github}.git"
        )
    refuse_credentials(template)
    targets = [Target(name, template.replace("{github}", name)) for name in names]
    for target in targets:
        target.repository = on_github(target.url)
    return targets


def from_organisation(org: str, prefix: str) -> list[Target]:
    """A target per repository of `org` whose name starts with `prefix`, listed by `gh`."""
    if not shutil.which("gh"):
        raise CollectError("--org lists the repositories with GitHub's CLI, gh, which is not installed")
    done = subprocess.run(
        ["gh", "repo", "list", org, "--limit", "5000", "--json", "name,url,nameWithOwner"],
        capture_output=True,
        text=True,
        timeout=GIT_SECONDS,
    )
    if done.returncode != 0:
        raise CollectError(f"gh repo list {org} failed: {done.stderr.strip()[:500]}")
    try:
        listed = json.loads(done.stdout or "[]")
    except ValueError as error:
        raise CollectError(f"gh repo list {org} did not answer in JSON ({error})") from error
    targets = [
        Target(item["name"][len(prefix) :], item["url"], item.get("nameWithOwner", f"{org}/{item['name']}"))
        for item in listed
        if item["name"].startswith(prefix) and len(item["name"]) > len(prefix)
    ]
    for target in targets:
        refuse_credentials(target.url)
    return sorted(targets, key=lambda t: t.github.casefold())


def _git(*args: str, cwd: Path | None = None, text: bool = True) -> subprocess.CompletedProcess:
    env = os.environ | {"GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never"}  # never wait for a password
    env |= {"GIT_LFS_SKIP_SMUDGE": "1"}  # never download what a learner's Git LFS pointers name
    return subprocess.run(
        [*_bounded("git"), *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=text,
        errors="replace" if text else None,  # a file name that is not UTF-8 in git's messages
        timeout=GIT_SECONDS,
    )


def _bounded(command: str) -> list[str]:
    """`command` run so that no file it writes may grow past GIT_FILE_BYTES: through the
    shell's `ulimit -f` (in 512-byte blocks) where there is a POSIX shell, as is."""
    if os.name != "posix":
        return [command]
    return ["/bin/sh", "-c", f'ulimit -f {GIT_FILE_BYTES // 512} && exec {command} "$@"', command]


def _first_error(done: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    first = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines[-1:]
    return (first[0] if first else f"git exited with status {done.returncode}")[:300]


def clone_or_update(target: Target, into: Path) -> Outcome:
    """Clone the repository into `into/<github>`, or bring an existing clone up to date."""
    outcome, folder = Outcome(target), into / target.github
    if not GITHUB_NAME.fullmatch(target.github):
        outcome.problem = "not a GitHub name (letters, digits, -, _ and . only): not collected"
        return outcome
    fresh = not (folder / ".git").exists()
    try:
        clone = [("clone", "--quiet", "--no-checkout", BLOBS, "--", target.url, str(folder))]
        for args in clone if fresh else _update(folder, target.url):
            done = _git(*args, cwd=folder if args[0] != "clone" else None)
            if done.returncode != 0:
                outcome.problem = _first_error(done)
                break
        else:
            outcome.not_taken = _take_linreg(folder)
    except subprocess.TimeoutExpired:
        outcome.problem = f"git took more than {GIT_SECONDS} s"
    except OSError as error:  # e.g. no folder can be made there
        outcome.problem = f"could not be collected: {error}"[:300]
    if outcome.problem:
        if fresh:  # the next run clones it afresh
            shutil.rmtree(folder, ignore_errors=True)
        return outcome
    outcome.done = "cloned" if fresh else "updated"
    outcome.stubs = holds_stubs(folder)
    outcome.absent = not outcome.not_taken and not (folder / LINREG).is_file()
    outcome.pushes = _store_pushes(target, folder)
    return outcome


def _update(folder: Path, url: str) -> list[tuple]:
    """The git commands that make an existing clone's branch its remote's default branch, as
    pushed (without checking anything out)."""
    branch = f"refs/heads/{_default_branch(folder)}"
    return [
        ("remote", "set-url", "origin", url),
        ("fetch", "--quiet", "--prune", "--force", "origin"),
        ("remote", "set-head", "origin", "--auto"),
        ("update-ref", branch, "refs/remotes/origin/HEAD"),
        ("symbolic-ref", "HEAD", branch),
    ]


def _take_linreg(folder: Path) -> str:
    """Write the branch's exercises/linreg.py into the clone's folder (nothing when the tree
    has no such regular file); why it was not, or ''."""
    exercises = folder / "exercises"
    if exercises.is_symlink() or exercises.is_file():  # left by a checkout of an older kata
        exercises.unlink()
    top = folder / "linreg.py"  # left by a checkout of an older kata: grading would fall back to it
    if top.is_symlink() or top.is_file():
        top.unlink()
    mine = exercises / "linreg.py"
    if mine.is_dir() and not mine.is_symlink():
        shutil.rmtree(mine)
    elif mine.is_symlink() or mine.exists():
        mine.unlink()
    blob, why = gradable_blob(folder, "HEAD", LINREG)
    if not blob:
        return f"{LINREG} {why}: not taken" if why else ""
    done = _git("cat-file", "blob", blob, cwd=folder, text=False)
    if done.returncode != 0:
        return f"{LINREG} could not be read from the clone"
    exercises.mkdir(exist_ok=True)
    mine.write_bytes(done.stdout)
    return ""


def _default_branch(folder: Path) -> str:
    """The clone's branch name for the remote's default branch (what `clone` checked out)."""
    done = _git("symbolic-ref", "HEAD", cwd=folder)  # the full name: a tag may share the short one
    branch = done.stdout.strip()
    return branch.removeprefix("refs/heads/") if branch.startswith("refs/heads/") else "main"


def stubs_text() -> str | None:
    """The stubs as handed out (exercises/linreg.py here, or generated from the reference)."""
    from kata import stubs

    if stubs.EXERCISE_FILE.is_file():
        return stubs.EXERCISE_FILE.read_text(encoding="utf-8")
    if stubs.SOLUTION_FILE.is_file():
        return stubs.generate(stubs.SOLUTION_FILE.read_text(encoding="utf-8"))
    return None


def _normal(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").strip().splitlines()]


def holds_stubs(folder: Path, expected: str | None = None) -> bool:
    """Whether the clone's exercises/linreg.py is still the stubs (line ends and trailing
    spaces aside)."""
    expected = expected if expected is not None else stubs_text()
    mine = folder / "exercises" / "linreg.py"
    try:
        if expected is None or mine.is_symlink() or mine.parent.is_symlink() or not mine.is_file():
            return False  # a link is never followed: it may point anywhere on this machine
        return _normal(mine.read_text(encoding="utf-8", errors="replace")) == _normal(expected)
    except OSError:  # e.g. a name too long for this system
        return False


def _store_pushes(target: Target, folder: Path) -> bool:
    """Store GitHub's record of the repository's pushes; without one, remove an older record."""
    found = pushes.fetch(target.repository) if target.repository else None
    if found is None:
        pushes.record_path(folder).unlink(missing_ok=True)
        return False
    pushes.store(folder, target.repository, found)
    return True


def collect_all(targets: list[Target], into: Path, jobs: int = 8, quiet: bool = False) -> list[Outcome]:
    """Clone or update every target, `jobs` at a time, with a progress bar on stderr."""
    import sys

    from tqdm import tqdm

    into.mkdir(parents=True, exist_ok=True)
    outcomes = []
    with (
        ThreadPoolExecutor(max_workers=jobs) as pool,
        tqdm(total=len(targets), desc="collecting", unit="repo", file=sys.stderr, disable=quiet) as bar,
    ):
        futures = [pool.submit(clone_or_update, target, into) for target in targets]
        for future in as_completed(futures):
            outcomes.append(future.result())
            bar.update()
    return sorted(outcomes, key=lambda o: o.target.github.casefold())


def report(outcomes: list[Outcome], unlisted: list[str], no_name: int, strangers: list[str]) -> list[str]:
    """What the instructor should know, a line each."""
    done = [o for o in outcomes if o.done]
    lines = [
        f"collected {len(done)} of {len(outcomes)} repositories "
        f"({sum(o.done == 'cloned' for o in done)} cloned, {sum(o.done == 'updated' for o in done)} updated)"
    ]
    lines += [
        f"could not reach {o.target.github}: {o.target.url}: {o.problem}" for o in outcomes if o.problem
    ]
    lines += [f"no repository listed for {name}" for name in unlisted]
    lines += [f"{no_name} roster student(s) have no github name"] if no_name else []
    lines += [f"still the untouched stubs: {o.target.github}" for o in done if o.stubs]
    lines += [f"not taken from {o.target.github}: {o.not_taken}" for o in done if o.not_taken]
    absent = [o.target.github for o in done if o.absent]
    lines += [f"no {LINREG} on its default branch (or no commit): {name}" for name in absent]
    lines += [f"not on the roster: {name}" for name in strangers]
    stored = sum(o.pushes for o in done)
    lines.append(
        f"push times from GitHub stored for {stored} of {len(done)} (in .kata-pushes/); "
        "the others will be graded by their commit dates"
        if stored < len(done)
        else f"push times from GitHub stored for all {stored} (in .kata-pushes/)"
    )
    return lines
