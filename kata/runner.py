"""Running the kata's tests on one linreg.py from Python, with results as records.

Used by `python -m kata progress|hint` and, in a forked child per submission, by
`python -m kata grade`.
"""

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from kata import tamper
from kata.manifest import ROOT

# conftest.py keeps what it knows of the code under test here: path, module, error,
# unwritten functions, and the snapshot taken just before the submission was imported.
IMPL_STATE = pytest.StashKey[dict]()


class RecordStream:
    """A pytest plugin: writes each test's record as a JSON line to a file descriptor, and
    fails every test reported after it finds that the submission replaced part of torch,
    pytest or the kata (everything is looked at after the import and at the end, the most
    used modules after every test)."""

    def __init__(self, fd: int | None = None):
        self.fd = fd
        self.records = []
        self.tampered = []

    def pytest_configure(self, config):
        self.config = config

    def _send(self, item: dict):
        if self.fd is not None:
            os.write(self.fd, (json.dumps(item) + "\n").encode())

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        progress = self.config.pluginmanager.get_plugin("kata-progress")
        items = progress.items if progress else {}
        self._send(
            {
                "collected": [
                    {"name": name, "step": step, "function": function}
                    for name, (step, function) in items.items()
                ]
            }
        )

    def _check_tampering(self, full: bool) -> list[str]:
        """What the submission replaced so far: all watched modules, or only the hot ones."""
        before = self.config.stash.get(IMPL_STATE, {}).get("snapshot")
        if before and not self.tampered:
            now = tamper.snapshot(hot_only=not full)
            self.tampered = tamper.changes(tamper.restrict(before, now) if not full else before, now)
        return self.tampered

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report):
        progress = self.config.pluginmanager.get_plugin("kata-progress")
        if progress is None:
            return
        for record in progress.records[len(self.records) :]:
            if self._check_tampering(full=not self.records):  # everything once, after the import
                record = record | {"status": "failed", "message": tamper.describe(self.tampered)}
            self.records.append(record)
            self._send(record)

    def pytest_sessionfinish(self, session):
        """A last look at everything: a replacement found only now voids every step."""
        if self._check_tampering(full=True):
            self._send({"tampered": self.tampered})


def pytest_args(impl, root: Path = ROOT, extra=()) -> list[str]:
    """The arguments of a quiet pytest run of the kata's tests in `root` on `impl`."""
    maintainers_only = [f"--ignore={root / 'tests' / name}" for name in ("gallery", "selfcheck")]
    return [
        *maintainers_only,
        str(root / "tests"),
        f"--rootdir={root}",
        "-c",
        str(root / "pyproject.toml"),
        "-p",
        "no:cacheprovider",
        "-q",
        "--tb=no",
        f"--impl={impl}",
        *extra,
    ]


def run_tests(impl, root: Path = ROOT, extra=(), fd: int | None = None) -> list[dict]:
    """Run the tests on `impl` in this process, quietly; return the per-test records."""
    stream = RecordStream(fd)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(pytest_args(impl, root, extra), plugins=[stream])
    return stream.records
