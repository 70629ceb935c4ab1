"""The checking side's handle on a learner's linreg.py: a proxy to a worker.

The learner's module is imported only in a worker (kata.worker), started the way this
system offers (kata.workers: forked by a zygote, or a fresh interpreter). The proxy sends
plain-data requests, enforces every deadline itself (a worker that does not answer in time
is killed and replaced), and turns the replies into fresh torch tensors. Nothing here ever
imports or unpickles the learner's code.

    learner = Learner(path, open_workers())        # start a worker, import the module there
    learner.value("predict", x, leaf(w), leaf(b))  # a checked call: a tensor, or raises
    learner.raw("fit", **args)                     # a raw call: the reply as it came
"""

import base64
import importlib.util
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from kata import diagnoses
from kata.manifest import FUNCTIONS, LIMITS, ROOT
from kata.safe_text import shown
from kata.worker import protocol
from kata.worker.protocol import (
    FLOAT_DTYPES,
    INT_DTYPES,
    ProtocolError,
    Status,
    decode_array,
    decode_value,
)
from kata.workers import MachineBound, open_workers, starved, waited_for_cpu

# What a learner's code may read of the kata's checkout: the data and what loads it
# (`from kata.data import load_xy`). Not the grader's modules (kata.fits replays fits), not
# solutions/ or tests/.
LOADERS = ("__init__.py", "data.py", "manifest.py", "steps.toml")
PUBLIC = [ROOT / "data"] + [ROOT / "kata" / name for name in LOADERS]


class LearnerFailure(Exception):
    """A learner's function raised, is still a stub, or the worker broke its contract."""

    def __init__(self, reply: "Reply", call: str = ""):
        self.reply, self.call = reply, call
        super().__init__(reply.describe(call))


class NotReturning(MachineBound):
    """A learner's function did not return in time. A BaseException, so that hypothesis
    stops at once instead of trying more examples."""


@dataclass
class Reply:
    """One answer of a worker."""

    status: Status
    function: str | None = None
    error: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    seconds: float = 0.0  # how long the worker took to answer

    def describe(self, call: str = "") -> str:
        """The failure in words a learner can act on."""
        name = self.function or "your code"
        if self.status == Status.NOT_WRITTEN:
            return f"{name} is not written yet"
        if self.status == Status.TIMED_OUT:
            return f"{name} {diagnoses.NOT_RETURNING} (still running after {self.error['seconds']:g} s)"
        error = self.error
        text = f"{name} raised {error.get('type', 'an error')}: {error.get('message', '')}".rstrip(": ")
        if "line" in error:
            text += f"\n  at line {error['line']} of your linreg.py: {error.get('source', '')}"
        if call:
            text += f"\n  called as {call}"
        if "call" in error:
            text += f" (it raised on call {error['call'] + 1} of the series)"
        cause = diagnoses.from_error(self.function, error)
        return text + (f"\n {diagnoses.likely(cause)}" if cause else "")


@dataclass
class ImportReport:
    """What the worker found on importing the module."""

    imported: bool
    error: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)
    unwritten: set = field(default_factory=set)
    settings: object = None
    confinement: dict = field(default_factory=dict)
    timed_out: bool = False  # the import ran out of time
    starved: bool = False  # ... while its worker waited for a CPU (or the system cannot tell)

    def problem(self, path) -> str:
        """Why the checks cannot run, or ''."""
        if not self.imported:
            reply = Reply(Status.RAISED, "importing linreg.py", self.error)
            return f"cannot import your linreg.py ({path}): " + reply.describe()
        if self.missing:
            return f"{path} does not define {', '.join(self.missing)}"
        return ""


# The fields of a worker's error report, and how long each may be once it is shown.
ERROR_FIELDS = {"type": 100, "message": 1000, "source": 300, "in": 100, "traceback": 2000}


