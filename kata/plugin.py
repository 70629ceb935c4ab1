"""The kata's pytest plugin: which linreg.py is under test, step markers, stub gating.

pytest                      checks exercises/linreg.py (your work)
pytest --impl solutions     checks the reference solution
pytest --impl PATH          checks a linreg.py anywhere (the file, or its folder)
pytest -m step2             checks one step

The learner's module is never imported here: the `linreg` fixture is a kata.learner.Learner,
a proxy to a confined worker process that runs it.
"""

import gc
import tempfile

import pytest
from hypothesis import Phase, settings

from kata import impl
from kata.learner import Learner, LearnerFailure
from kata.manifest import ROOT, STEPS, step_introducing
from kata.progress import CANNOT_IMPORT, NOT_WRITTEN, WAITING, Progress
from kata.safe_text import tolerant_output
from kata.workers import MachineBound, open_workers
from kata.zygote import HANDED, ZygoteWorkers, take_early

# Deterministic, deadline-free runs: the same checks give the same verdict every time. The
# learner's run draws 6 examples per check (the "many calls in a row" checks walk every
# corner of the contract in one call each, so that the first pytest stays quick).
settings.register_profile(
    "kata",
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=6,
    print_blob=False,
    report_multiple_bugs=False,
)
# Grading wants the verdict, not the smallest failing example: more examples, no shrinking.
settings.register_profile(
    "grading",
    parent=settings.get_profile("kata"),
    max_examples=25,
    phases=[p for p in Phase if p != Phase.shrink],
)
# More, random examples, for maintainers hunting for gaps: --hypothesis-profile explore
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile("kata")

MAINTAINER_DIRS = {"gallery", "selfcheck"}
CODE_DIRS = ("exercises", "solutions")
CODE_UNDER_TEST = pytest.StashKey["CodeUnderTest"]()


class CodeUnderTest:
    """The linreg.py of this run and the worker that runs it, started on first use."""

    def __init__(self, name: str):
        self.name, self.path, self.error = name, None, ""
        self.kinds = {}  # nodeid -> why a test failed before it ran (NOT_WRITTEN, WAITING, ...)
        self.retry_alone = set()  # nodeids of the tests that failed in a way the machine may cause
        self.workers = self._learner = None
        try:
            self.path = impl.resolve(name)
        except impl.ImplError as error:
            self.error = str(error)
        early = take_early()  # started by conftest.py, importing torch while pytest did
        self.own_workers = HANDED["workers"] is None  # kata watch keeps its own from run to run
        if self.path:
            self.workers = early or HANDED["workers"] or self._workers()
        elif early:
            early.close()

    @staticmethod
    def _workers():
        """How this run starts workers: through the zygote a parent handed down
        (kata.grading, kata.watching), else the way this system offers (kata.workers)."""
        output = tempfile.TemporaryFile() if HANDED["show_output"] else None  # noqa: SIM115 - closed with the run
        if HANDED["control"] is not None:
            return ZygoteWorkers(output, control=HANDED["control"])
        return open_workers(output)

    @property
    def learner(self) -> Learner:
        if self._learner is None:
            self._learner = Learner(self.path, self.workers)
        return self._learner

    @property
    def started(self) -> bool:
        return self._learner is not None

    def problem(self) -> str:
        """Why no check can run, or ''."""
        return self.error or self.learner.report.problem(self.path)

    def close(self) -> None:
        if self._learner:
            self._learner.close()
        if self.workers and self.own_workers:
            self.workers.close()


def pytest_ignore_collect(collection_path, config):
    """The kata's own checks (tests/gallery, tests/selfcheck) run only with --impl solutions;
    exercises/ and solutions/ are never collected (that would import a linreg.py here)."""
    if MAINTAINER_DIRS & set(collection_path.parts) and config.getoption("impl") != "solutions":
        return True
    if any(collection_path.is_relative_to(ROOT / name) for name in CODE_DIRS):
        return True
    return None


