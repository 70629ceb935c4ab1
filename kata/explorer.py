"""The mixing explorer of step 4: mix max(0, x) and max(0, x - 0.5) by hand.

python -m kata explore          a window with sliders for w1, w2 and the bias
exercises/explore.ipynb         the same with ipywidgets, in Jupyter
"""

from dataclasses import dataclass

import torch
from matplotlib.figure import Figure

from kata.manifest import get_step
from kata.plotting import X_LABEL, Y_LABEL

KNOTS = get_step(4).knots
START = {"w1": 0.1, "w2": -0.3, "bias": 0.0}
RANGES = {"w1": (-2.0, 2.0), "w2": (-2.0, 2.0), "bias": (-1.0, 1.0)}


def mixture(x, w1: float, w2: float, bias: float):
    """w1 * max(0, x - knot1) + w2 * max(0, x - knot2) + bias. x (n, 1) -> (n, 1)."""
    features = (x - torch.tensor([KNOTS], dtype=x.dtype)).clamp_min(0)
    return features @ torch.tensor([[w1], [w2]], dtype=x.dtype) + bias


def losses_text(y, y_pred) -> str:
    residuals = y - y_pred
    return f"MSE {residuals.pow(2).mean().item():.4f}   MAE {residuals.abs().mean().item():.4f}"


def draw(ax, x, y, w1: float, w2: float, bias: float):
    """Data, the mixed curve and its two ingredients on `ax`; returns (curve line, text)."""
    ax.scatter(x.flatten(), y.flatten(), s=12, label="data")
    for j, knot in enumerate(KNOTS):
        shifted = "x" if knot == 0 else f"x - {knot}"
        ax.plot(
            x.flatten(), (x - knot).clamp_min(0).flatten(), ":", lw=1, label=f"f{j + 1} = max(0, {shifted})"
        )
    (line,) = ax.plot(
        x.flatten(), mixture(x, w1, w2, bias).flatten(), "r", lw=2, label="w1·f1 + w2·f2 + bias"
    )
    text = ax.text(
        0.02,
        0.96,
        losses_text(y, mixture(x, w1, w2, bias)),
        transform=ax.transAxes,
        va="top",
        family="monospace",
    )
    ax.set(xlabel=X_LABEL, ylabel=Y_LABEL, ylim=(-1.0, 1.5), title="Mix two hinges by hand")
    ax.legend(loc="lower right", fontsize="small")
    return line, text


def static_figure(x, y, w1=START["w1"], w2=START["w2"], bias=START["bias"]) -> Figure:
    """One picture of the mixture, for the notebook's ipywidgets sliders."""
    fig = Figure(figsize=(7, 4.5), layout="tight")
    draw(fig.subplots(), x, y, w1, w2, bias)
    return fig


@dataclass
class Explorer:
    figure: object
    sliders: dict
    line: object
    text: object


def build(x, y, pyplot, start: dict | None = None) -> Explorer:
    """A figure with a slider for each of w1, w2 and bias (starting at `start`, by default
    START); moving one redraws the curve."""
    from matplotlib.widgets import Slider

    start = START | (start or {})
    fig = pyplot.figure(figsize=(8, 6))
    ax = fig.add_axes((0.1, 0.35, 0.85, 0.6))
    line, text = draw(ax, x, y, **start)
    sliders = {}
    for row, name in enumerate(("w1", "w2", "bias")):
        slider_ax = fig.add_axes((0.15, 0.18 - 0.06 * row, 0.7, 0.03))
        sliders[name] = Slider(slider_ax, name, *RANGES[name], valinit=start[name])

    def update(_):
        y_pred = mixture(x, *(sliders[n].val for n in ("w1", "w2", "bias")))
        line.set_ydata(y_pred.flatten())
        text.set_text(losses_text(y, y_pred))
        fig.canvas.draw_idle()

    for slider in sliders.values():
        slider.on_changed(update)
    return Explorer(fig, sliders, line, text)


def main(save: str | None = None, weights: dict | None = None) -> None:
    """Open the explorer window at `weights` (w1, w2, bias; START where not given). With
    `save`, write the picture to that file instead; without a display, to explorer.png."""
    import matplotlib

    if save:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kata.data import load_xy

    x, y = load_xy()
    weights = {k: v for k, v in (weights or {}).items() if v is not None}
    explorer = build(x, y, plt, weights)
    values = ", ".join(f"{name} = {explorer.sliders[name].val:g}" for name in ("w1", "w2", "bias"))
    if save:
        explorer.figure.savefig(save)
        print(f"Saved the explorer at {values} to {save} ({explorer.text.get_text()}).")
    elif matplotlib.get_backend().lower() == "agg":
        explorer.figure.savefig("explorer.png")
        print(
            f"No display here: saved the explorer at {values} to explorer.png "
            f"({explorer.text.get_text()}). Choose the weights with --w1 --w2 --bias."
        )
    else:
        plt.show()
