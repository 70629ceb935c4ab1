"""Shared hypothesis strategies and comparison helpers for the kata's tests.

The inputs span the whole contract the stubs' docstrings state (exercises/linreg.py): from
1 row to 10,000, up to 100 features and 100 knots, float32 and float64 at every size (float64
values that float32 cannot hold), values up to a million in size, x anywhere on the line,
learning rates from 1e-6 to 1e3, parameter lists of any length and shape. Hypothesis draws
most examples small (they are quick, and their failures are easy to read) and some from
every other corner; the "many calls in a row" checks walk a fixed table of every corner.
"""

import random
from dataclasses import dataclass

import hypothesis.strategies as st
import torch

from kata.learner import MODE_WORDS

DTYPES = (torch.float32, torch.float64)
# Tolerances loose enough for float32 and any order of summation, tight enough for every
# mistake. Where a value is a sum of many terms, the tolerance also scales with the size of
# those terms (`scale` in `close`): float32 rounds each of them.
RTOL, ATOL = 1e-4, 1e-5
# Where the inputs are float64, a value must hold float64's digits (float32 inside is wrong).
RTOL64, ATOL64 = 1e-9, 1e-9
MAX_ROWS, MAX_FEATURES, MAX_KNOTS = 10_000, 100, 100  # the contract's bounds (exercises/linreg.py)
RATES = (1e-6, 1e3)  # the learning rates of the contract
MAX_PARAMS, MAX_PARAM_VALUES = 12, 10_000  # a parameter list: how long, how large each one


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
    return _in(tensor, dtype)


def _in(values: torch.Tensor, dtype) -> torch.Tensor:
    """float64 values in `dtype`: rounded to float32 for float32; as they are for float64, so
    that float64 inputs hold digits float32 cannot."""
    return values.to(dtype)


ROWS = st.one_of(st.integers(1, 12), st.integers(13, 300), st.integers(301, 3000))


@st.composite
def sizes(draw):
    """(n, k): n data points (1 to thousands), k features (1 to tens; at most 4 beside
    thousands of rows, to keep each call small), with n != k so that a transposed product
    shows."""
    n = draw(ROWS)
    features = st.one_of(st.integers(1, 4), st.integers(5, 40)) if n <= 300 else st.integers(1, 4)
    k = draw(features.filter(lambda k: k != n))
    return n, k


@dataclass
class Problem:
    """A small regression problem (the worker makes weights and bias leaves that require grad)."""

    x: torch.Tensor  # (n, k)
    weights: torch.Tensor  # (k, 1)
    bias: torch.Tensor  # (1,)
    y_true: torch.Tensor  # (n, 1)

    def y_hat(self):
        """The model's predictions, computed here (in float64) rather than by the learner's predict."""
        return self.x.double() @ self.weights.double() + self.bias.double()


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
def backward_cases(draw):
    """(problem, upstream, parameter, layout): a problem; an upstream gradient u (n, 1) of its
    dtype, never all zero, to send back through the prediction; whether the weights and bias
    are nn.Parameter; how x lies in memory (a key of LAYOUTS)."""
    problem = draw(problems())
    upstream = draw(tensors((problem.x.shape[0], 1), problem.x.dtype)) + 1
    return problem, upstream, draw(st.booleans()), draw(st.sampled_from(list(LAYOUTS)))


@st.composite
def pairs(draw):
    """(y_true, y_pred), both (n, 1), of one random dtype."""
    n, _ = draw(sizes())
    dtype = draw(st.sampled_from(DTYPES))
    return draw(tensors((n, 1), dtype)), draw(tensors((n, 1), dtype))


# Where x may lie: the scaled years, and far to either side.
X_RANGES = st.sampled_from([(-1.0, 2.0), (-10.0, 10.0), (-200.0, 500.0)])


@st.composite
def hinge_inputs(draw):
    """(x, knots): x (n, 1) in one of X_RANGES, and 1 to MAX_KNOTS knots below, inside or
    above the data."""
    n, _ = draw(sizes())
    dtype = draw(st.sampled_from(DTYPES))
    low, high = draw(X_RANGES)
    x = draw(tensors((n, 1), dtype, Values(low, high)))
    span = high - low
    knot = st.floats(low - span / 2, high + span / 2, width=32)
    knots = draw(st.lists(knot, min_size=1, max_size=draw(st.sampled_from([4, MAX_KNOTS]))))
    return x, knots


@st.composite
def parameter_lists(draw, elements: Values = VALUES):
    """(values, grads): 1 to MAX_PARAMS parameters of different shapes (columns, matrices,
    numbers, up to 4 dimensions) and a gradient for each."""
    dtype = draw(st.sampled_from(DTYPES))
    shape = st.sampled_from(
        [(1,), (3, 1), (2, 1), (1, 1), (17, 1), (2, 3), (), (40, 1), (2, 2, 2), (1, 3, 1, 2)]
    )
    shapes = draw(st.lists(shape, min_size=1, max_size=MAX_PARAMS))
    values = [draw(tensors(shape, dtype, elements)) for shape in shapes]
    return values, [draw(tensors(shape, dtype)) for shape in shapes]


# From tiny to large: a few usual rates, the contract's ends, and any rate between them.
LEARNING_RATES = st.one_of(
    st.sampled_from([0.5, 0.1, 0.01, 1.0, 0.03, *RATES]),
    st.builds(lambda mantissa, power: mantissa * 10.0**power, st.floats(1, 9.99), st.integers(-6, 2)),
)


