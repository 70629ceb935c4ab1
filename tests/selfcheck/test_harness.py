"""The pieces under the kata: data loading, stub generation, the worker and its sandbox."""

import pstats

import pytest
import torch

from kata import data, stubs
from kata.learner import NotReturning, open_learner
from kata.manifest import FUNCTIONS, ROOT
from kata.worker import confine, profiling


def test_data_is_the_shipped_release():
    x, y = data.load_xy()
    assert x.shape == (143, 1) and y.shape == (143, 1), f"shapes {x.shape}, {y.shape}"
    assert x[0].item() == 0.0 and abs(x[-1].item() - 1.42) < 1e-6 and y[0].item() == pytest.approx(-0.16)


def test_missing_or_changed_data_is_named(tmp_path):
    with pytest.raises(data.DataError, match="not found: .*nothing.csv"):
        data.check_file(tmp_path / "nothing.csv")
    changed = tmp_path / "changed.csv"
    changed.write_bytes(data.DATA_FILE.read_bytes().replace(b"-0.16", b"-0.17", 1))
    with pytest.raises(data.DataError, match="changed.csv has been changed"):
        data.load_xy(changed)


def test_stubs_raise_naming_function_and_step():
    generated = stubs.generate(stubs.SOLUTION_FILE.read_text())
    for name in FUNCTIONS:
        assert f'raise NotImplementedError("{name} is not written yet (step' in generated, name
    assert "# BEGIN SOLUTION" not in generated and "return x @ weights" not in generated
    assert generated.count('"learning_rate": 0.1, "num_iter": 50') == 4, (
        "stub settings must start at 0.1 / 50"
    )


@pytest.mark.parametrize(
    "source", ["# BEGIN SOLUTION\nx = 1\n", "x = 1\n# END SOLUTION\n", "# BEGIN SOLUTION\n# BEGIN SOLUTION\n"]
)
def test_unbalanced_markers_are_refused(source):
    with pytest.raises(stubs.MarkerError):
        stubs.generate(source)


PROBING = """
import socket
def predict(x, weights, bias):
    found = []
    for path in {paths!r}:
        try:
            open(path).read(10)
            found.append("read " + path)
        except OSError:
            pass
    try:
        open({target!r}, "w").write("x")
        found.append("wrote " + {target!r})
    except OSError:
        pass
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1)
        found.append("connected")
    except OSError:
        pass
    raise RuntimeError("|".join(found) or "nothing")
"""


def test_the_worker_cannot_reach_the_grader(tmp_path):
    """Landlock and namespaces keep the learner's code from the grader's files, the network
    and other processes; it still imports numpy and friends from site-packages."""
    if not confine.landlock_abi():
        pytest.skip("no Landlock on this kernel: the worker runs unconfined here")
    secret = ROOT / "solutions" / "linreg.py"
    target = tmp_path / "written.txt"
    code = tmp_path / "linreg.py"
    code.write_text("import numpy\n" + PROBING.format(paths=[str(secret), "/etc/passwd"], target=str(target)))
    with open_learner(code) as learner:
        assert learner.report.confinement["landlock"] >= 1 and learner.report.confinement["namespaces"]
        reply = learner.raw("value", blame="predict", function="predict", args=[torch.zeros(1, 1)] * 3)
    assert reply.error.get("message") == "nothing", f"the worker got through: {reply.error}"
    assert not target.exists()


def test_a_call_that_never_returns_is_stopped_and_named(tmp_path):
    code = tmp_path / "linreg.py"
    code.write_text("def mae(y_true, y_pred):\n    while True:\n        pass\n")
    with open_learner(code) as learner, pytest.raises(NotReturning, match="mae did not return"):
        learner.value("mae", torch.zeros(2, 1), torch.zeros(2, 1))


