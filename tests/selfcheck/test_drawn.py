"""kata/drawn.py: `kata grade` draws each property check's examples once and replays them."""

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kata.drawn import Replay, _drawn
from kata.manifest import ROOT

# Run in a fresh interpreter, as a grading process draws them: there the checks' modules are
# imported under the grading profile (here they were imported under the learner's).
DRAW = """
import functools, json, torch
from kata.drawn import draw_examples
from kata.zygote import HANDED

grading = ["--hypothesis-profile", "grading"]
examples = draw_examples(grading)
from tests.test_1_values import test_mse_values

seen, body = [], test_mse_values.hypothesis.inner_test

@functools.wraps(body)
def watch(linreg, pair):
    seen.append(pair)

test_mse_values.hypothesis.inner_test = watch
test_mse_values(linreg=None)
kept = [e["pair"] for e in examples["tests/test_1_values.py::test_mse_values"]]
again = [e["pair"] for e in draw_examples(grading)["tests/test_1_values.py::test_mse_values"]]
same = lambda xs, ys: len(xs) == len(ys) and all(
    torch.equal(a, c) and torch.equal(b, d) for (a, b), (c, d) in zip(xs, ys))
print(json.dumps({
    "counts": {name: len(drawn) for name, drawn in examples.items()},
    "workers_left": HANDED["workers"] is not None,
    "as_hypothesis_gives_them": same(seen, kept),
    "drawn_again_the_same": same(again, kept),
}))
"""


@pytest.fixture(scope="module")
def drawn():
    done = subprocess.run(
        [sys.executable, "-c", DRAW], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"drawing the examples failed:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_property_check_has_the_grading_profiles_examples(drawn):
    counts = drawn["counts"]
    assert len(counts) == 10, f"expected the 10 property checks of tests/, drew for {sorted(counts)}"
    assert set(counts.values()) == {25}, f"the grading profile draws 25 examples a check: {counts}"
    assert not drawn["workers_left"], "drawing the examples left a stand-in for the workers behind"


def test_the_examples_are_the_ones_hypothesis_gives_the_check_itself(drawn):
    assert drawn["as_hypothesis_gives_them"], "the kept examples differ from those hypothesis gives the check"
    assert drawn["drawn_again_the_same"], "drawn twice, the examples differ"


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=3))
def _property(linreg, values):
    """A stand-in check: fails on an example holding 7, and changes its example in place."""
    linreg.append(list(values))
    values.append(-1)
    assert 7 not in values[:-1], f"7 in {values}"


def test_replay_stops_at_the_first_failing_example_and_keeps_the_examples_as_drawn():
    kept = _drawn(_property, {"linreg": None})
    first_failing = next(i for i, e in enumerate(kept) if 7 in e["values"])
    calls = []
    item = type("Item", (), {})()
    item.nodeid, item.obj, item.funcargs = "stand-in", _property, {"linreg": calls}
    item._fixtureinfo = type("Info", (), {"argnames": ("linreg",)})()
    with pytest.raises(AssertionError, match="7 in"):
        Replay({"stand-in": kept}).pytest_pyfunc_call(item)
    replayed = [e["values"] for e in kept[: first_failing + 1]]
    assert calls == replayed, "replay did not stop at the first failure"
    assert all(-1 not in e["values"] for e in kept), "a replayed body changed the kept examples"
    assert Replay({}).pytest_pyfunc_call(item) is None, "a check without kept examples must run as usual"
