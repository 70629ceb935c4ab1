"""Finding the code under test: the learner's `linreg.py` (never imported here)."""

from pathlib import Path

from kata.manifest import ROOT

NAMED_IMPLS = {
    "exercises": ROOT / "exercises" / "linreg.py",
    "solutions": ROOT / "solutions" / "linreg.py",
}


class ImplError(RuntimeError):
    """The code under test cannot be found."""


def resolve(impl: str | Path) -> Path:
    """`exercises`, `solutions`, a linreg.py file, a folder holding one, or a learner's
    repository (with exercises/linreg.py) -> the file."""
    path = NAMED_IMPLS.get(str(impl), Path(impl))
    # A learner's repository first: a stray linreg.py at its top is not the one they worked on.
    for candidate in (path, path / "exercises" / "linreg.py", path / "linreg.py"):
        try:
            found = candidate.is_file()
        except OSError as error:  # e.g. a link whose target is too long for this system
            raise ImplError(f"{candidate} cannot be read ({error.strerror})") from None
        if found:
            if any(part.is_symlink() for part in (candidate, candidate.parent)):
                raise ImplError(f"{candidate} is a symbolic link: give the file itself")
            return candidate.resolve()
    raise ImplError(
        f"no linreg.py at {path}: give a linreg.py, a folder holding one, or a learner's "
        "repository (with exercises/linreg.py); `exercises` and `solutions` name the kata's own."
    )
