"""Do the fit checks ever refuse settings that a correct submission lands with?

    python tools/variant_grid.py [--seeds 20]

For each step, runs gradient descent as a correct submission does (float32, from zero,
vectorised over a grid of learning rates) on the real series and on the variants of
kata.fits for many seeds, and compares, for every (learning rate, num_iter) of the grid,
whether the final loss lands in the step's band. It also replays each fit as the checks do
(kata.fits.descend, float64) and checks that the two agree: the final losses
(kata.fits.agrees_with_replay) and the parameters after each of the first 100 updates
(with the tolerance of kata.fits.compare_along).
Prints the grid (how many settings land), every setting that lands on the real data but
not on a variant, and every one whose replay disagrees. Exit status 1 if any.
"""

import argparse
import sys

import numpy as np
import torch

from kata import data, fits
from kata.manifest import MAX_NUM_ITER, STEPS

LEARNING_RATES = torch.logspace(-3, 0.5, 36)  # 0.001 to 3.16
NUM_ITERS = [10, 20, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, MAX_NUM_ITER]


def early_parameters(step, x, y) -> torch.Tensor:
    """(100, len(LEARNING_RATES), k [+ 1]): the parameters after each of the first 100
    updates, as a correct submission's float32 fit has them."""
    inputs = fits.features(step, x)
    n, k = inputs.shape
    rates = LEARNING_RATES.reshape(-1, 1, 1).float()
    w, b = torch.zeros(len(rates), k, 1), torch.zeros(len(rates), 1, 1)
    out = []
    for _ in range(100):
        residuals = y - (inputs @ w + b)
        slope = 2 * residuals if step.loss == "mse" else torch.sign(residuals)
        w = w + rates * (inputs.T @ slope) / n
        if step.train_bias:
            b = b + rates * slope.sum(1, keepdim=True) / n
        out.append(torch.cat([w, b], 1)[..., 0] if step.train_bias else w[..., 0])
    return torch.stack(out).double()


def trajectory_disagreements(step, x, y, lands) -> torch.Tensor:
    """(len(NUM_ITERS), len(LEARNING_RATES)): True where a setting that lands has, at some
    update the checks may compare (1 to min(num_iter, 100)), parameters that
    kata.fits.compare_along would call off the replay."""
    got = early_parameters(step, x, y)
    want = torch.stack(
        [
            torch.from_numpy(theta[..., 0].copy())
            for _, theta, _, _ in fits.descent(step, x, y, LEARNING_RATES.numpy(), 100, np.float64)
        ]
    )
    bad_at = ~((got - want).abs() <= 1e-3 + 1e-2 * want.abs()).all(-1)  # (100, rates)
    finite = torch.isfinite(want).all(-1)
    bad_at &= finite  # a diverging fit fails on its own, before this comparison
    out = torch.zeros(len(NUM_ITERS), len(LEARNING_RATES), dtype=torch.bool)
    for i, t in enumerate(NUM_ITERS):
        out[i] = bad_at[: min(t, 100)].any(0)
    return out & lands


def final_losses(step, x, y) -> torch.Tensor:
    """(len(NUM_ITERS), len(LEARNING_RATES)): the loss after that many updates."""
    inputs = fits.features(step, x)
    n, k = inputs.shape
    rates = LEARNING_RATES.reshape(-1, 1, 1).float()
    w = torch.zeros(len(rates), k, 1)
    b = torch.zeros(len(rates), 1, 1)
    out = torch.empty(len(NUM_ITERS), len(rates), dtype=torch.float64)
    checkpoints = {t: i for i, t in enumerate(NUM_ITERS)}
    for t in range(1, MAX_NUM_ITER + 1):
        residuals = y - (inputs @ w + b)  # (L, n, 1)
        slope = 2 * residuals if step.loss == "mse" else torch.sign(residuals)
        w = w + rates * (inputs.T @ slope) / n
        if step.train_bias:
            b = b + rates * slope.sum(1, keepdim=True) / n
        if t in checkpoints:
            r = (y - (inputs @ w + b)).double()
            out[checkpoints[t]] = (r**2).mean((1, 2)) if step.loss == "mse" else r.abs().mean((1, 2))
    return torch.nan_to_num(out, nan=float("inf"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    x, y = data.load_xy()
    refused = 0
    for step in STEPS:
        low, high = step.band
        real = final_losses(step, x, y)
        lands = (real >= low) & (real <= high)
        worst = torch.full_like(real, -float("inf"))
        for seed in range(1, args.seeds + 1):
            worst = torch.maximum(worst, final_losses(step, x, fits.variant(step, x, y, seed)))
        bad = lands & ((worst > high) | (worst < low))
        replayed = torch.from_numpy(fits.descend(step, x, y, LEARNING_RATES.numpy(), NUM_ITERS))
        gap = (real - replayed).abs()
        disagree = lands & ~torch.tensor(
            [
                [fits.agrees_with_replay(step, a, b) for a, b in zip(r, p, strict=True)]
                for r, p in zip(real.tolist(), replayed.tolist(), strict=True)
            ]
        )
        off = trajectory_disagreements(step, x, y, lands)
        disagree |= off
        refused += int(bad.sum()) + int(disagree.sum())
        print(
            f"step {step.number} ({step.loss}, band {low} to {high}): {int(lands.sum())} of "
            f"{lands.numel()} settings land on the real data; {int(bad.sum())} of them miss on a variant "
            f"({args.seeds} seeds); the replay disagrees on {int(disagree.sum())} (largest gap where "
            f"they land: {float(gap[lands].max()):.2g})"
        )
        print("  num_iter | learning rates that land (x = real and every variant, ! = refused)")
        print(
            "           "
            + "".join("|" if i % 6 == 0 else " " for i in range(len(LEARNING_RATES)))
            + f"   marks: {', '.join(f'{LEARNING_RATES[i]:.3g}' for i in range(0, len(LEARNING_RATES), 6))}"
        )
        for i, t in enumerate(NUM_ITERS):
            row = "".join(
                "!" if bad[i, j] or disagree[i, j] else "x" if lands[i, j] else "."
                for j in range(len(LEARNING_RATES))
            )
            print(f"  {t:>8} | {row}")
        for i, j in bad.nonzero().tolist():
            print(
                f"  refused: lr {LEARNING_RATES[j]:.4g}, num_iter {NUM_ITERS[i]}: real "
                f"{real[i, j]:.5f}, worst variant {worst[i, j]:.5f}"
            )
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
