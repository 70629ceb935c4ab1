"""The training loop of every step: predict -> loss -> backward -> step -> zero_grads."""

import math
from dataclasses import dataclass
from types import ModuleType

import torch

from kata.diagnoses import DIVERGED, likely
from kata.manifest import MAX_NUM_ITER, Step


class SettingsError(ValueError):
    """FIT_SETTINGS has no usable learning rate or number of iterations for a step."""


class Diverged(ArithmeticError):
    """The loss became nan or inf during a fit."""

    def __init__(self, step: Step, iteration: int, loss: float, learning_rate: float):
        self.iteration = iteration
        self.loss = loss
        super().__init__(
            f"step {step.number}: the loss became {loss} at iteration {iteration} (learning rate "
            f"{learning_rate}).{likely(DIVERGED)} Try a smaller one in FIT_SETTINGS[{step.number}]."
        )


@dataclass
class FitResult:
    """What a fit produced. losses[i] is the loss before the i-th update."""

    step: Step
    features: torch.Tensor  # (n, k)
    weights: torch.Tensor  # (k, 1)
    bias: torch.Tensor  # (1,)
    y_pred: torch.Tensor  # (n, 1), from the last forward pass
    losses: list[float]

    @property
    def final_loss(self) -> float:
        return self.losses[-1]


def read_settings(module: ModuleType, step: Step) -> tuple[float, int]:
    """(learning_rate, num_iter) of `step` from the module's FIT_SETTINGS, checked."""
    where = f"FIT_SETTINGS[{step.number}]"
    settings = getattr(module, "FIT_SETTINGS", None)
    if not isinstance(settings, dict) or not isinstance(settings.get(step.number), dict):
        raise SettingsError(f'{where} must be a dict like {{"learning_rate": 0.1, "num_iter": 50}}')
    entry = settings[step.number]
    learning_rate, num_iter = entry.get("learning_rate"), entry.get("num_iter")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, int | float):
        raise SettingsError(f"{where}['learning_rate'] must be a number, not {learning_rate!r}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise SettingsError(f"{where}['learning_rate'] must be positive, not {learning_rate!r}")
    if isinstance(num_iter, bool) or not isinstance(num_iter, int) or num_iter < 1:
        raise SettingsError(f"{where}['num_iter'] must be a positive whole number, not {num_iter!r}")
    if num_iter > MAX_NUM_ITER:
        raise SettingsError(
            f"{where}['num_iter'] is {num_iter}, above the limit of {MAX_NUM_ITER}. "
            "Use a larger learning rate instead of more iterations."
        )
    return float(learning_rate), num_iter


def make_features(module: ModuleType, step: Step, x: torch.Tensor) -> torch.Tensor:
    """The inputs of the step's model: x itself, or its hinge features. (n, 1) -> (n, k)."""
    if step.features == "hinge":
        return module.hinge_features(x, list(step.knots))
    return x


def fit(module: ModuleType, step: Step, x, y, learning_rate: float, num_iter: int) -> FitResult:
    """Fit the step's model from zero parameters with the learner's functions.

    x (n, 1), y (n, 1). The bias is trained only where step.train_bias is set.
    """
    features = make_features(module, step, x)
    weights = torch.zeros(features.shape[1], 1, requires_grad=True)
    bias = torch.zeros(1, requires_grad=step.train_bias)
    params = [weights, bias] if step.train_bias else [weights]
    loss_fn = getattr(module, step.loss)
    losses = []
    for iteration in range(num_iter):
        y_pred = module.predict(features, weights, bias)
        loss = loss_fn(y, y_pred)
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            raise Diverged(step, iteration, losses[-1], learning_rate)
        loss.backward()
        module.step(params, learning_rate)
        module.zero_grads(params)
    return FitResult(step, features, weights.detach(), bias.detach(), y_pred.detach(), losses)


def run_step(module: ModuleType, step: Step, x, y) -> FitResult:
    """Fit the step with the learner's own FIT_SETTINGS."""
    learning_rate, num_iter = read_settings(module, step)
    return fit(module, step, x, y, learning_rate, num_iter)
