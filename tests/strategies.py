"""Shared hypothesis strategies and comparison helpers for the kata's tests."""

from dataclasses import dataclass

import hypothesis.strategies as st
import torch

DTYPES = (torch.float32, torch.float64)
# Tolerances loose enough for float32 and any order of summation, tight enough for every mistake.
RTOL, ATOL = 1e-4, 1e-5


@dataclass(frozen=True)
class Values:
    """The values a tensor may hold: in [low, high], and at least `away_from_zero` from 0."""

    low: float = -10.0
    high: float = 10.0
    away_from_zero: float = 0.0


VALUES = Values()
# Residuals at least 1/8 from zero: |r| has a well-defined derivative sign(r) there.
AWAY_FROM_ZERO = Values(away_from_zero=0.125)


@st.composite
def tensors(draw, shape, dtype, values: Values = VALUES):
    """Tensors of a given shape and dtype. Hypothesis draws a seed and whether the values are
    whole numbers (zeros and ties included); torch fills the tensor from the seed, which is
    many times faster than drawing each element, and as reproducible."""
    gen = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    whole = draw(st.booleans()) and not values.away_from_zero
    uniform = torch.rand(shape, generator=gen, dtype=torch.float64)
    if values.away_from_zero:
        sign = torch.where(torch.rand(shape, generator=gen, dtype=torch.float64) < 0.5, -1.0, 1.0)
        low = values.away_from_zero
        tensor = sign * (low + uniform * (max(abs(values.low), abs(values.high)) - low))
        tensor = tensor.clamp(values.low, values.high)
    else:
        tensor = values.low + uniform * (values.high - values.low)
    if whole:
        tensor = tensor.round()
    return tensor.float().to(dtype)  # float32 precision, as a learner's data would have


@st.composite
def sizes(draw):
    """(n, k): n data points, k features, with n != k so that a transposed product shows."""
    n = draw(st.integers(2, 12))
    k = draw(st.integers(1, 4).filter(lambda k: k != n))
    return n, k


@dataclass
class Problem:
    """A small regression problem (the worker makes weights and bias leaves that require grad)."""

    x: torch.Tensor  # (n, k)
    weights: torch.Tensor  # (k, 1)
    bias: torch.Tensor  # (1,)
    y_true: torch.Tensor  # (n, 1)

    def y_hat(self):
        """The model's predictions, computed here rather than by the learner's predict."""
        return self.x @ self.weights + self.bias


@st.composite
def problems(draw, residuals=None):
    """Problems with random sizes and dtype.

    `residuals`, if given, are the Values of y_true - y_hat (an (n, 1) tensor), so that a
    test can keep them away from zero.
    """
    n, k = draw(sizes())
    dtype = draw(st.sampled_from(DTYPES))
    x = draw(tensors((n, k), dtype))
    weights = draw(tensors((k, 1), dtype))
    bias = draw(tensors((1,), dtype))
    if residuals is None:
        y_true = draw(tensors((n, 1), dtype))
    else:
        y_true = x @ weights + bias + draw(tensors((n, 1), dtype, residuals))
    return Problem(x, weights, bias, y_true)


@st.composite
def pairs(draw):
    """(y_true, y_pred), both (n, 1), of one random dtype."""
    n, _ = draw(sizes())
    dtype = draw(st.sampled_from(DTYPES))
    return draw(tensors((n, 1), dtype)), draw(tensors((n, 1), dtype))


@st.composite
def hinge_inputs(draw):
    """(x, knots): x (n, 1) in [-1, 2], and 1 to 4 knots below, inside or above the data."""
    n, _ = draw(sizes())
    dtype = draw(st.sampled_from(DTYPES))
    x = draw(tensors((n, 1), dtype, Values(-1.0, 2.0)))
    knots = draw(st.lists(st.floats(-3, 4, width=32), min_size=1, max_size=4))
    return x, knots


@st.composite
def parameter_lists(draw, elements: Values = VALUES):
    """(values, grads): 1 to 3 parameters of different shapes and a gradient for each."""
    dtype = draw(st.sampled_from(DTYPES))
    shapes = draw(st.lists(st.sampled_from([(1,), (3, 1), (2, 1), (1, 1)]), min_size=1, max_size=3))
    values = [draw(tensors(shape, dtype, elements)) for shape in shapes]
    return values, [draw(tensors(shape, dtype)) for shape in shapes]


LEARNING_RATES = st.sampled_from([0.5, 0.1, 0.01, 1.0, 0.03])


def shape_of(value) -> str:
    """A short description of a returned value, for messages."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    return f"a {type(value).__name__} ({value!r})"


def close(actual, expected) -> bool:
    """Whether two tensors of the same shape agree, allowing for float32 rounding."""
    if not isinstance(actual, torch.Tensor) or actual.shape != expected.shape:
        return False
    return torch.allclose(actual.double(), expected.double(), rtol=RTOL, atol=ATOL)
