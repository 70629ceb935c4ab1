"""Running the kata's checks on one linreg.py from Python, with results as records.

Used by `python -m kata progress|hint`, and by `python -m kata grade` in a checking
process per submission. Only checking code runs here: the learner's module runs in its
worker (kata.learner), so the records written here are the grader's own.
"""

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from kata.manifest import ROOT


class RecordStream:
    """A pytest plugin: writes the collected checks, then each check's record, as JSON lines."""

    def __init__(self, fd: int | None = None):
        self.fd = fd
        self.records = []

    def pytest_configure(self, config):
        self.config = config

    def _send(self, item: dict):
        if self.fd is not None:
            data = (json.dumps(item) + "\n").encode()
            while data:
                data = data[os.write(self.fd, data) :]

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        progress = self.config.pluginmanager.get_plugin("kata-progress")
        items = progress.items if progress else {}
        collected = [
            {"name": name, "step": step, "function": function} for name, (step, function) in items.items()
        ]
        self._send({"collected": collected})

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session):
        """How the submission's worker was confined (kata.worker.confine), as it reported."""
        from kata.plugin import CODE_UNDER_TEST

        code = self.config.stash.get(CODE_UNDER_TEST, None)
        if code is not None and code.started:
            self._send({"confinement": code.learner.report.confinement})

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report):
        progress = self.config.pluginmanager.get_plugin("kata-progress")
        if progress is None:
            return
        for record in progress.records[len(self.records) :]:
            self.records.append(record)
            self._send({"record": record})


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


def run_tests(impl, root: Path = ROOT, extra=(), fd: int | None = None, plugins=()) -> list[dict]:
    """Run the checks on `impl` in this process, quietly, with `plugins` besides the record
    stream; return the per-check records."""
    stream = RecordStream(fd)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(pytest_args(impl, root, extra), plugins=[stream, *plugins])
    return stream.records
