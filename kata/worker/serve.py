"""The worker's loop: confine this process, import the learner's linreg.py, answer probes.

Reads requests and writes answers on the descriptors it is given: one socket for a worker
forked by the zygote (kata.worker.zygote), a pair of pipes for one started on its own
(kata.worker.start). The first request loads the submission:
    {"load": {"path", "source", "raw", "functions", "protected", "public", "limits"}}
and is answered with {"confinement": {...}} and then {"imported": ...}; every later
request is {"probe": NAME, "args": {...}} and gets one reply (kata.worker.protocol).
"""

import base64
import gc
import hashlib
import linecache
import math
import numbers
import os
import random
import sys
import tempfile
import traceback
import types
from collections.abc import Mapping
from pathlib import Path

import numpy
import torch

from kata.worker import confine, profiling
from kata.worker.probes import LearnerError, Probes
from kata.worker.protocol import Status, attachment_size, decode_frame, decode_tensor, encode_frame


def serve(requests: int, answers: int, scratch: str, namespaces: bool) -> None:
    """Answer the requests read from `requests` on `answers`, until `requests` closes."""
    reader = os.fdopen(requests, "rb", buffering=1 << 16, closefd=False)
    profile = profiling.start()  # None unless the grader's environment asks for it
    load = _read(reader)["load"]
    confinement = _confine(load, scratch, namespaces)
    _send(answers, {"confinement": confinement})
    _make_chance_repeatable(load["raw"])
    module, error = _import(load["path"], load["source"], base64.b64decode(load["raw"]))
    probes = Probes(module) if module else None
    _send(answers, _import_report(module, error, load["functions"]))
    while request := _read(reader):
        _send(answers, _answer(probes, request, load["path"]))
        if profile:
            profile.save()


def _read(reader) -> dict:
    """The next request, or {} once the checking side has closed the stream."""
    line = reader.readline().removesuffix(b"\n")
    if not line:
        return {}
    return decode_frame(line, reader.read(attachment_size(line)))


def warm_up() -> None:
    """Run autograd once, before any learner code, so that no check pays for its first use
    (the probes never give backward() a gradient: see Probes.backward)."""
    x = torch.linspace(0, 1, 4).reshape(4, 1)
    params = [torch.zeros(1, 1, requires_grad=True), torch.zeros(1, requires_grad=True)]
    (x @ params[0] + params[1]).sum().backward()
    for loss in (lambda r: (r**2).mean(), lambda r: r.abs().mean()):
        loss(x @ params[0] + params[1] - x.clamp_min(0.5)).backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
                p.grad = None
    gc.freeze()  # torch's objects stay: the collector never walks them again (nor copies them, forked)


def _make_chance_repeatable(raw: str) -> None:
    """Seed the generators a submission may draw from (random, NumPy's, torch's) from its own
    bytes: a file that draws numbers gets the same ones on every run, so the same points."""
    seed = int.from_bytes(hashlib.sha256(raw.encode("ascii")).digest()[:4], "big")
    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)


def _send(channel: int, message: dict) -> None:
    data = encode_frame(message)
    while data:
        data = data[os.write(channel, data) :]


def _confine(load: dict, scratch: str, namespaces: bool) -> dict:
    """Limits and Landlock, before any learner code runs; what was applied."""
    limits = load["limits"]
    private = namespaces and confine.private_scratch(scratch, limits["file_bytes"])
    for name in ("HOME", "TMPDIR", "TEMP", "TMP", "MPLCONFIGDIR", "TORCHINDUCTOR_CACHE_DIR"):
        os.environ[name] = scratch
    os.environ["XDG_CACHE_HOME"] = scratch
    tempfile.tempdir = scratch  # the zygote's cached choice would point outside the sandbox
    os.chdir(scratch)
    limited = confine.limit_resources(
        limits["memory_bytes"], limits["cpu_seconds"], limits["file_bytes"], limits["processes"]
    )
    protected = [Path(p) for p in load["protected"]]
    readable = confine.readable_paths(protected) + [Path(p) for p in load["public"] if os.path.exists(p)]
    alone = private and confine.only_these_exist([p for p in readable if not _in_proc(p)], scratch)
    if alone:  # the folders of the public files hold nothing else now: they may be listed
        os.chdir(scratch)
        readable += sorted({Path(p).parent for p in load["public"] if os.path.exists(p)})
    try:
        abi = confine.landlock(readable, [Path(scratch)])
    except OSError as error:
        abi, problem = 0, str(error)
    else:
        problem = "" if abi else "this system has no Landlock"
    return {
        "namespaces": namespaces,
        "private_scratch": private,
        "own_root": alone,
        "landlock": abi,
        "problem": problem,
        "limits": limited,
    }


