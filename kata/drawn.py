"""Grading meets every submission with the same examples, drawn once.

The grading profile is derandomized: hypothesis draws a property check's examples from a
seed that the check fixes, and from nothing a submission does while its examples pass. So
every submission of a class met the same examples anyway, and drawing them again for each
one was a third of its checking process's time. Here they are drawn once, before the first
submission, and replayed:

    examples = draw_examples(extra)          # before any submission: no worker, no learner code
    run_tests(path, extra, plugins=[Replay(examples)])   # for each submission

`draw_examples` collects the checks (the test modules stay imported, so each submission's
run does not import them again) and runs each property check once with a body that only
keeps what hypothesis gives it. `Replay` then runs the check's own body on each kept example
in turn, in the order drawn, and stops at the first that fails: what hypothesis does without
its shrink phase (the grading profile has none). Each submission gets fresh copies, so what
one submission's checks do to an example never reaches the next.
"""

import contextlib
import copy
import functools
import io

import pytest

from kata.manifest import ROOT
from kata.runner import pytest_args
from kata.zygote import HANDED


def draw_examples(extra=(), root=ROOT) -> dict[str, list[dict]]:
    """nodeid -> the examples (keyword arguments) hypothesis draws for each property check
    of `root`/tests with the settings `extra` chooses (`--hypothesis-profile grading`)."""
    keeper = KeepExamples()
    with _no_workers(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        ended = pytest.main([*pytest_args("exercises", root, extra), "--collect-only"], plugins=[keeper])
    if ended == pytest.ExitCode.INTERRUPTED:  # Ctrl-C, which pytest caught: it stops the grading too
        raise KeyboardInterrupt
    return keeper.examples


@contextlib.contextmanager
def _no_workers():
    """No worker starts while the checks are only collected (kata.plugin starts one per run)."""
    before = HANDED["workers"]
    HANDED["workers"] = _NoWorkers()
    try:
        yield
    finally:
        HANDED["workers"] = before


class _NoWorkers:
    """Stands in for the workers of a run that calls no learner function."""


class KeepExamples:
    """A pytest plugin: once the checks are collected, draws each property check's examples."""

    def __init__(self):
        self.examples = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        for item in session.items:
            wrapped = getattr(item, "obj", None)
            if hasattr(wrapped, "hypothesis"):
                with contextlib.suppress(Exception):  # not kept: the check runs as hypothesis runs it
                    self.examples[item.nodeid] = _drawn(wrapped, _fixed_arguments(item))


def _fixed_arguments(item) -> dict:
    """The arguments a check takes besides hypothesis's: its fixtures (None: they are not
    used while drawing) and its parameters."""
    arguments = dict.fromkeys(item._fixtureinfo.argnames)
    arguments.update(getattr(getattr(item, "callspec", None), "params", {}))
    return arguments


def _drawn(wrapped, fixed: dict) -> list[dict]:
    """The examples hypothesis gives the check `wrapped`, in order. The keeping body wraps the
    check's own (functools.wraps), so hypothesis derives the same seed from it."""
    body, kept = wrapped.hypothesis.inner_test, []

    @functools.wraps(body)
    def keep(*args, **kwargs):
        kept.append({name: value for name, value in kwargs.items() if name not in fixed})

    wrapped.hypothesis.inner_test = keep
    try:
        wrapped(**fixed)
    finally:
        wrapped.hypothesis.inner_test = body
    return kept


class Replay:
    """A pytest plugin: each property check with kept examples runs its own body on them."""

    def __init__(self, examples: dict[str, list[dict]]):
        self.examples = examples

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        kept = self.examples.get(pyfuncitem.nodeid)
        if kept is None:
            return None
        body = pyfuncitem.obj.hypothesis.inner_test
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        for example in kept:
            body(**arguments, **copy.deepcopy(example))
        return True