def import_report(confinement: dict | None, imported: dict, worker: str) -> ImportReport:
    """The worker's two answers to loading a submission, checked field by field: one the
    protocol does not allow makes the import fail with a ProtocolError."""
    missing, found = imported.get("missing") or [], (confinement or {}).get("confinement", {})
    found = (found if isinstance(found, dict) else {}) | {"worker": worker}
    if not isinstance(missing, list):
        error = {"type": "ProtocolError", "message": "an import report the protocol does not allow"}
        return ImportReport(False, error, confinement=found)
    return ImportReport(
        imported=imported.get("imported") is True,
        error=clean_error(imported.get("error") or {}) if imported.get("imported") is not True else {},
        missing=[name for name in FUNCTIONS if name in missing],
        settings=imported.get("settings"),
        confinement=found,
    )


def clean_error(error) -> dict:
    """A worker's error report as the checking side keeps it: only the known fields, every
    text bounded and free of control characters (kata.safe_text), numbers as numbers."""
    if not isinstance(error, dict):
        return {"type": "ProtocolError", "message": "an error report that is not an object"}
    clean = {key: shown(error[key], limit) for key, limit in ERROR_FIELDS.items() if key in error}
    for key in ("line", "call"):
        if type(error.get(key)) is int:
            clean[key] = error[key]
    return clean


def source_text(raw: bytes) -> str:
    """A Python file's text, to show its lines: a UTF-8 BOM or a coding line is honoured.
    (What runs is compiled from the file's bytes, as Python's import does: see Learner.)"""
    try:
        return importlib.util.decode_source(raw)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return raw.decode("utf-8", errors="replace")


MODE_WORDS = {"grad": "", "no_grad": " under torch.no_grad()", "inference": " under torch.inference_mode()"}


def leaf(tensor: torch.Tensor, parameter: bool = False, layout: str = "", computed: bool = False) -> dict:
    """An argument that the worker makes a leaf tensor requiring grad (a torch.nn.Parameter
    with `parameter`), laid out in memory as `layout` says (kata.worker.serve.LAYOUTS; ""
    for contiguous), or, with `computed`, the result of an operation on such a leaf."""
    return {
        "tensor": _tensor_data(tensor),
        "leaf": True,
        "parameter": parameter,
        "layout": layout,
        "computed": computed,
    }


def arranged(tensor: torch.Tensor, layout: str = "gaps", computed: bool = False) -> dict:
    """An argument that the worker lays out in memory as `layout` says, and with `computed`
    makes the result of an operation on a tensor that requires grad (as a prediction is)."""
    return {"tensor": _tensor_data(tensor), "layout": layout, "computed": computed}


def unchanged(data: dict, function: str, call: str) -> None:
    """Fail when a value reply says the call changed one of its arguments in place."""
    changed = data.get("changed")
    if changed:
        which = ", ".join(f"argument {i + 1}" if type(i) is int else "?" for i in changed[:4])
        raise AssertionError(
            f"{call}: {function} changed {which} in place. It must leave its inputs as they were "
            "and return a new tensor." + diagnoses.likely(diagnoses.CHANGED_INPUT)
        )


def changed_later(later, function: str, what: str, done: int, calls: int) -> None:
    """Fail when a series' reply says that a result, or an argument, of one of its calls
    changed after that call had returned (`done`: the calls of the batches before)."""
    if not later:
        return
    first = later[0] if isinstance(later, list) and isinstance(later[0], dict) else {}
    call = first.get("call") if type(first.get("call")) is int else 0
    where = f"{what}: call {done + call + 1} of {calls}"
    if first.get("what") == "result":
        raise AssertionError(
            f"{where}: the tensor {function} returned changed after it had returned, while "
            f"{function} was called again. Each call must return a tensor of its own: not a buffer "
            "kept from one call to the next and filled again, nor a view of one."
        )
    raise AssertionError(
        f"{where}: {str(first.get('what', 'an argument'))[:20]} changed after {function} had "
        f"returned, while {function} was called again: {function} must leave the tensors it was "
        "given alone, then and later." + diagnoses.likely(diagnoses.CHANGED_INPUT)
    )


