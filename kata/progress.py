"""The progress summary printed at the end of every pytest run of the kata."""

from dataclasses import dataclass, field

from kata.manifest import STEPS


@dataclass
class StepResult:
    passed: int = 0
    failures: list = field(default_factory=list)  # (test name, function or None, message)

    def status(self) -> str:
        if self.failures:
            first = self.failures[0][2]
            return "waiting" if first.startswith("waiting for") else "failing"
        return "done" if self.passed else "not run"


def _short_message(report) -> str:
    """The first line of what the failure said, without pytest's `E` prefixes."""
    text = getattr(report.longrepr, "reprcrash", None)
    text = text.message if text else str(report.longrepr)
    first = text.strip().splitlines()[0] if text.strip() else "failed"
    return first.removeprefix("Failed: ").removeprefix("AssertionError: ")


class Progress:
    """A pytest plugin: collects results per step and prints where the learner stands."""

    def __init__(self, config, state):
        self.state = state
        self.items = {}  # nodeid -> (step number, checked function or None, test name)
        self.results = {s.number: StepResult() for s in STEPS}

    def pytest_collection_finish(self, session):
        for item in session.items:
            step = next((s.number for s in STEPS if item.get_closest_marker(s.marker)), None)
            checks = item.get_closest_marker("checks")
            self.items[item.nodeid] = (step, checks.args[0] if checks else None, item.name)

    def pytest_runtest_logreport(self, report):
        step, function, name = self.items.get(report.nodeid, (None, None, None))
        if step is None:
            return
        if report.failed:
            self.results[step].failures.append((name, function, _short_message(report)))
        elif report.passed and report.when == "call":
            self.results[step].passed += 1

    def pytest_terminal_summary(self, terminalreporter):
        write = terminalreporter.write_line
        write("")
        write(f"linreg kata: {self.state['path']}")
        for s in STEPS:
            result = self.results[s.number]
            status = result.status()
            detail = ""
            if result.failures:
                name, function, message = result.failures[0]
                detail = f": {function or 'fit'}: {message}" if status == "failing" else f": {message}"
            write(f"  step {s.number} {s.title:<26} {status}{detail}"[:110])
        self._write_next(write)

    def _write_next(self, write):
        for s in STEPS:
            result = self.results[s.number]
            if not result.failures:
                continue
            name, function, message = result.failures[0]
            if message.endswith("not written yet"):
                write(f"Next: write `{function}` in exercises/linreg.py (step {s.number}).")
            elif function:
                write(f"Next: fix `{function}`: {name} fails.")
            else:
                write(f"Next: step {s.number}'s fit: {message}")
            write(f"Hint: {s.hint}")
            return
        if all(self.results[s.number].status() == "done" for s in STEPS):
            write("All steps done. Well done!")
