"""Per-test records of a kata run, and the summary printed at its end.

The `Progress` plugin is registered by conftest.py. It records, for every test, the step
and function it checks and what happened; the summary and `python -m kata grade` read
those records.
"""

from kata.manifest import STEPS

DONE, FAILING, WAITING, NOT_RUN = "done", "failing", "waiting", "not run"


def short_message(report) -> str:
    """The first line of what a failure said, without pytest's prefixes."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = (crash.message if crash else str(report.longrepr)).strip()
    first = text.splitlines()[0] if text else "failed"
    return first.removeprefix("Failed: ").removeprefix("AssertionError: ")


def step_status(records: list[dict]) -> str:
    """done, failing, waiting (for an unwritten function) or not run, from a step's records."""
    failed = [r for r in records if r["status"] == "failed"]
    if failed:
        return WAITING if failed[0]["message"].startswith("waiting for") else FAILING
    return DONE if any(r["status"] == "passed" for r in records) else NOT_RUN


class Progress:
    """A pytest plugin: one record per test, and the end-of-run summary."""

    def __init__(self, impl_path):
        self.impl_path = impl_path
        self.items = {}  # nodeid -> (step number, checked function or None)
        self.records = []  # {"name", "step", "function", "status", "message"}

    def pytest_collection_finish(self, session):
        for item in session.items:
            step = next((s.number for s in STEPS if item.get_closest_marker(s.marker)), None)
            checks = item.get_closest_marker("checks")
            self.items[item.nodeid] = (step, checks.args[0] if checks else None)

    def pytest_runtest_logreport(self, report):
        if report.nodeid not in self.items or not (report.failed or report.when == "call"):
            return
        step, function = self.items[report.nodeid]
        message = short_message(report) if report.failed else ""
        self.records.append(
            {
                "name": report.nodeid,
                "step": step,
                "function": function,
                "status": report.outcome,
                "message": message,
            }
        )

    def by_step(self, number: int) -> list[dict]:
        return [r for r in self.records if r["step"] == number]

    def pytest_terminal_summary(self, terminalreporter):
        write = terminalreporter.write_line
        write("")
        write(f"linreg kata: {self.impl_path}")
        for s in STEPS:
            records = self.by_step(s.number)
            status = step_status(records)
            failed = [r for r in records if r["status"] == "failed"]
            detail = ""
            if status == FAILING:
                detail = f": {failed[0]['function'] or 'fit'}: {failed[0]['message']}"
            elif status == WAITING:
                detail = f": {failed[0]['message']}"
            write(f"  step {s.number} {s.title:<26} {status}{detail}"[:110])
        self._write_next(write)

    def _write_next(self, write):
        for s in STEPS:
            failed = [r for r in self.by_step(s.number) if r["status"] == "failed"]
            if not failed:
                continue
            first = failed[0]
            if first["message"].endswith("not written yet"):
                write(f"Next: write `{first['function']}` in exercises/linreg.py (step {s.number}).")
            elif first["function"]:
                write(f"Next: fix `{first['function']}`: {first['name'].split('::')[-1]} fails.")
            else:
                write(f"Next: step {s.number}'s fit: {first['message']}")
            write(f"Hint: {s.hint}")
            return
        if all(step_status(self.by_step(s.number)) == DONE for s in STEPS):
            write("All steps done. Well done!")