def _tensor_data(tensor: torch.Tensor) -> dict:
    return protocol.tensor_data(tensor, torch)


def encode_arg(value):
    """A request argument as plain data (a NumPy scalar stays one; a tensor that leaf() or
    arranged() has already made plain data stays as it is)."""
    if isinstance(value, dict) and isinstance(value.get("tensor"), dict):
        return value
    if isinstance(value, torch.Tensor):
        return {"tensor": _tensor_data(value)}
    if isinstance(value, np.float64 | np.float32 | np.int64):
        return {"scalar": value.item(), "numpy": type(value).__name__}
    if isinstance(value, tuple):  # a tuple stays one (the knots of hinge_features may be either)
        return {"tuple": [encode_arg(v) for v in value]}
    if isinstance(value, list):
        return [encode_arg(v) for v in value]
    if isinstance(value, dict):
        return {k: encode_arg(v) for k, v in value.items()}
    return value


def describe_args(args) -> str:
    """Shapes and dtypes of a call's arguments, for messages."""

    def one(a):
        if isinstance(a, dict) and "tensor" in a:
            a = a["tensor"]
        if isinstance(a, torch.Tensor):
            return f"tensor {tuple(a.shape)} {str(a.dtype).removeprefix('torch.')}"
        if isinstance(a, dict) and "shape" in a:
            return f"tensor {tuple(a['shape'])} {a['dtype']}"
        if isinstance(a, list) and a and isinstance(a[0], dict | torch.Tensor):
            return "[" + ", ".join(one(v) for v in a) + "]"
        return repr(a)

    return ", ".join(one(a) for a in args)


