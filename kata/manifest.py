"""The step manifest (kata/steps.toml), read once and shared by tests and commands."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST_FILE = Path(__file__).with_name("steps.toml")


@dataclass(frozen=True)
class Step:
    """One step of the kata, as described in steps.toml."""

    number: int
    title: str
    model: str
    functions: tuple[str, ...]
    features: str
    loss: str
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


def _load() -> tuple[dict, tuple[Step, ...]]:
    raw = tomllib.loads(MANIFEST_FILE.read_text(encoding="utf-8"))
    steps = tuple(
        Step(
            number=s["number"],
            title=s["title"],
            model=s["model"],
            functions=tuple(s["functions"]),
            features=s["features"],
            loss=s["loss"],
            train_bias=s["train_bias"],
            band=tuple(s["band"]),
            points=s["points"],
            hint=s["hint"].strip(),
            knots=tuple(s.get("knots", ())),
        )
        for s in raw["step"]
    )
    return raw, steps


_RAW, STEPS = _load()
MAX_NUM_ITER: int = _RAW["max_num_iter"]
FUNCTIONS: tuple[str, ...] = tuple(f for s in STEPS for f in s.functions)


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
