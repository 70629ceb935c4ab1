"""pytest setup for the kata: which linreg.py is under test, step markers, stub gating.

pytest                      checks exercises/linreg.py (your work)
pytest --impl solutions     checks the reference solution
pytest --impl PATH          checks a linreg.py anywhere (the file, or its folder)
pytest -m step2             checks one step
"""

import pytest
from hypothesis import Phase, settings

from kata import impl, tamper
from kata.guard import NotReturning
from kata.manifest import STEPS, step_introducing
from kata.progress import Progress
from kata.runner import IMPL_STATE

# Deterministic, deadline-free runs: the same checks give the same verdict every time.
settings.register_profile(
    "kata",
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=40,
    print_blob=False,
    report_multiple_bugs=False,
)
# Grading wants the verdict, not the smallest failing example: no shrinking.
settings.register_profile(
    "grading", parent=settings.get_profile("kata"), phases=[p for p in Phase if p != Phase.shrink]
)
# More, random examples, for maintainers hunting for gaps: --hypothesis-profile explore
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile("kata")

MAINTAINER_DIRS = {"gallery", "selfcheck"}


def pytest_addoption(parser):
    parser.addoption(
        "--impl",
        default="exercises",
        help="code under test: exercises (default), solutions, or a path to a linreg.py",
    )


def pytest_ignore_collect(collection_path, config):
    """The kata's own checks (tests/gallery, tests/selfcheck) run only with --impl solutions."""
    if MAINTAINER_DIRS & set(collection_path.parts) and config.getoption("impl") != "solutions":
        return True
    return None


def _compact_output(config) -> bool:
    """A plain `pytest` gets the kata's short report; -v, -q, --tb or -r give pytest's own."""
    option = config.option
    if (option.verbose, option.tbstyle, option.reportchars) != (0, "auto", "fE"):
        return False
    option.verbose, option.tbstyle, option.reportchars = -1, "no", "N"
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    compact = _compact_output(config)
    for step in STEPS:
        config.addinivalue_line("markers", f"{step.marker}: checks of step {step.number}, {step.title}")
    config.addinivalue_line("markers", "checks(function): the learner's function this test checks")
    config.addinivalue_line("markers", "needs(*functions): functions this test calls besides")
    config.stash[IMPL_STATE] = _load_impl(config.getoption("impl"))
    config.pluginmanager.register(Progress(config.stash[IMPL_STATE]["path"], compact), "kata-progress")


def _load_impl(name):
    """{"path", "module", "error", "unwritten", "snapshot"} for the code under test."""
    # The snapshot lets the grader tell whether the import changed torch or pytest.
    state = {"path": name, "module": None, "error": None, "unwritten": set(), "snapshot": tamper.snapshot()}
    try:
        path = impl.resolve(name)
        module = impl.load(path)
    except impl.ImplError as error:
        state["error"] = str(error)
    else:
        state.update(path=path, module=module, unwritten=impl.unwritten(module))
    return state


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Give every test that checks a function the marker of the step that introduces it."""
    items.sort(key=lambda item: "hidden" in item.path.parts)  # the learner's own checks first
    for item in items:
        checks = item.get_closest_marker("checks")
        if checks and not any(item.get_closest_marker(s.marker) for s in STEPS):
            item.add_marker(step_introducing(checks.args[0]).marker)


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """Report a test whose functions are still stubs in one line, before it runs."""
    state = pyfuncitem.config.stash[IMPL_STATE]
    if state["error"]:
        pytest.fail(state["error"], pytrace=False)
    checks = pyfuncitem.get_closest_marker("checks")
    checked = checks.args[0] if checks else None
    if checked in state["unwritten"]:
        pytest.fail(f"{checked} is not written yet", pytrace=False)
    needs = pyfuncitem.get_closest_marker("needs")
    waiting = [f for f in (needs.args if needs else ()) if f in state["unwritten"]]
    if waiting:
        pytest.fail(f"waiting for {', '.join(waiting)} (not written yet)", pytrace=False)
    try:
        return (yield)
    except NotReturning as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def linreg(pytestconfig):
    """The learner's linreg module under test."""
    return pytestconfig.stash[IMPL_STATE]["module"]