def _in_proc(path: Path) -> bool:
    return path.parts[:2] == ("/", "proc")


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
    try:
        settings = _plain(getattr(module, "FIT_SETTINGS", None))
    except Exception:  # noqa: BLE001 - a mapping whose items() raises, say
        settings = None
    return {
        "imported": True,
        "missing": missing,
        "settings": settings,
    }


def _plain(value, depth: int = 0):
    """FIT_SETTINGS as plain data: any mapping becomes a dict with string keys; NumPy and 0-d
    torch numbers become Python numbers; an integer too large for a float becomes +-inf (the
    checking side says what is wrong with it); anything else becomes its type's name."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value if not isinstance(value, str) else value[:200]
    if isinstance(value, Mapping) and depth < 2:
        return {str(_plain(k, 2)): _plain(v, depth + 1) for k, v in list(value.items())[:20]}
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, numbers.Integral):
        number = int(value)
        return number if abs(number) < 1 << 62 else math.copysign(math.inf, number)
    if isinstance(value, numbers.Real):
        return float(value)
    return f"<{type(value).__name__[:80]}>"


def _text(error: BaseException) -> str:
    """str(error), or what can be said when even that fails."""
    try:
        return str(error)
    except Exception:  # noqa: BLE001 - a learner's __str__
        return "(the exception's message could not be read)"


def _decode_arg(value):
    """Request arguments: tagged tensors, tuples ({"tuple": [...]}), NumPy scalars
    ({"scalar": x, "numpy": "float64"}), lists and objects holding them (the calls of a
    series), or plain JSON. A tensor may say how the worker makes it: "leaf" (a leaf that
    requires grad), "parameter" (such a leaf as a torch.nn.Parameter), "layout" (how it lies
    in memory, see LAYOUTS), "computed" (the result of an operation on a tensor that requires
    grad, as a prediction is)."""
    if isinstance(value, dict) and "tensor" in value:
        return _made(decode_tensor(value["tensor"], torch), value)
    if (
        isinstance(value, dict)
        and "scalar" in value
        and value.get("numpy") in ("float64", "float32", "int64")
    ):
        return getattr(numpy, value["numpy"])(value["scalar"])
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_decode_arg(v) for v in value["tuple"])
    if isinstance(value, dict):
        return {k: _decode_arg(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode_arg(v) for v in value]
    return value


def _made(tensor, how: dict):
    """The tensor as the request asks for it (see _decode_arg)."""
    tensor = LAYOUTS.get(how.get("layout"), lambda t: t)(tensor)
    if how.get("parameter"):
        tensor = torch.nn.Parameter(tensor)
    elif how.get("leaf") or how.get("computed"):
        tensor = tensor.requires_grad_()
    return tensor * 1 if how.get("computed") else tensor


def _gaps(tensor):
    """Every other element of a wider tensor."""
    wide = torch.zeros((*tensor.shape, 2), dtype=tensor.dtype)
    wide[..., 0] = tensor
    return wide[..., 0]


def _offset(tensor):
    """A slice of a longer buffer, starting after its first element."""
    buffer = torch.zeros(tensor.numel() + 1, dtype=tensor.dtype)
    buffer[1:] = tensor.reshape(-1)
    return buffer[1:].reshape(tensor.shape)


def _column_major(tensor):
    """The dimensions' order reversed in memory (a transpose of a contiguous tensor)."""
    order = list(range(tensor.dim()))[::-1]
    return tensor.permute(order).contiguous().permute(order)


def _stride0(tensor):
    """Dimensions of size 1 with stride 0, as torch.expand leaves them."""
    strides = [0 if size == 1 else stride for size, stride in zip(tensor.shape, tensor.stride(), strict=True)]
    return tensor.as_strided(tensor.shape, strides)


LAYOUTS = {"gaps": _gaps, "offset": _offset, "column_major": _column_major, "stride0": _stride0}


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
        report = _error_report(error.error, path) | ({"call": error.call} if error.call is not None else {})
        before = {"replies": error.replies} if error.replies else {}  # a series' calls before it
        return {"status": status, "function": error.function, "error": report, **before}
    except BaseException as error:  # noqa: BLE001 - e.g. SystemExit from the learner's code
        return {"status": Status.RAISED, "function": None, "error": _error_report(error, path)}
    return {"status": Status.RETURNED, **reply}


def _error_report(error: BaseException, path: str) -> dict:
    """An exception as text: type, message, and the learner's frames (file, line, source)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    if isinstance(error, SyntaxError) and error.filename == path:
        frames.append(traceback.FrameSummary(path, error.lineno or 0, "<module>", line=error.text or ""))
    report = {"type": type(error).__name__[:200], "message": _text(error)[:1000]}
    if frames:
        last = frames[-1]
        report |= {"line": last.lineno, "source": (last.line or "").strip()[:300], "in": last.name[:200]}
        report["traceback"] = "".join(traceback.format_list(frames))[-2000:]
    return report
