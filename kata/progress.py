"""Per-test records of a kata run, and the summary printed at its end.

The `Progress` plugin is registered by conftest.py. It records, for every test, the step
and function it checks and what happened; the summary, `python -m kata progress` and
`python -m kata grade` read those records.
"""

import textwrap

from kata.manifest import STEPS

DONE, FAILING, WAITING, TO_WRITE, NOT_RUN = "done", "failing", "waiting", "to write", "not run"
NOT_WRITTEN = "is not written yet"


def short_message(report) -> str:
    """The first line of what a failure said (the check's own message), without prefixes.

    Later lines are pytest's and hypothesis's own notes, which -v shows in full.
    """
    crash = getattr(report.longrepr, "reprcrash", None)
    text = (crash.message if crash else str(report.longrepr)).strip() or "failed"
    text = text.splitlines()[0]
    for prefix in ("Failed: ", "AssertionError: "):
        text = text.removeprefix(prefix)
    return text


def step_status(records: list[dict]) -> str:
    """The status of a step, from its tests' records."""
    failed = [r for r in records if r["status"] == "failed"]
    if failed:
        first = failed[0]["message"]
        return (
            TO_WRITE if first.endswith(NOT_WRITTEN) else WAITING if first.startswith("waiting") else FAILING
        )
    return DONE if any(r["status"] == "passed" for r in records) else NOT_RUN


def records_by_step(records: list[dict]) -> dict[int, list[dict]]:
    """Step number -> the records of that step's checks."""
    return {s.number: [r for r in records if r["step"] == s.number] for s in STEPS}


def pending_steps(records: list[dict]) -> list:
    """The steps, in order, that are not done yet."""
    by_step = records_by_step(records)
    return [s for s in STEPS if step_status(by_step[s.number]) != DONE]


def _step_line(step, records: list[dict]) -> str:
    status = step_status(records)
    failed = [r for r in records if r["status"] == "failed"]
    if status == TO_WRITE:
        names = sorted(
            {r["function"] for r in failed if r["message"].endswith(NOT_WRITTEN)},
            key=lambda f: step.functions.index(f) if f in step.functions else 99,
        )
        detail = f"write {', '.join(names)}"
    elif status == WAITING:
        detail = failed[0]["message"]
    elif status == FAILING:
        test = failed[0]["name"].split("::")[-1]
        detail = f"{failed[0]['function'] or 'the fit'}: {test}"
    else:
        detail = status
    mark = {DONE: "[x]", NOT_RUN: "[ ]"}.get(status, "[!]" if status == FAILING else "[ ]")
    return f"  {mark} step {step.number}  {step.title:<26} {detail}"


def summary_lines(records: list[dict], impl_path, detail: bool = True) -> list[str]:
    """Where the learner stands: a line per step, then the next thing to do with its hint.

    With `detail`, also the whole message of the first failure.
    """
    lines = ["", f"linreg kata: {impl_path}"]
    by_step = records_by_step(records)
    lines += [_step_line(s, by_step[s.number]) for s in STEPS]
    for s in STEPS:
        failed = [r for r in by_step[s.number] if r["status"] == "failed"]
        if not failed:
            continue
        first = failed[0]
        if first["message"].endswith(NOT_WRITTEN):
            lines.append(f"Next: write `{first['function']}` in exercises/linreg.py (step {s.number}).")
        else:
            lines.append(f"Next: {first['name']}")
            if detail:
                lines += textwrap.wrap(
                    first["message"], 100, initial_indent="  ", subsequent_indent="  ", max_lines=8
                )
        hint = f"Hint (step {s.number}): " + s.hint.replace("\n", " ")
        return lines + textwrap.wrap(hint, 100, subsequent_indent="  ")
    if not pending_steps(records):
        lines.append("All four steps are done. Well done!")
    return lines


class Progress:
    """A pytest plugin: one record per test, and the end-of-run summary."""

    def __init__(self, impl_path, compact: bool = False):
        self.impl_path = impl_path
        self.compact = compact
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

    def pytest_terminal_summary(self, terminalreporter):
        if any(r["step"] for r in self.records):
            for line in summary_lines(self.records, self.impl_path, detail=self.compact):
                terminalreporter.write_line(line)
