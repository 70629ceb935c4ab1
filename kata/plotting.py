"""The notebook's two-panel picture of a fit: loss per iteration, and the fitted curve."""

from pathlib import Path

from kata.training import FitResult


def plot_fit(result: FitResult, x, y, path: Path) -> None:
    """Save the loss curve and the data with the fitted curve to `path` (PNG, SVG, PDF...).

    x (n, 1), y (n, 1): the data the fit used, x as plotted on the horizontal axis.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    step = result.step
    fig, (loss_ax, fit_ax) = plt.subplots(ncols=2, figsize=(10, 4))
    loss_ax.plot(range(len(result.losses)), result.losses)
    loss_ax.set(title=f"Loss ({step.loss.upper()})", xlabel="iteration", ylabel="loss")
    fit_ax.scatter(x.flatten(), y.flatten(), s=12, label="data")
    fit_ax.plot(x.flatten(), result.y_pred.flatten(), "r", label="fitted model")
    fit_ax.set(title="Fitted model", xlabel="x = (year - 1880) / 100", ylabel="temperature anomaly (°C)")
    fit_ax.legend()
    fig.suptitle(f"Step {step.number}: {step.model}, final loss {result.final_loss:.3f}")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
