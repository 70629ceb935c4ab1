"""The pieces under the kata: data loading, stub generation, the time limit."""

import pytest

from kata import data, guard, stubs
from kata.manifest import FUNCTIONS


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


def test_a_call_that_never_returns_is_stopped_and_named():
    class Module:
        @staticmethod
        def mae(y_true, y_pred):
            while True:
                pass

    hung = guard.guard(Module, ["mae"], seconds=0.2)
    with pytest.raises(guard.NotReturning, match="mae did not return"):
        Module.mae(None, None)
    assert hung == {"mae"}, f"the guard should remember mae as hung, has {hung}"
