"""Finding and loading the code under test: the learner's `linreg.py`."""

import importlib.util
from pathlib import Path
from types import ModuleType

import torch

from kata.guard import NotReturning, guard
from kata.manifest import FUNCTIONS, ROOT

NAMED_IMPLS = {
    "exercises": ROOT / "exercises" / "linreg.py",
    "solutions": ROOT / "solutions" / "linreg.py",
}


class ImplError(RuntimeError):
    """The code under test cannot be found or imported."""


def resolve(impl: str | Path) -> Path:
    """`exercises`, `solutions`, a linreg.py file, or a directory holding one -> the file."""
    path = NAMED_IMPLS.get(str(impl), Path(impl))
    if path.is_dir():
        path = path / "linreg.py"
    if not path.is_file():
        raise ImplError(
            f"no linreg.py at {path}. Pass --impl exercises, --impl solutions, "
            "a path to a linreg.py, or a directory holding one."
        )
    return path.resolve()


def load(impl: str | Path = "exercises") -> ModuleType:
    """Import the learner's linreg.py as a fresh module."""
    path = resolve(impl)
    spec = importlib.util.spec_from_file_location("linreg_under_test", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as error:
        raise ImplError(f"importing {path} failed: {type(error).__name__}: {error}") from error
    missing = [name for name in (*FUNCTIONS, "FIT_SETTINGS") if not hasattr(module, name)]
    if missing:
        raise ImplError(f"{path} does not define {', '.join(missing)}")
    guard(module, FUNCTIONS)
    return module


def _probe_calls():
    """One tiny, valid call per function, to find out whether it is still a stub."""
    x = torch.zeros(2, 1)
    weights = torch.zeros(1, 1, requires_grad=True)
    bias = torch.zeros(1, requires_grad=True)

    def with_grads():
        params = [torch.zeros(1, 1, requires_grad=True), torch.zeros(1, requires_grad=True)]
        for p in params:
            p.grad = torch.ones_like(p)
        return params

    return {
        "predict": lambda m: m.predict(x, weights, bias),
        "mse": lambda m: m.mse(x, x),
        "mae": lambda m: m.mae(x, x),
        "step": lambda m: m.step(with_grads(), 0.1),
        "zero_grads": lambda m: m.zero_grads(with_grads()),
        "hinge_features": lambda m: m.hinge_features(x, [0.0]),
    }


def unwritten(module: ModuleType) -> set[str]:
    """The names of the functions that still raise NotImplementedError."""
    stubs = set()
    for name, call in _probe_calls().items():
        try:
            call(module)
        except NotImplementedError:
            stubs.add(name)
        except (Exception, NotReturning):  # written, but wrong: its own checks will say how
            pass
    return stubs
