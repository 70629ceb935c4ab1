"""The kata's pytest options, loaded before anything else (a `pytest11` entry point, and
conftest.py where the kata is not installed). Nothing heavy is imported here.

pytest decides its root folder from the paths on its command line before it knows the
kata's options, so `pytest --impl /elsewhere/linreg.py` would take /elsewhere for the
root and never find the kata. When that happens, pytest is started again with the same
options, `--impl=PATH` in one piece and the kata's own folder as root (kata.plugin then
runs the kata's tests, wherever pytest was started).
"""

import os
import sys

import pytest

from kata.manifest import ROOT

RESTARTED = "KATA_PYTEST_ROOT"  # set when pytest was started again, with this kata's folder as root
IMPL_HELP = "code under test: exercises (default), solutions, or a path to a linreg.py (or its folder)"


def pytest_addoption(parser):
    parser.addoption("--impl", default="exercises", help=IMPL_HELP)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if early_config.rootpath.resolve() == ROOT.resolve() or os.environ.get(RESTARTED) == str(ROOT):
        return  # (once restarted, never again: two checkouts must not hand pytest to and fro)
    original = list(early_config.invocation_params.args)
    if not any(a == "--impl" or a.startswith("--impl=") for a in original):
        return  # not a kata run (or a kata run from elsewhere without --impl): leave it alone
    args = joined_impl(original)
    if not parser.parse_known_args(args).file_or_dir:
        args.append(str(ROOT / "tests"))
    root = [f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"), "-p", "kata.plugin"]
    capture = early_config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.stop_global_capturing()  # give the new pytest the real stdout and stderr
    sys.stdout.flush()
    os.environ[RESTARTED] = str(ROOT)
    # -P: the kata imported from where it is installed, not from the current folder
    os.execv(sys.executable, [sys.executable, "-P", "-m", "pytest", *root, *args])


def joined_impl(args: list[str]) -> list[str]:
    """The arguments with `--impl PATH` written as `--impl=PATH` (an absolute path)."""
    out, i = [], 0
    while i < len(args):
        if args[i] == "--impl" and i + 1 < len(args):
            out.append(f"--impl={_absolute(args[i + 1])}")
            i += 2
            continue
        if args[i].startswith("--impl="):
            out.append(f"--impl={_absolute(args[i].removeprefix('--impl='))}")
        else:
            out.append(args[i])
        i += 1
    return out


def _absolute(value: str) -> str:
    return value if value in ("exercises", "solutions") else os.path.abspath(value)