def listed(values, most: int = 6) -> str:
    """A tensor's values as a short list for a message: the first few, and how many in all."""
    flat = values.detach().double().flatten().tolist()
    shown = ", ".join(f"{v:.6g}" for v in flat[:most])
    return f"[{shown}]" if len(flat) <= most else f"[{shown}, ... ({len(flat)} values)]"


def shape_of(value) -> str:
    """A short description of a returned value, for messages."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)}"
    return f"a {type(value).__name__} ({value!r})"


def agree(
    actual: torch.Tensor, expected: torch.Tensor, scale=0.0, float64=False, relative=False
) -> torch.Tensor:
    """Elementwise, whether two tensors of the same shape agree, allowing for float32
    rounding (only for float64's, with `float64`: the inputs were float64): `scale` (a
    number, or a tensor of expected's shape) is the size of the terms each expected value
    sums, where they may cancel out. With `relative`, no absolute slack: tiny values are
    judged as closely as large ones (where `scale` holds every term's size)."""
    actual, expected = actual.double(), expected.double()
    rtol, atol = (RTOL64, ATOL64) if float64 else (RTOL, ATOL)
    tolerance = (0.0 if relative else atol) + rtol * (
        torch.as_tensor(scale, dtype=torch.float64) + expected.abs()
    )
    return ((actual - expected).abs() <= tolerance) | (actual == expected)


def close(actual, expected, scale=0.0, float64: bool = False, relative: bool = False) -> bool:
    """Whether `actual` is a tensor of expected's shape that agrees with it everywhere."""
    if not isinstance(actual, torch.Tensor) or actual.shape != expected.shape:
        return False
    return bool(agree(actual, expected, scale, float64, relative).all())


def first_disagreement(
    actual, expected, scale=0.0, float64: bool = False, relative: bool = False
) -> int | None:
    """The first row (flat index) where two tensors of the same shape disagree, or None."""
    wrong = (~agree(actual, expected, scale, float64, relative)).flatten().nonzero()
    return int(wrong[0]) if len(wrong) else None


# --- many calls in a row ------------------------------------------------------------------
# The checks that call a function many times in one worker (so that what it keeps from one
# call to the next shows) walk this table of sizes, so that every corner of the contract is
# met: (rows, features) from one row to thousands, from one feature to tens, each size in
# float32 and float64.
# Square sizes (n == k) too: a product taken the wrong way round has the right shape there.
SERIES_SIZES = [
    (n, k)
    for n in (1, 2, 3, 4, 7, 9, 12, 13, 40, 100, 143, 300, 1000, 3000, MAX_ROWS)
    for k in (1, 2, 4, 9, 30, MAX_FEATURES)
    if (n <= 300 or k <= 4) and (n < MAX_ROWS or k <= 2)
]
SERIES_LENGTH = len(SERIES_SIZES)
SCALES = (10.0, 1e3, 1e6, 1e-3, 1.0)  # the size of the values, in turn (5: not in step with the dtypes)


def series(seed: int):
    """(index, n, k, dtype, scale, generator) for each call of a series, in a fixed order: the
    sizes of SERIES_SIZES, float32 and float64 in turn (so each number of rows comes in both),
    values of each size of SCALES in turn, each call with a generator of its own."""
    for index, (n, k) in enumerate(SERIES_SIZES):
        dtype, scale = DTYPES[index % 2], SCALES[index % len(SCALES)]
        yield index, n, k, dtype, scale, torch.Generator().manual_seed(seed * 100_003 + index)


@dataclass(frozen=True)
class Condition:
    """How a call is made: with autograd recording ("grad"), under torch.no_grad() or under
    torch.inference_mode(); parameters as torch.nn.Parameter; inputs laid out in memory one
    of LAYOUTS' ways; inputs computed (x requiring grad, weights and bias the results of an
    operation, as a view of a parameter is). The contract holds in every one."""

    mode: str = "grad"
    parameter: bool = False
    layout: str = ""
    computed: bool = False

    def words(self) -> str:
        """How the call was made, for messages ("" for a plain call)."""
        parts = [MODE_WORDS[self.mode].strip()] * bool(MODE_WORDS[self.mode])
        parts += ["parameters as nn.Parameter"] * self.parameter
        parts += [f"inputs laid out in memory {LAYOUTS[self.layout]}"] * bool(self.layout)
        parts += ["inputs computed from tensors that require grad"] * self.computed
        return f" ({', '.join(parts)})" if parts else ""


# How a tensor may lie in memory (kata.worker.serve.LAYOUTS), in words.
LAYOUTS = {
    "": "contiguously",
    "gaps": "with gaps (every other element)",
    "offset": "at an offset in a longer buffer (a slice)",
    "column_major": "column by column (a transpose)",
    "stride0": "with stride 0 where a size is 1 (as expand leaves it)",
}
CONDITIONS = tuple(
    Condition(mode, parameter, layout, computed)
    for mode in ("grad", "no_grad", "inference")
    for parameter in (False, True)
    for layout in LAYOUTS
    for computed in (False, True)
)


def conditions(seed: int, count: int) -> list[Condition]:
    """A condition for each call of a series: the plain one first, then every one in turn,
    in an order drawn from `seed`."""
    order = list(CONDITIONS[1:])
    random.Random(seed).shuffle(order)
    return [CONDITIONS[0], *(order[i % len(order)] for i in range(count - 1))][:count]


def uniform(gen, shape, dtype, low: float = -10.0, high: float = 10.0) -> torch.Tensor:
    """Values uniform in [low, high], in `dtype` (float64 values hold digits float32 cannot)."""
    return _in(low + (high - low) * torch.rand(shape, generator=gen, dtype=torch.float64), dtype)