def _aim_at_the_kata(config) -> None:
    """Run the kata's tests whatever pytest was pointed at: started in exercises/ (or outside
    the kata), or given a linreg.py or its folder, it runs tests/ (on that linreg.py)."""
    here = config.invocation_params.dir
    given = [(here / a).resolve() for a in config.args if not a.startswith("-")]
    code = [p for p in given if p.exists() and any(p.is_relative_to(ROOT / n) for n in CODE_DIRS)]
    code += [p for p in given if p.name == "linreg.py" or (p / "linreg.py").is_file()]
    outside = [p for p in given if not p.is_relative_to(ROOT)]
    if code and config.getoption("impl") == "exercises":
        config.option.impl = str(code[0] if code[0].suffix == ".py" else code[0] / "linreg.py")
    if code or outside:
        config.args[:] = [str(ROOT / "tests")]


def _compact_output(config) -> bool:
    """A plain `pytest` gets the kata's short report; -v, -q, --tb or -r give pytest's own."""
    option = config.option
    if (option.verbose, option.tbstyle, option.reportchars) != (0, "auto", "fE"):
        return False
    option.verbose, option.tbstyle, option.reportchars = -1, "no", "N"
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    tolerant_output()  # a learner's prints or name in a console that cannot encode them
    gc.freeze()  # torch's and pytest's objects stay: the collector need not walk them again and again
    compact = _compact_output(config)
    _aim_at_the_kata(config)
    for step in STEPS:
        config.addinivalue_line("markers", f"{step.marker}: checks of step {step.number}, {step.title}")
    config.addinivalue_line("markers", "checks(function): the learner's function this test checks")
    config.addinivalue_line("markers", "needs(*functions): functions this test calls besides")
    code = CodeUnderTest(config.getoption("impl"))
    if code.error:
        code.close()
        raise pytest.UsageError(f"--impl: {code.error}")
    config.stash[CODE_UNDER_TEST] = code
    config.pluginmanager.register(Progress(code, compact), "kata-progress")


def pytest_unconfigure(config):
    code = config.stash.get(CODE_UNDER_TEST, None)
    if code:
        code.close()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Give every test that checks a function the marker of the step that introduces it."""
    items.sort(key=lambda item: "hidden" in item.path.parts)  # the learner's own checks first
    for item in items:
        checks = item.get_closest_marker("checks")
        if checks and not any(item.get_closest_marker(s.marker) for s in STEPS):
            item.add_marker(step_introducing(checks.args[0]).marker)


def _fail_before_running(code: CodeUnderTest, item, kind: str, message: str):
    code.kinds[item.nodeid] = kind
    pytest.fail(message, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """Report a test whose functions are still stubs in one line, before it runs; turn the
    learner's exceptions and endless loops into one-paragraph failures."""
    code = pyfuncitem.config.stash[CODE_UNDER_TEST]
    try:
        if "linreg" in pyfuncitem.fixturenames:
            _fail_early(code, pyfuncitem)
        return (yield)
    except MachineBound as error:
        if error.machine:  # kata grade may grade it again, alone
            code.retry_alone.add(pyfuncitem.nodeid)
        pytest.fail(str(error), pytrace=False)
    except LearnerFailure as error:
        pytest.fail(str(error), pytrace=False)


def _fail_early(code: CodeUnderTest, pyfuncitem) -> None:
    """Fail a test before it runs when the code cannot be imported, or the functions it checks
    or needs are still stubs."""
    problem = code.problem()
    if problem:
        if code.learner.report.timed_out and code.learner.report.starved:
            code.retry_alone.add(pyfuncitem.nodeid)
        _fail_before_running(code, pyfuncitem, CANNOT_IMPORT, problem)
    unwritten = code.learner.report.unwritten
    checks = pyfuncitem.get_closest_marker("checks")
    checked = checks.args[0] if checks else None
    if checked in unwritten:
        _fail_before_running(code, pyfuncitem, NOT_WRITTEN, f"{checked} is not written yet")
    needs = pyfuncitem.get_closest_marker("needs")
    waiting = [f for f in (needs.args if needs else ()) if f in unwritten]
    if waiting:
        _fail_before_running(code, pyfuncitem, WAITING, f"waiting for {', '.join(waiting)} (not written yet)")


@pytest.fixture(scope="session")
def linreg(pytestconfig) -> Learner:
    """The learner's linreg.py under test, reached through its worker."""
    return pytestconfig.stash[CODE_UNDER_TEST].learner
