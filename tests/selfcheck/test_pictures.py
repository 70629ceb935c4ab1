"""The pictures, rendered headless: fit plots, the mixing explorer, the companion notebook."""

import json

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from kata import data, explorer, fits, plotting  # noqa: E402
from kata.learner import open_learner  # noqa: E402
from kata.manifest import ROOT, get_step  # noqa: E402


def test_fit_figure_has_loss_curve_and_fit(tmp_path):
    x, y = data.load_xy()
    with open_learner(ROOT / "solutions" / "linreg.py") as learner:
        result = fits.run_step(learner, get_step(4), x, y)
    fig = plotting.fit_figure(result, x, y)
    loss_ax, fit_ax = fig.axes
    assert len(loss_ax.lines[0].get_ydata()) == len(result.losses), "the loss panel must show every iteration"
    assert len(fit_ax.lines[0].get_ydata()) == 143, "the fit panel must draw the fitted curve over the data"
    fig.savefig(tmp_path / "fit.png")
    assert (tmp_path / "fit.png").stat().st_size > 10_000, "the saved picture is empty"


def test_explorer_sliders_redraw_curve_and_losses():
    x, y = data.load_xy()
    ui = explorer.build(x, y, plt)
    before = np.asarray(ui.line.get_ydata(), dtype=float).copy()
    ui.sliders["w2"].set_val(1.25)
    ui.sliders["bias"].set_val(-0.23)
    expected = explorer.mixture(x, explorer.START["w1"], 1.25, -0.23).flatten().numpy()
    after = np.asarray(ui.line.get_ydata(), dtype=float)
    assert (after != before).any(), "moving a slider did not redraw the curve"
    assert abs(after - expected).max() < 1e-6, "the curve does not follow the sliders"
    assert ui.text.get_text() == explorer.losses_text(y, explorer.mixture(x, 0.1, 1.25, -0.23))
    plt.close(ui.figure)


def test_companion_notebook_runs_on_the_stubs(capsys):
    for module in ("IPython", "ipywidgets"):
        pytest.importorskip(module, reason=f"the notebook needs {module}: pip install -e '.[notebook]'")
    notebook = json.loads((ROOT / "exercises" / "explore.ipynb").read_text())
    namespace = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(line for line in cell["source"] if not line.startswith("%"))
            exec(compile(source, "explore.ipynb", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "Step 1: predict is not written yet" in out, out
    assert "FloatSlider(value=0.1, description='w1'" in out, f"the sliders were not built: {out[-500:]}"
