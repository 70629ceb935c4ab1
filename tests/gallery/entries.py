"""The gallery's entries as whole submissions, for the gallery's test and tools/benchmark.py.

right/NAME.py     a whole, correct linreg.py
wrong/NAME.py     one mistake; headers `# wrong: FUNCTION` and `# diagnosis: TEXT`; the rest
                  comes from the reference (`from solutions.linreg import *`)
attacks/NAME.py   tries to score without correct code; headers `# attack: CLASS` and
                  `# expect: POINTS` (and `# needs: sandbox` when it is only safe to run,
                  or only held to its points, where workers get their namespaces, Landlock
                  and limits: the portable workers' run leaves it out; `# graded: apart` when
                  it attacks the run itself and is graded in a run of its own); it is put
                  after the generated stubs (after the reference with `# on: reference`), so
                  it holds only what it adds or replaces
"""

import os
from pathlib import Path

from kata.manifest import ROOT
from kata.worker import confine

GALLERY = Path(__file__).parent
RIGHT = sorted((GALLERY / "right").glob("*.py"))
WRONG = sorted((GALLERY / "wrong").glob("*.py"))
ATTACKS = sorted((GALLERY / "attacks").glob("*.py"))
REFERENCE = ROOT / "solutions" / "linreg.py"
STUBS = ROOT / "exercises" / "linreg.py"
IMPORT_REFERENCE = "from solutions.linreg import *"


def sandbox_available() -> bool:
    """Whether a worker here gets its own namespaces and Landlock with signal scoping (ABI 6)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if confine.leave_host_namespaces() and confine.landlock_abi() >= 6 else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def headers(path: Path) -> dict[str, str]:
    """The `# key: value` lines at the top of an entry."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.removeprefix("# ").partition(": ")
        if not line.startswith("# ") or not sep or " " in key:
            break
        found[key] = value.strip()
    return found


# Attacks on the run itself (a busy neighbour, a kill in the middle of a record) are graded
# apart, beside a correct submission with a short --timeout (tests/selfcheck/test_grading.py).
APART = [a for a in ATTACKS if headers(a).get("graded") == "apart"]
RUNNABLE_ATTACKS = [
    a for a in ATTACKS if a not in APART and (headers(a).get("needs") != "sandbox" or sandbox_available())
]


# What the portable workers' check in CI grades again (the whole gallery: tools/regrade.py
# --portable): right entries of four styles, a mistake of each function, and the attacks on
# the protocol and the reports, which is where the two ways of starting a worker differ.
PORTABLE_RIGHT = {"border_settings", "functional", "modules", "optim_sgd"}
PORTABLE_ATTACKS = {
    "escape_sequences_in_messages",
    "forge_records_on_every_fd",
    "hidden_inputs_in_error_messages",
    "huge_exception_names",
    "predict_no_bias_without_autograd",
    "pytest_exit_at_import",
    "step_momentum_after_100_updates",
}


def portable_sample(entries) -> list[Path]:
    """The entries of PORTABLE_ATTACKS' comment, among `entries` (gallery files)."""
    kept, seen = [], {}
    for entry in entries:
        kind = entry.parent.name
        function = entry.stem.split("_")[0]
        if kind == "wrong":
            seen[function] = seen.get(function, 0) + 1
        if (
            kind == "exercises"
            or kind == "right"
            and entry.stem in PORTABLE_RIGHT
            or kind == "wrong"
            and seen[function] == 1
            or entry.stem in PORTABLE_ATTACKS
        ):
            kept.append(entry)
    return kept


def whole_submission(entry: Path, folder: Path) -> Path:
    """A wrong entry as one standalone linreg.py: the reference, then the entry's mistake."""
    mistake = [
        line
        for line in entry.read_text(encoding="utf-8").splitlines()
        if not line.startswith(IMPORT_REFERENCE)
    ]
    path = folder / entry.name
    path.write_text(REFERENCE.read_text(encoding="utf-8") + "\n\n" + "\n".join(mistake) + "\n")
    return path


def attack_submission(entry: Path, folder: Path) -> Path:
    """An attack as one standalone linreg.py: the learner's stubs (or, with `# on: reference`,
    the reference, for an attack on one function among correct ones), then the attack."""
    base = REFERENCE if headers(entry).get("on") == "reference" else STUBS
    path = folder / entry.name
    path.write_text(base.read_text(encoding="utf-8") + "\n\n" + entry.read_text(encoding="utf-8"))
    return path