class Learner:
    """A learner's linreg.py, run in a confined worker and reached only through probes."""

    def __init__(self, path: Path, workers):
        self.path = Path(path)
        self.source_bytes = (
            self.path.read_bytes()
        )  # compiled as it is, so that the worker runs what Python would
        self.source = source_text(self.source_bytes)  # its lines, for messages
        self.workers = workers  # how workers are started here (kata.workers)
        self.output = workers.output  # a file the worker's prints go to, shown after each call; or None
        self.shown = self.output.seek(0, os.SEEK_END) if self.output else 0  # shared: earlier runs' prints
        self.worker = None
        self.hung = {}  # function -> whether its worker was starved when it ran out of time
        self.started = False
        self.busy = 0.0  # seconds spent waiting for the worker's answers (imports included)
        self.fit_seconds, self.fit_iterations = 0.0, 0  # of the fits that returned
        self.report = self._start()

    def _start(self) -> ImportReport:
        first, self.started = not self.started, True
        self.worker = self.workers.start()  # or WorkerUnavailable
        self.worker.send(
            {
                "load": {
                    "path": str(self.path),
                    "source": self.source,
                    "raw": base64.b64encode(self.source_bytes).decode("ascii"),
                    "functions": list(FUNCTIONS),
                    "protected": [str(ROOT)],
                    "public": [str(p) for p in PUBLIC],
                    "limits": LIMITS.worker_limits(),
                }
            }
        )
        started, queued = time.monotonic(), waited_for_cpu(self.worker.pid)
        confinement = None  # kept when it came before the import went wrong
        try:
            confinement = self.worker.receive(LIMITS.seconds_to_import)
            imported = self.worker.receive(LIMITS.seconds_to_import)
        except (EOFError, ProtocolError) as error:
            kind = "ProtocolError" if isinstance(error, ProtocolError) else "the worker ended"
            imported = {"imported": False, "error": {"type": kind, "message": str(error)}}
        self.busy += time.monotonic() - started
        self._show_output()
        if imported is None:
            hungry = starved(queued, waited_for_cpu(self.worker.pid), LIMITS.seconds_to_import)
            self._stop()
            error = {
                "type": "TimeoutError",
                "message": f"importing did not finish in {LIMITS.seconds_to_import:g} s",
            }
            return ImportReport(False, error, timed_out=True, starved=hungry)
        report = import_report(confinement, imported, self.workers.kind)
        if report.imported and first:
            report.unwritten = self._unwritten([f for f in FUNCTIONS if f not in report.missing])
        return report

    def _unwritten(self, functions) -> set[str]:
        """The functions that still raise NotImplementedError on a tiny, valid call (one that
        does not return is left to its checks, which name it)."""
        x = torch.zeros(2, 1)
        calls = single_calls(x, x, [0.0])
        return {
            name
            for name in functions
            if self.raw(calls[name][0], blame=name, **calls[name][1]).status == Status.NOT_WRITTEN
        }

    def _stop(self, replaced: bool = True) -> None:
        """Kill the worker; unless the run is over, let the next one get ready meanwhile."""
        if self.worker:
            self.worker.kill()
            self.worker = None
            if replaced:
                self.workers.prepare()

    def close(self) -> None:
        self._stop(replaced=False)

    def graded_seconds(self) -> float:
        """About how long `kata grade` will take on this code, from this run of the visible
        checks: their time again, the fits again on held-out series, and the hidden checks'
        own fits at the speed of these."""
        per_iteration = self.fit_seconds / self.fit_iterations if self.fit_iterations else 0.0
        return self.busy + self.fit_seconds + per_iteration * LIMITS.hidden_fit_iterations

    def _show_output(self) -> None:
        """Copy what the learner's code printed since the last call to our stdout."""
        if self.output:
            self.output.seek(self.shown)
            text = self.output.read()
            self.shown += len(text)
            if text:
                sys.stdout.write(shown(text.decode(errors="replace"), 20000))

    def raw(self, probe: str, seconds: float | None = None, blame: str | None = None, **args) -> Reply:
        """Run a probe; the reply as it came. A worker that has not answered after `seconds`
        (the per-call limit by default) is killed; the next call starts a fresh one."""
        seconds = LIMITS.seconds_per_call if seconds is None else seconds
        if blame in self.hung:
            return Reply(Status.TIMED_OUT, blame, {"seconds": seconds, "starved": self.hung[blame]})
        if self.worker is None:
            self._start()
        started, queued = time.monotonic(), waited_for_cpu(self.worker.pid)
        try:
            self.worker.send({"probe": probe, "args": {k: encode_arg(v) for k, v in args.items()}})
            message = self.worker.receive(seconds)
        except ProtocolError as error:
            self._stop()
            return Reply(Status.RAISED, blame, {"type": "ProtocolError", "message": str(error)})
        except (EOFError, OSError) as error:
            self._stop()
            return Reply(
                Status.RAISED,
                blame,
                {
                    "type": "the worker ended",
                    "message": f"{error} (os._exit, a crash, or a memory or CPU limit)",
                },
            )
        finally:
            self.busy += time.monotonic() - started
            self._show_output()
        if message is None:
            hungry = starved(queued, waited_for_cpu(self.worker.pid), seconds)
            self._stop()
            if blame:
                self.hung[blame] = hungry
            return Reply(Status.TIMED_OUT, blame, {"seconds": seconds, "starved": hungry})
        try:
            status = Status(message.pop("status"))
            if status == Status.TIMED_OUT:  # the checking side's own word: a worker may not say it
                raise ValueError(status)
        except (KeyError, ValueError):
            error = {"type": "ProtocolError", "message": "a reply without a status it may give"}
            return Reply(Status.RAISED, blame, error)
        function = message.pop("function", blame)
        return Reply(
            status,
            function if function in FUNCTIONS else blame,
            clean_error(message.pop("error", {})) if status != Status.RETURNED else {},
            message,
            time.monotonic() - started,
        )

    def checked(self, probe: str, blame: str, call: str = "", seconds: float | None = None, **args) -> dict:
        """Run a probe; its data, or LearnerFailure / NotReturning."""
        reply = self.raw(probe, seconds=seconds, blame=blame, **args)
        if reply.status == Status.TIMED_OUT:
            raise NotReturning(reply.describe(), reply.error["starved"])
        if reply.status != Status.RETURNED:
            raise LearnerFailure(reply, call)
        return reply.data

    # --- the probes, with their replies decoded -----------------------------------------
    def value(self, function: str, *args, mode: str = "grad"):
        """function(*args) in the worker (under `mode`: "grad", "no_grad" or "inference", see
        kata.worker.probes): a tensor, a float, None, a list, or protocol.Other. Fails when the
        call changed an argument."""
        call = f"{function}({describe_args(args)})" + MODE_WORDS[mode]
        data = self.checked("value", function, call, function=function, args=list(args), mode=mode)
        unchanged(data, function, call)
        return decoded(data, "value")

    def loss_gradients(self, loss: str, x, weights, bias, y_true) -> dict:
        """Backward through the learner's loss of y_true and x @ weights + bias:
        {"loss", "requires_grad", "weights_grad", "bias_grad"}."""
        call = f"{loss}(y_true {tuple(y_true.shape)}, y_pred {tuple(y_true.shape)})"
        data = self.checked(
            "loss_gradients",
            loss,
            call,
            loss=loss,
            x=x,
            weights=leaf(weights),
            bias=leaf(bias),
            y_true=y_true,
        )
        return gradients_reply(data, "loss")

    def predict_gradients(self, x, weights, bias, upstream, parameter=False, layout="") -> dict:
        """backward(upstream) through predict: {"value", "requires_grad", "weights_grad", "bias_grad"}
        (`parameter`: weights and bias as torch.nn.Parameter; `layout`: how x, weights and bias
        lie in memory, kata.worker.serve.LAYOUTS)."""
        call = f"predict({describe_args([x, weights, bias])})"
        data = self.checked(
            "predict_gradients",
            "predict",
            call,
            x=arranged(x, layout) if layout else x,
            weights=leaf(weights, parameter, layout),
            bias=leaf(bias, parameter, layout),
            upstream=upstream,
        )
        return gradients_reply(data, "value")

    def batch_gradients(self, function: str, batches: list, weights, bias) -> dict:
        """Several batches [(x, y_true, upstream)] with the same parameters, all computed first,
        then one backward() through their sum (kata.worker.probes): {"weights_grad", "bias_grad"}."""
        call = f"{function} of {len(batches)} batches with the same parameters, then one backward()"
        data = self.checked(
            "batch_gradients",
            function,
            call,
            function=function,
            batches=[list(batch) for batch in batches],
            weights=leaf(weights),
            bias=leaf(bias),
        )
        return {"weights_grad": decoded(data, "weights_grad"), "bias_grad": decoded(data, "bias_grad")}

    def input_gradients(self, function: str, args: list, computed: bool, upstream=None) -> dict:
        """backward() through `function(*args)` to every tensor argument, each a leaf that
        requires grad, or (`computed`) the result of an operation on one (kata.worker.probes):
        {"value", "grads": [tensor or None, one per argument]}."""
        how = (
            " (inputs computed from tensors that require grad)" if computed else " (inputs that require grad)"
        )
        call = f"{function}({describe_args(args)})" + how
        data = self.checked(
            "input_gradients",
            function,
            call,
            function=function,
            args=list(args),
            computed=computed,
            upstream=upstream,
        )
        grads = data.get("grads")
        if not isinstance(grads, list) or len(grads) != len(args):
            raise LearnerFailure(
                Reply(Status.RAISED, function, {"type": "ProtocolError", "message": "bad reply"})
            )
        return {
            "value": decoded(data, "value"),
            "grads": [decoded({"g": g}, "g") for g in grads],
        }

    def step(self, params, grads, learning_rate: float) -> dict:
        """{"returned", "params": [tensor], "trainable": [bool], "regrads": [tensor] or None}."""
        call = f"step([{describe_args(params)}], {learning_rate})"
        data = self.checked(
            "step",
            "step",
            call,
            params=[leaf(p) for p in params],
            grads=list(grads),
            learning_rate=learning_rate,
        )
        states = data.get("params")
        if not isinstance(states, list) or len(states) != len(params):
            raise LearnerFailure(
                Reply(Status.RAISED, "step", {"type": "ProtocolError", "message": "bad reply"})
            )
        regrads = data.get("regrads")
        return {
            "returned": decoded(data, "returned"),
            "params": [decoded(s, "value") for s in states],
            "trainable": [bool(s.get("trainable")) for s in states],
            "regrads": None if regrads is None else [decoded({"g": g}, "g") for g in regrads],
        }

    def zero_grads(self, params, scale: float, mode: str = "grad", layout: str = "") -> dict:
        """{"params": [tensor], "grads": [tensor or None]}: after zero_grads (called under
        `mode`, on parameters laid out in memory as `layout` says), and after a second backward."""
        call = f"zero_grads([{describe_args(params)}])" + MODE_WORDS[mode]
        data = self.checked(
            "zero_grads",
            "zero_grads",
            call,
            params=[leaf(p, layout=layout) for p in params],
            scale=scale,
            mode=mode,
        )
        return zero_grads_reply(data)

    def in_a_row(self, probe: str, blame: str, calls: list[dict], what: str, sizes=None):
        """The probe once per entry of `calls` (its arguments), all in a row in this worker:
        yields the data of each reply, or raises LearnerFailure / NotReturning. The calls go
        in batches whose answers hold at most BATCH_VALUES numbers (`sizes`: how many each
        answers with, 1 by default), each batch with the per-call limit once per call, and
        the next batch only once the caller has taken the replies of the one before (so a
        check that fails stops the series there)."""
        sizes = sizes or [1] * len(calls)
        done = 0
        for batch in _batches(calls, sizes):
            seconds = LIMITS.seconds_per_call * len(batch)
            try:
                data = self.checked("repeat", blame, what, seconds, kind=probe, calls=batch)
            except LearnerFailure as failure:
                # A call raised: the calls before it are judged first, so that the first wrong
                # call is the one reported, whether or not a later one ran out of memory here.
                before = failure.reply.data.get("replies")
                if isinstance(before, list) and len(before) < len(batch):
                    yield from (reply for reply in before if isinstance(reply, dict))
                raise
            got = data.get("replies")
            if (
                not isinstance(got, list)
                or len(got) != len(batch)
                or not all(isinstance(r, dict) for r in got)
            ):
                raise LearnerFailure(
                    Reply(Status.RAISED, blame, {"type": "ProtocolError", "message": "bad replies"})
                )
            yield from got
            changed_later(data.get("later"), blame, what, done, len(calls))
            done += len(batch)

    def updates(
        self,
        params,
        grads: list,
        learning_rates: list,
        parameter=False,
        laid_out="",
        mode="grad",
        params_laid_out="",
    ) -> list[list]:
        """step(params, learning_rates[t]) with grads[t] as the gradients, for every t, on the
        same parameters, in one worker call: the parameters after each update (`parameter`:
        as torch.nn.Parameter; `laid_out`: how the gradients lie in memory, kata.worker.serve.LAYOUTS;
        `mode`: each call under torch.no_grad() or torch.inference_mode(), see `value`;
        `params_laid_out`: how the parameters themselves lie in memory)."""
        call = f"step([{describe_args(params)}], rate) {len(grads)} times in a row on the same parameters"
        call += MODE_WORDS[mode]
        mode_arg = {"mode": mode} if mode != "grad" else {}
        data = self.checked(
            "updates",
            "step",
            call,
            LIMITS.seconds_per_call * len(grads),
            params=[leaf(p, parameter, params_laid_out) for p in params],
            grads=[[arranged(t, laid_out) if laid_out else t for t in g] for g in grads],
            learning_rates=list(learning_rates),
            **mode_arg,
        )
        if "stacked" in data:
            return _unstacked(data["stacked"], [tuple(p.shape) for p in params], len(grads))
        after = data.get("after")
        if not isinstance(after, list) or len(after) != len(grads):
            raise LearnerFailure(
                Reply(Status.RAISED, "step", {"type": "ProtocolError", "message": "bad reply"})
            )
        return [[decoded({"v": v}, "v") for v in row] if isinstance(row, list) else [] for row in after]

    def fit(
        self, x, y, loss: str, knots, train_bias: bool, learning_rate: float, num_iter: int, parameter=False
    ) -> "FitRun":
        """The learner's functions, run as gradient descent in the worker (kata.worker.probes),
        with the path of its parameters (held as torch.nn.Parameter with `parameter`)."""
        functions = (("hinge_features",) if knots is not None else ()) + (
            "predict",
            loss,
            "step",
            "zero_grads",
        )
        hung = [name for name in functions if name in self.hung]
        if hung:  # known not to return: do not wait for the fit's deadline again
            timed_out = Reply(Status.TIMED_OUT, hung[0], {"seconds": LIMITS.seconds_per_call})
            raise NotReturning(timed_out.describe(), self.hung[hung[0]])
        reply = self.raw(
            "fit",
            seconds=LIMITS.seconds_per_fit,
            blame=None,
            x=x,
            y=y,
            loss=loss,
            knots=None if knots is None else list(knots),
            train_bias=train_bias,
            learning_rate=learning_rate,
            num_iter=num_iter,
            parameter=parameter,
        )
        if reply.status == Status.TIMED_OUT:
            self._find_hung(functions, x, y, knots)
            raise NotReturning(
                f"the fit ({num_iter} iterations) did not finish in {LIMITS.seconds_per_fit:g} s, although "
                "each of its functions returned alone: together they are too slow for this many iterations",
                reply.error["starved"],
            )
        if reply.status != Status.RETURNED:
            raise LearnerFailure(reply, "the fit's loop")
        self.fit_seconds += reply.seconds
        self.fit_iterations += num_iter
        losses = reply.data.get("losses")
        if not isinstance(losses, list) or not all(type(v) in (int, float) for v in losses):
            raise LearnerFailure(
                Reply(Status.RAISED, None, {"type": "ProtocolError", "message": "bad losses"})
            )
        try:
            path = decode_array(reply.data.get("path"), np)
        except ProtocolError as error:
            raise LearnerFailure(
                Reply(Status.RAISED, None, {"type": "ProtocolError", "message": str(error)})
            ) from None
        return FitRun(
            [float(v) for v in losses],
            decoded(reply.data, "weights"),
            decoded(reply.data, "bias"),
            decoded(reply.data, "features"),
            path,
        )

    def _find_hung(self, functions, x, y, knots) -> None:
        """After a fit ran out of time: call each of its functions once, alone, on the fit's
        inputs; the first that does not return is named (NotReturning)."""
        calls = single_calls(x, y, knots)
        for name in functions:
            probe, args = calls[name]
            reply = self.raw(probe, blame=name, **args)
            if reply.status == Status.TIMED_OUT:
                raise NotReturning(reply.describe(), reply.error["starved"])


