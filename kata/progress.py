"""Per-test records of a kata run, and the summary printed at its end.

The `Progress` plugin is registered by conftest.py. It records, for every test, the step
and function it checks and what happened; the summary, `python -m kata progress` and
`python -m kata grade` read those records.
"""

import hashlib
import json
import textwrap
from pathlib import Path

from kata.manifest import LIMITS, STEPS

DONE, FAILING, WAITING, TO_WRITE, NOT_RUN = "done", "failing", "waiting", "to write", "not run"
# Why a check failed before it ran, as the plugin records it (the "kind" of a record).
NOT_WRITTEN, CANNOT_IMPORT, FAILED = "not written", "cannot import", "failed"


def short_message(report) -> str:
    """What a failure said (the check's own message, at most 4 lines), without prefixes and
    without the notes of pytest and hypothesis that follow it (-v shows those in full)."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = (crash.message if crash else str(report.longrepr)).strip() or "failed"
    lines = []
    for line in text.splitlines()[:4]:
        if lines and not line.startswith("  "):  # the notes start unindented
            break
        lines.append(line)
    text = "\n".join(lines)
    for prefix in ("Failed: ", "AssertionError: "):
        text = text.removeprefix(prefix)
    return text


def step_status(records: list[dict]) -> str:
    """The status of a step, from its tests' records."""
    failed = [r for r in records if r["status"] == "failed"]
    if failed:
        return {NOT_WRITTEN: TO_WRITE, WAITING: WAITING, CANNOT_IMPORT: CANNOT_IMPORT}.get(
            failed[0]["kind"], FAILING
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
    if status == CANNOT_IMPORT:
        detail = "cannot import your linreg.py"
    elif status == TO_WRITE:
        names = sorted(
            {r["function"] for r in failed if r["kind"] == NOT_WRITTEN},
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
    mark = {DONE: "[x]", NOT_RUN: "[ ]"}.get(status, "[!]" if status in (FAILING, CANNOT_IMPORT) else "[ ]")
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
        if first["kind"] == CANNOT_IMPORT:
            lines.append("Next: make your linreg.py import again.")
            lines += ["  " + line for line in first["message"].splitlines()]
            return lines + [f"Hint: fix the line shown; `python {impl_path}` shows Python's own traceback."]
        if first["kind"] == NOT_WRITTEN:
            lines.append(f"Next: write `{first['function']}` in exercises/linreg.py (step {s.number}).")
        else:
            lines.append(f"Next: {first['name']}")
            if detail:
                for paragraph in first["message"].splitlines():
                    lines += textwrap.wrap(
                        paragraph, 100, initial_indent="  ", subsequent_indent="    ", max_lines=8
                    )
        hint = f"Hint (step {s.number}): " + s.hint.replace("\n", " ")
        return lines + textwrap.wrap(hint, 100, subsequent_indent="  ")
    if not pending_steps(records):
        lines.append(f"All {len(STEPS)} steps are done. Well done!")
    return lines


def time_warning(code) -> list[str]:
    """Lines warning that grading would run out of its time for this code (half of the limit
    already warns: the machine that grades may be slower, or busier)."""
    if not code.started:
        return []
    estimate, limit = code.learner.graded_seconds(), LIMITS.seconds_per_submission
    if estimate <= limit / 2:
        return []
    return textwrap.wrap(
        f"Warning: graded, the checks of your code would take about {estimate:.0f} s, and a submission "
        f"may take at most {limit:.0f} s in all (kata/steps.toml); past that, the checks not done yet earn "
        "nothing. Make your functions faster, or give your fits fewer iterations.",
        100,
    )


LAST_RUN_KEY = "kata/last-run"


def fingerprint(path) -> dict:
    """What identifies a linreg.py's content: its path and a hash of its bytes."""
    path = Path(path).resolve()
    return {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def save_last_run(path, records: list[dict], cache_dir: Path) -> None:
    """Keep a whole run's records where pytest's cache (config.cache) keeps LAST_RUN_KEY."""
    target = cache_dir / "v" / LAST_RUN_KEY
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"source": fingerprint(path), "records": records}))
    except OSError:
        pass  # a read-only checkout: the next hint runs the checks again


def last_run_records(path, cache_dir: Path) -> list[dict] | None:
    """The records of the last whole `pytest` run, if it checked this very content of `path`."""
    try:
        saved = json.loads((cache_dir / "v" / LAST_RUN_KEY).read_text())
        return saved["records"] if saved["source"] == fingerprint(path) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


class Progress:
    """A pytest plugin: one record per test, and the end-of-run summary."""

    def __init__(self, code, compact: bool = False):
        self.code = code  # kata.plugin.CodeUnderTest: its path, and why checks failed before running
        self.compact = compact
        self.items = {}  # nodeid -> (step number, checked function or None)
        self.records = []  # {"name", "step", "function", "status", "kind", "message", "retry_alone"}

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
                "kind": self.code.kinds.get(report.nodeid, FAILED) if report.failed else report.outcome,
                "message": message,
                "retry_alone": report.nodeid in self.code.retry_alone,
            }
        )

    def pytest_sessionfinish(self, session):
        """Keep a whole run's records in pytest's cache, for `kata hint` and `kata progress`."""
        config = session.config
        here = config.invocation_params.dir
        ran = sorted((here / a).resolve() for a in config.args)
        every = sorted((config.rootpath / t).resolve() for t in config.getini("testpaths"))
        whole = not (config.option.markexpr or config.option.keyword) and ran == every
        if whole and self.code.path and self.records and getattr(config, "cache", None) is not None:
            config.cache.set(LAST_RUN_KEY, {"source": fingerprint(self.code.path), "records": self.records})

    def pytest_terminal_summary(self, terminalreporter):
        if any(r["step"] for r in self.records):
            for line in summary_lines(self.records, self.code.path or self.code.name, detail=self.compact):
                terminalreporter.write_line(line)
            for line in time_warning(self.code):
                terminalreporter.write_line(line)
        if self.compact:  # the kata's own checks (tests/gallery, tests/selfcheck) have no step
            for line in own_checks_failed(self.records):
                terminalreporter.write_line(line)


def own_checks_failed(records: list[dict]) -> list[str]:
    """The failed checks that belong to no step (the maintainers' own), a line each: the short
    report names no test, so a red CI would not say which one."""
    failed = [r for r in records if r["step"] is None and r["status"] == "failed"]
    lines = [f"The kata's own checks that failed ({len(failed)}; `pytest -rf` shows them in full):"]
    for record in failed:
        said = [line[:200] for line in record["message"].splitlines()] or [""]
        lines += [f"  {record['name']}: {said[0]}", *(f"    {line}" for line in said[1:])]
    return lines if failed else []
