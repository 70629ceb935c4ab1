"""The step manifest (kata/steps.toml), read once and shared by tests and commands.

The reader is strict: an unknown key, a missing one or a wrong type is an error that
names it, as rustlings' info.toml reader does.
"""

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_FILE = Path(__file__).with_name("steps.toml")
FORMAT_VERSION = 2


class ManifestError(ValueError):
    """steps.toml does not say what this reader expects."""


@dataclass(frozen=True)
class Step:
    """One step of the kata, as described in steps.toml."""

    number: int
    title: str
    model: str
    functions: tuple[str, ...]
    features: str  # "x" or "hinge"
    loss: str  # "mse" or "mae"
    train_bias: bool
    band: tuple[float, float]
    points: int
    hint: str
    knots: tuple[float, ...] = ()

    @property
    def marker(self) -> str:
        """The pytest marker that selects this step's checks: `pytest -m step2`."""
        return f"step{self.number}"

    @property
    def fit_functions(self) -> tuple[str, ...]:
        """The learner's functions that this step's fit calls."""
        extra = ("hinge_features",) if self.features == "hinge" else ()
        return extra + ("predict", self.loss, "step", "zero_grads")


@dataclass(frozen=True)
class Limits:
    """What a learner's code may take (the [limits] table)."""

    seconds_per_call: float
    seconds_per_fit: float
    seconds_to_import: float
    seconds_per_submission: float
    hidden_fit_iterations: int
    memory_mb: int
    cpu_seconds: int
    file_mb: int
    processes: int

    def worker_limits(self) -> dict:
        """The resource limits a worker applies to itself (kata.worker.confine)."""
        return {
            "memory_bytes": self.memory_mb << 20,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_mb << 20,
            "processes": self.processes,
        }


def _build(cls, table: dict, where: str):
    known = {f.name: f for f in fields(cls)}
    unknown = set(table) - set(known)
    if unknown:
        raise ManifestError(f"{where}: unknown keys {sorted(unknown)}")
    values = {}
    for name, f in known.items():
        if name not in table:
            if f.default is not f.default_factory:  # has a default
                continue
            raise ManifestError(f"{where}: missing key {name!r}")
        value = table[name]
        values[name] = tuple(value) if isinstance(value, list) else value
    if cls is Step:
        values["hint"] = values["hint"].strip()
    return cls(**values)


def _load() -> tuple[dict, tuple[Step, ...], Limits]:
    raw = tomllib.loads(MANIFEST_FILE.read_text(encoding="utf-8"))
    if raw.get("format_version") != FORMAT_VERSION:
        raise ManifestError(f"steps.toml: format_version must be {FORMAT_VERSION}")
    unknown = set(raw) - {"format_version", "max_num_iter", "limits", "step"}
    if unknown:
        raise ManifestError(f"steps.toml: unknown keys {sorted(unknown)}")
    steps = tuple(_build(Step, s, f"step {i + 1}") for i, s in enumerate(raw["step"]))
    return raw, steps, _build(Limits, raw["limits"], "[limits]")


_RAW, STEPS, LIMITS = _load()
MAX_NUM_ITER: int = _RAW["max_num_iter"]
FUNCTIONS: tuple[str, ...] = tuple(f for s in STEPS for f in s.functions)
TOTAL_POINTS: int = sum(s.points for s in STEPS)


def get_step(number: int) -> Step:
    """The step with this number (1-based)."""
    for s in STEPS:
        if s.number == number:
            return s
    raise KeyError(f"there is no step {number}; steps are {[s.number for s in STEPS]}")


def step_introducing(function: str) -> Step:
    """The step in which the learner writes `function`."""
    for s in STEPS:
        if function in s.functions:
            return s
    raise KeyError(f"no step introduces {function!r}; functions are {FUNCTIONS}")
