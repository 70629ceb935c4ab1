"""Committed files that are generated: written by a `python -m kata` command, checked by it
with `--check` (CI fails when one differs from what the manifest gives)."""

import os
from pathlib import Path

from kata.manifest import ROOT


def drift(files: dict[Path, str]) -> str:
    """The generated files that are missing or differ, one per line ("" when all match)."""
    return "\n".join(
        str(path.relative_to(ROOT))
        for path, text in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    )


def write(files: dict[Path, str], executable: tuple[Path, ...] = ()) -> None:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if path in executable:
            os.chmod(path, 0o755)