BATCH_VALUES = 50_000  # numbers in the answers of one batch of calls in a row (about 1 MB)


def _batches(calls: list, sizes: list) -> list[list]:
    """`calls` cut, in order, into batches whose sizes add up to at most BATCH_VALUES."""
    batches, batch, total = [], [], 0
    for call, size in zip(calls, sizes, strict=True):
        if batch and total + size > BATCH_VALUES:
            batches.append(batch)
            batch, total = [], 0
        batch.append(call)
        total += size
    return batches + [batch] if batch else batches


def single_calls(x, y, knots) -> dict:
    """function -> (probe, args): one call of each learner function alone, on x (n, 1) and
    y (n, 1), with the hinge features of `knots` (None: x itself) as the model's inputs."""
    features = x if knots is None else (x - torch.tensor([list(knots)], dtype=x.dtype)).clamp_min(0)
    params = [torch.zeros(features.shape[1], 1, dtype=x.dtype), torch.zeros(1, dtype=x.dtype)]
    weights, bias = (leaf(p) for p in params)
    losses = {
        name: ("loss_gradients", dict(loss=name, x=features, weights=weights, bias=bias, y_true=y))
        for name in ("mse", "mae")
    }
    return losses | {
        "hinge_features": ("value", dict(function="hinge_features", args=[x, list(knots or [])])),
        "predict": ("value", dict(function="predict", args=[features, weights, bias])),
        "step": ("step", dict(params=[leaf(p) for p in params], grads=params, learning_rate=0.01)),
        "zero_grads": ("zero_grads", dict(params=[leaf(p) for p in params], scale=1.0)),
    }