def test_the_short_report_names_the_kata_s_own_checks_that_failed():
    from kata.progress import own_checks_failed

    records = [
        {
            "step": None,
            "status": "failed",
            "name": "tests/selfcheck/test_x.py::test_y",
            "message": "boom\nmore",
        },
        {"step": None, "status": "passed", "name": "tests/selfcheck/test_x.py::test_z", "message": ""},
        {"step": 1, "status": "failed", "name": "tests/test_1_values.py::test_mse_values", "message": "no"},
    ]
    lines = own_checks_failed(records)
    assert lines[1:] == ["  tests/selfcheck/test_x.py::test_y: boom", "    more"], (
        f"a red CI must say which check: {lines}"
    )
    assert own_checks_failed(records[1:]) == [], "nothing to say when the kata's own checks passed"


def test_a_fit_s_backward_gives_what_the_public_backward_gives(monkeypatch):
    """The worker hands a loss's backward() straight to autograd's engine (kata.worker.probes):
    the same gradients to the last bit, the public way's message for a loss that is not a
    scalar, and the public way itself where the engine is not there."""
    from kata.worker import probes

    assert probes._run_backward is probes._engine_backward, "this torch's engine was not taken"
    gen = torch.Generator().manual_seed(3)
    x, y = torch.rand(143, 2, generator=gen), torch.rand(143, 1, generator=gen)
    grads = []
    for backward in (probes._run_backward, torch.Tensor.backward):
        weights = torch.zeros(2, 1, requires_grad=True)
        bias = torch.full((1,), 0.5, requires_grad=True)
        backward(((y - (x @ weights + bias)) ** 2).mean())
        grads.append((weights.grad, bias.grad))
    assert all(torch.equal(a, b) for a, b in zip(*grads, strict=True)), f"gradients differ: {grads}"
    run = probes.Probes(None)
    not_scalar = torch.ones(2, requires_grad=True) * 2
    with pytest.raises(probes.LearnerError) as raised:
        run.backward("mse", not_scalar)
    assert "scalar outputs" in str(raised.value.error), raised.value.error
    monkeypatch.setattr(probes, "ENGINE", None)
    assert probes._backward_for() is torch.Tensor.backward, "no engine: the public backward"


def test_a_series_reports_its_first_wrong_call_even_when_a_later_one_raises(tmp_path):
    """The calls of a series go to the worker in batches; when a later call of a batch raises
    (here as a machine with little memory would), the replies before it still come back and
    are judged first: the first wrong call is reported on every machine."""
    from kata.learner import LearnerFailure, open_learner

    source = (ROOT / "solutions" / "linreg.py").read_text(encoding="utf-8")
    source += (
        "\n\ndef mse(y_true, y_pred):\n    if len(y_true) == 3:\n        raise MemoryError('no room')\n"
        "    return ((y_true - y_pred) ** 2).mean()\n"
    )
    path = tmp_path / "linreg.py"
    path.write_text(source, encoding="utf-8")
    calls = [
        {"function": "mse", "args": [torch.zeros(n, 1), torch.ones(n, 1)], "mode": "grad"}
        for n in (1, 2, 3, 4)
    ]
    with open_learner(path) as learner:
        replies = learner.in_a_row("value", "mse", calls, "mse 4 times in a row")
        got = [next(replies), next(replies)]  # the calls before the one that raised
        with pytest.raises(LearnerFailure) as raised:
            next(replies)
    assert [r["value"]["tensor"]["shape"] for r in got] == [[], []], got
    assert "MemoryError" in str(raised.value) and "call 3 of the series" in str(raised.value), raised.value


def test_a_worker_profiles_itself_only_when_the_grader_asks(tmp_path, monkeypatch):
    monkeypatch.delenv("KATA_PROFILE_WORKER", raising=False)
    assert profiling.start() is None, "a worker profiled itself with nothing asking for it"
    monkeypatch.setenv("KATA_PROFILE_WORKER", str(tmp_path / "worker"))
    profile = profiling.start()
    try:
        sorted(range(1000), key=abs)
        profile.save()
    finally:
        profile.profile.disable()
    (written,) = tmp_path.glob("worker.*")
    assert pstats.Stats(str(written)).total_calls > 0, "the worker's statistics are empty"
