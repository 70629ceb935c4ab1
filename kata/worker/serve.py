"""The worker's loop: confine this process, import the learner's linreg.py, answer probes.

Runs on one socket (fd 3). The first request loads the submission:
    {"load": {"path", "source", "raw", "functions", "protected", "public", "limits"}}
and is answered with {"confinement": {...}} and then {"imported": ...}; every later
request is {"probe": NAME, "args": {...}} and gets one reply (kata.worker.protocol).
"""

import base64
import json
import linecache
import numbers
import os
import sys
import tempfile
import traceback
import types
from pathlib import Path

import torch

from kata.worker import confine
from kata.worker.probes import LearnerError, Probes
from kata.worker.protocol import Status, decode_tensor, encode_line


def serve(channel: int, scratch: str, namespaces: bool) -> None:
    """Answer requests on `channel` until it closes."""
    reader = os.fdopen(channel, "rb", buffering=1 << 16, closefd=False)
    load = json.loads(reader.readline())["load"]
    confinement = _confine(load, scratch, namespaces)
    _send(channel, {"confinement": confinement})
    module, error = _import(load["path"], load["source"], base64.b64decode(load["raw"]))
    probes = Probes(module) if module else None
    _send(channel, _import_report(module, error, load["functions"]))
    for line in reader:
        request = json.loads(line)
        _send(channel, _answer(probes, request, load["path"]))


def _send(channel: int, message: dict) -> None:
    data = encode_line(message)
    while data:
        data = data[os.write(channel, data) :]


def _confine(load: dict, scratch: str, namespaces: bool) -> dict:
    """Limits and Landlock, before any learner code runs; what was applied."""
    limits = load["limits"]
    private = namespaces and confine.private_scratch(scratch, limits["file_bytes"])
    for name in ("HOME", "TMPDIR", "MPLCONFIGDIR", "TORCHINDUCTOR_CACHE_DIR", "XDG_CACHE_HOME"):
        os.environ[name] = scratch
    tempfile.tempdir = scratch  # the zygote's cached choice would point outside the sandbox
    os.chdir(scratch)
    confine.limit_resources(
        limits["memory_bytes"], limits["cpu_seconds"], limits["file_bytes"], limits["processes"]
    )
    protected = [Path(p) for p in load["protected"]]
    readable = confine.readable_paths(protected) + [Path(p) for p in load["public"] if os.path.exists(p)]
    try:
        abi = confine.landlock(readable, [Path(scratch)])
    except OSError as error:
        abi, problem = 0, str(error)
    else:
        problem = "" if abi else "this kernel has no Landlock"
    return {"namespaces": namespaces, "private_scratch": private, "landlock": abi, "problem": problem}


def _import(path: str, source: str, raw: bytes):
    """The learner's module, or (None, error report) when it does not import. It is compiled
    from the file's bytes, so that its encoding is read as Python's import reads it; `source`
    (the text) only gives the lines that messages show."""
    lines = source.splitlines(keepends=True)
    linecache.cache[path] = (len(source), None, lines, path)
    module = types.ModuleType("linreg")
    module.__file__ = path
    sys.modules["linreg"] = module
    try:
        exec(compile(raw, path, "exec"), module.__dict__)  # noqa: S102 - the learner's code, confined
    except BaseException as error:  # noqa: BLE001 - SystemExit and friends too
        return None, _error_report(error, path)
    return module, None


def _import_report(module, error, functions: list[str]) -> dict:
    if module is None:
        return {"imported": False, "error": error}
    missing = [name for name in functions if not callable(getattr(module, name, None))]
    settings = getattr(module, "FIT_SETTINGS", None)
    try:
        settings = json.loads(json.dumps(settings, default=_plain_number))
    except (TypeError, ValueError):
        settings = {"unreadable": repr(settings)[:200]}
    return {
        "imported": True,
        "missing": missing,
        "settings": settings,
    }


def _plain_number(value):
    """A NumPy or 0-d torch number in FIT_SETTINGS as a Python int or float."""
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) or (isinstance(value, torch.Tensor) and value.numel() == 1):
        number = value.item() if hasattr(value, "item") else float(value)
        return int(number) if isinstance(number, int) else float(number)
    raise TypeError(f"{type(value).__name__} is not a number")


def _decode_arg(value):
    """Request arguments: tagged tensors (with "leaf": true, a leaf that requires grad),
    lists of them, or plain JSON."""
    if isinstance(value, dict) and "tensor" in value:
        tensor = decode_tensor(value["tensor"], torch)
        return tensor.requires_grad_() if value.get("leaf") else tensor
    if isinstance(value, list):
        return [_decode_arg(v) for v in value]
    return value


def _answer(probes, request: dict, path: str) -> dict:
    if probes is None:
        return {
            "status": Status.RAISED,
            "function": None,
            "error": {"type": "ImportError", "message": "the module did not import"},
        }
    try:
        args = {name: _decode_arg(value) for name, value in request["args"].items()}
        reply = getattr(probes, request["probe"])(**args)
    except LearnerError as error:
        status = Status.NOT_WRITTEN if isinstance(error.error, NotImplementedError) else Status.RAISED
        return {"status": status, "function": error.function, "error": _error_report(error.error, path)}
    except BaseException as error:  # noqa: BLE001 - e.g. SystemExit from the learner's code
        return {"status": Status.RAISED, "function": None, "error": _error_report(error, path)}
    return {"status": Status.RETURNED, **reply}


def _error_report(error: BaseException, path: str) -> dict:
    """An exception as text: type, message, and the learner's frames (file, line, source)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    if isinstance(error, SyntaxError) and error.filename == path:
        frames.append(traceback.FrameSummary(path, error.lineno or 0, "<module>", line=error.text or ""))
    report = {"type": type(error).__name__, "message": str(error)[:1000]}
    if frames:
        last = frames[-1]
        report |= {"line": last.lineno, "source": (last.line or "").strip(), "in": last.name}
        report["traceback"] = "".join(traceback.format_list(frames))[-2000:]
    return report
