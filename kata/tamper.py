"""Detect a submission that changes the grader's tools: torch, pytest, hypothesis, the kata.

Before the submission is imported, the grading process notes the identity of every
function and class in the modules it relies on (about 30,000, in 20 ms); a later snapshot
shows any that were replaced.
"""

import sys
import types
import warnings

WATCHED = (
    "torch",
    "numpy",
    "pytest",
    "_pytest",
    "pluggy",
    "hypothesis",
    "kata",
    "tests",
    "conftest",
    "builtins",
    "math",
    "operator",
    "functools",
)
CLASSES = ("torch.Tensor", "torch._C.TensorBase")


def _entries(owner: str, namespace: dict) -> dict:
    return {
        (owner, attr): id(value)
        for attr, value in list(namespace.items())
        if callable(value) or isinstance(value, types.ModuleType)
    }


def snapshot() -> dict:
    """(module or class, attribute) -> identity, for the callables the grader relies on."""
    noted = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, module in list(sys.modules.items()):
            if module is not None and name.split(".", 1)[0] in WATCHED:
                noted.update(_entries(name, getattr(module, "__dict__", {})))
        for dotted in CLASSES:
            module_name, _, cls_name = dotted.rpartition(".")
            cls = getattr(sys.modules.get(module_name), cls_name, None)
            if cls is not None:
                noted.update(_entries(dotted, dict(vars(cls))))
    return noted


def changes(before: dict, after: dict) -> list[str]:
    """The names that were replaced or removed since `before`."""
    return sorted(
        f"{owner}.{attr}" for (owner, attr), ident in before.items() if after.get((owner, attr)) != ident
    )