@dataclass
class FitRun:
    """What the worker says a fit did. losses[i] is the loss before the i-th update; path[t]
    the parameters (weights, then the bias when it is trained) after update t + 1."""

    losses: list
    weights: object
    bias: object
    features: object
    path: np.ndarray  # (updates done, parameters)

    @property
    def diverged_at(self) -> int | None:
        last = self.losses[-1] if self.losses else 0.0
        return len(self.losses) - 1 if not math.isfinite(last) else None


def gradients_reply(data: dict, value: str) -> dict:
    """A loss_gradients or predict_gradients reply: {value, "requires_grad", "weights_grad",
    "bias_grad"}, with `value` "loss" or "value"."""
    return {
        k: (decoded(data, k) if k != "requires_grad" else bool(data.get(k)))
        for k in (value, "requires_grad", "weights_grad", "bias_grad")
    }


def _unstacked(stacked, shapes: list[tuple], updates: int) -> list[list]:
    """The parameters after each update, from one packed array per parameter (see
    kata.worker.probes.updates), each checked: its dtype, and its shape (updates, *shape)."""
    try:
        if not isinstance(stacked, list) or len(stacked) != len(shapes):
            raise ProtocolError("one series per parameter")
        columns = []
        for data, shape in zip(stacked, shapes, strict=True):
            dtype = data.get("dtype") if isinstance(data, dict) else None
            if dtype not in FLOAT_DTYPES + INT_DTYPES:
                raise ProtocolError("a series of parameters of an unknown dtype")
            values = decode_array(data, np)
            if values.shape != (updates, *shape):
                raise ProtocolError("a series of parameters of another shape")
            columns.append(torch.from_numpy(values).to(getattr(torch, dtype)))
    except ProtocolError as error:
        raise LearnerFailure(
            Reply(Status.RAISED, "step", {"type": "ProtocolError", "message": str(error)})
        ) from None
    return [[column[t] for column in columns] for t in range(updates)]


def zero_grads_reply(data: dict) -> dict:
    """A zero_grads reply: {"params": [tensor], "grads": [tensor or None]}."""
    return {k: [decoded({"v": v}, "v") for v in data.get(k) or []] for k in ("params", "grads")}


def decoded(data: dict, key: str):
    """The checking side's copy of the value under `key` of a reply (kata.worker.protocol)."""
    try:
        return decode_value(data.get(key), torch)
    except ProtocolError as error:
        raise LearnerFailure(
            Reply(Status.RAISED, None, {"type": "ProtocolError", "message": str(error)})
        ) from None


class open_learner:  # noqa: N801 - used as `with open_learner(path) as learner:`
    """Workers and a Learner for one command (`kata fit`, the notebook); closed on exit.
    The learner's prints are shown after each call."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Learner:
        self.workers = open_workers(tempfile.TemporaryFile())
        try:
            self.learner = Learner(self.path, self.workers)
        except BaseException:
            self.workers.close()
            raise
        return self.learner

    def __exit__(self, *exc) -> None:
        self.learner.close()
        self.workers.close()
