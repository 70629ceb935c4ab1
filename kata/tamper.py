"""Detect a submission that changes the grader's tools: torch, pytest, hypothesis, the kata.

Before the submission is imported, the grading process notes the identity of every
function, class and module in the modules it relies on, and the methods and properties of
the classes that pytest, hypothesis and the kata define (about 35,000 entries, in 20 ms); a
later snapshot shows any that were replaced, removed, or (on those classes) added.
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
# The methods of the classes defined in these are noted too, and added ones count.
CLASS_OWNERS = ("pytest", "_pytest", "pluggy", "hypothesis", "kata", "tests", "conftest")
CLASSES = ("torch.Tensor", "torch._C.TensorBase")
CLASS = "class "  # the prefix of the owners that are classes
# Checked after every test; the rest after the import and at the end of the run.
HOT = (
    "torch",
    "torch.nn.functional",
    "torch.autograd",
    "torch.autograd.functional",
    "builtins",
    "math",
    "pytest",
    "_pytest.runner",
    "_pytest.reports",
    "_pytest.python",
    "_pytest.outcomes",
    "hypothesis",
    "hypothesis.core",
    "conftest",
)
HOT_PACKAGES = ("kata", "tests")


DESCRIPTORS = (property, classmethod, staticmethod, types.ModuleType)


def _functions(owner: str, namespace: dict) -> dict:
    """(owner, name) -> identity of the functions, classes, descriptors and modules in it."""
    return {
        (owner, attr): id(value)
        for attr, value in namespace.items()
        if callable(value) or isinstance(value, DESCRIPTORS)
    }


def _methods(cls: type, name: str) -> dict:
    return _functions(CLASS + name, dict(vars(cls)))


def _is_hot(name: str) -> bool:
    return name in HOT or name.split(".", 1)[0] in HOT_PACKAGES


def snapshot(hot_only: bool = False) -> dict:
    """(owner, attribute) -> identity, for what the grader relies on.

    `hot_only` notes only the modules the checks call most (about 3 ms, for every test).
    """
    noted = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, module in list(sys.modules.items()):
            top = name.split(".", 1)[0]
            if module is None or top not in WATCHED or (hot_only and not _is_hot(name)):
                continue
            namespace = dict(getattr(module, "__dict__", {}))
            noted.update(_functions(name, namespace))
            if top in CLASS_OWNERS:
                for cls_name, cls in namespace.items():
                    if isinstance(cls, type) and cls.__module__ == name:
                        noted.update(_methods(cls, f"{name}.{cls_name}"))
        for dotted in CLASSES:
            module_name, _, cls_name = dotted.rpartition(".")
            cls = getattr(sys.modules.get(module_name), cls_name, None)
            if cls is not None:
                noted.update(_methods(cls, dotted))
    return noted


def describe(replaced: list[str]) -> str:
    """The reason a grade gives for what a submission replaced."""
    return "the submission replaced " + ", ".join(replaced[:5])


def restrict(before: dict, now: dict) -> dict:
    """The part of `before` about the owners that `now` covers."""
    owners = {owner for owner, _ in now}
    return {key: ident for key, ident in before.items() if key[0] in owners}


def changes(before: dict, after: dict) -> list[str]:
    """What was replaced or removed since `before`, and what was added to a noted class."""
    classes = {owner for owner, _ in before if owner.startswith(CLASS)}
    changed = {
        f"{owner}.{attr}" for (owner, attr), ident in before.items() if after.get((owner, attr)) != ident
    }
    added = {f"{owner}.{attr}" for (owner, attr) in after.keys() - before.keys() if owner in classes}
    return sorted(name.removeprefix(CLASS) for name in changed | added)
