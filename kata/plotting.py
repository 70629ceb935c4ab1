"""The notebook's two-panel picture of a fit: loss per iteration, and the fitted curve."""

import math
from pathlib import Path

from matplotlib.figure import Figure

from kata.fits import FitResult

X_LABEL = "x = (year - 1880) / 100"
Y_LABEL = "temperature anomaly (°C)"


def fit_figure(result: FitResult, x, y) -> Figure:
    """The loss curve, and the data with the fitted curve. x (n, 1), y (n, 1)."""
    step = result.step
    fig = Figure(figsize=(10, 4), layout="tight")
    loss_ax, fit_ax = fig.subplots(ncols=2)
    loss_ax.plot(range(len(result.losses)), result.losses)
    loss_ax.set(title=f"Loss ({step.loss.upper()})", xlabel="iteration", ylabel="loss")
    finite = [v for v in result.losses if math.isfinite(v) and v > 0]
    if finite and max(finite) > 1000 * min(finite):  # a blow-up: show it on a log scale
        loss_ax.set_yscale("log")
    if result.diverged_at is not None:
        loss_ax.axvline(result.diverged_at, color="r", linestyle="--")
        loss_ax.annotate(
            f"loss {result.losses[-1]} at iteration {result.diverged_at}",
            (result.diverged_at, 0.5),
            xycoords=("data", "axes fraction"),
            ha="right",
            color="r",
        )
    fit_ax.scatter(x.flatten(), y.flatten(), s=12, label="data")
    if result.y_pred is not None:
        fit_ax.plot(x.flatten(), result.y_pred.flatten(), "r", label="fitted model")
    fit_ax.set(title="Fitted model", xlabel=X_LABEL, ylabel=Y_LABEL)
    fit_ax.legend()
    fig.suptitle(f"Step {step.number}: {step.model}, final loss {result.final_loss:.4g}")
    return fig


def save_fit_plot(result: FitResult, x, y, path: Path) -> None:
    """Save fit_figure to `path` (PNG, SVG, PDF... by its extension)."""
    fit_figure(result, x, y).savefig(path)
