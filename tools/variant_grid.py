"""Does grading ever refuse a correct fit? Every setting that lands, checked as the grader checks it.

    python tools/variant_grid.py                    the whole grid (about 15 minutes)
    python tools/variant_grid.py --rates 24 --seeds 2 --max-iter 3000    a sample (CI)

For each step, runs gradient descent as a correct submission runs it (float32, from zero,
for many learning rates at once) for every num_iter from 1 to --max-iter (max_num_iter of
kata/steps.toml by default), with --rates learning rates from 1e-4 to 4 (log-spaced, with
the rates of the gallery's border entries added), on the real series and on --seeds
held-out series (kata.fits.variant). For every setting whose fit lands in the step's band
on the real data, it applies the grader's own checks to that fit on the real series and on
every held-out one: each update one plain gradient step, not leaning downhill
(kata.fits.check_path), the end
where the float64 replay ends (kata.fits.agrees_with_replay), no divergence. A setting that
fails any of them would be refused although the code is correct.

Prints, per step, how many settings land and how many would be refused, then each refused
one. Exit status 1 if any.
"""

import argparse
import sys

import numpy as np
import torch

from kata import data, fits
from kata.manifest import MAX_NUM_ITER, STEPS

BORDER_RATES = (0.28, 0.3, 0.32, 0.51, 0.56, 1.2)  # tests/gallery/right/border_settings.py and the issue's
BLOCK = 250  # updates checked at once


def learning_rates(count: int) -> np.ndarray:
    return np.unique(np.concatenate([np.geomspace(1e-4, 4.0, count), BORDER_RATES]))


def judged(step, x, y, rates: np.ndarray, until: int):
    """For the fits of every rate on the series (x, y): the loss after each update, (until, L),
    inf once it is no longer a number; whether the grader's final-loss check would agree with
    its replay after each update, (until, L); and the first update the path check would call
    off plain gradient descent, (L,) (`until` where none is)."""
    design = fits.design(step, x)
    inputs, target = torch.from_numpy(design).float(), y.float().reshape(1, -1, 1)
    count, n = len(rates), len(design)
    theta = torch.zeros(count, design.shape[1], 1)  # float32, as a learner's fit
    step_rates = torch.from_numpy(rates).float().reshape(-1, 1, 1)
    losses = np.full((until, count), np.inf)
    agree = np.zeros((until, count), dtype=bool)
    first_off = np.full(count, until)
    replay = fits.descent(design, y.double().numpy(), step.loss, rates, until)
    previous, lean = np.zeros((count, design.shape[1])), None
    block = []
    for t in range(until):
        residuals = target - inputs @ theta
        slope = 2 * residuals if step.loss == "mse" else torch.sign(residuals)
        theta = theta + step_rates * (inputs.T @ slope) / n
        _, want, replay_inputs, replay_target = next(replay)
        got = fits.losses_of(
            step.loss, theta.double().numpy(), design[None], y.double().numpy().reshape(1, -1, 1)
        )
        replayed = fits.losses_of(step.loss, want, replay_inputs, replay_target)
        losses[t] = got
        agree[t] = fits.agrees_with_replay(step, got, replayed)  # elementwise on arrays
        block.append(theta[..., 0].double().numpy())
        if len(block) == BLOCK or t == until - 1:
            paths = np.stack(block, axis=1)  # (L, b, p)
            check = fits.check_path(design, y.double().numpy(), step.loss, rates, paths, previous, lean)
            off = (check.off | check.leaning) & np.isfinite(paths).all(-1)  # a blow-up is refused as diverged
            lean = check.state
            hit = off.any(1) & (first_off == until)
            first_off[hit] = t + 1 - len(block) + off[hit].argmax(1)
            previous, block = paths[:, -1], []
    return losses, agree, first_off


def refused(step, x, y, rates, until: int, seeds: int):
    """(lands (until, L), refused (until, L)): the settings that land on the real data, and
    those of them the grader would refuse."""
    low, high = step.band
    losses, agree, first_off = judged(step, x, y, rates, until)
    lands = (losses >= low) & (losses <= high)
    updates = np.arange(1, until + 1).reshape(-1, 1)
    refuse = lands & (~agree | (updates > first_off))
    for seed in range(1, seeds + 1):
        series = fits.variant(step, x, y, seed)
        held_losses, held_agree, held_off = judged(step, x, series, rates, until)
        refuse |= lands & (~held_agree | (updates > held_off) | ~np.isfinite(held_losses))
    return lands, refuse


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rates", type=int, default=300, help="learning rates, log-spaced from 1e-4 to 4")
    parser.add_argument("--seeds", type=int, default=20, help="held-out series per setting")
    parser.add_argument("--max-iter", type=int, default=MAX_NUM_ITER, help="every num_iter from 1 to this")
    parser.add_argument("--steps", type=int, nargs="*", default=[s.number for s in STEPS])
    args = parser.parse_args()
    x, y = data.load_xy()
    rates = learning_rates(args.rates)
    total = 0
    for step in (s for s in STEPS if s.number in args.steps):
        lands, refuse = refused(step, x, y, rates, args.max_iter, args.seeds)
        total += int(refuse.sum())
        print(
            f"step {step.number} ({step.loss}, band {step.band[0]} to {step.band[1]}): {int(lands.sum())} of "
            f"{lands.size} settings land on the real data (num_iter 1 to {args.max_iter}, {len(rates)} "
            f"learning rates); refused on the real series or one of {args.seeds} held-out ones: "
            f"{int(refuse.sum())}",
            flush=True,
        )
        for t, j in list(zip(*refuse.nonzero(), strict=True))[:20]:
            print(f"  refused: learning rate {rates[j]:.4g}, num_iter {t + 1}")
    print(f"settings refused in all: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
