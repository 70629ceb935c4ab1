"""The scenarios a worker runs with the learner's functions, one per kind of check.

Each probe takes plain data, builds fresh tensors, calls the learner's code, and returns
plain data: what came back, the gradients that backward() left, the parameters after an
update. Nothing here judges; the expected values are computed on the checking side.
"""

import math

import torch

from kata.worker.protocol import encode_array, encode_value


class LearnerError(Exception):
    """The learner's function `function` raised `error` (in call number `call` of a series,
    after the calls whose replies are `replies`)."""

    def __init__(self, function: str, error: BaseException, call: int | None = None, replies=None):
        super().__init__(function)
        self.function, self.error, self.call, self.replies = function, error, call, replies


class Probes:
    """The probes, bound to one learner module."""

    def __init__(self, module):
        self.module = module

    def call(self, name: str, *args):
        """Call the learner's function `name`; an exception says which function raised it."""
        try:
            return getattr(self.module, name)(*args)
        except Exception as error:  # noqa: BLE001 - any exception is the learner's
            raise LearnerError(name, error) from error

    def backward(self, name: str, value, *gradient):
        """value.backward(*gradient): an error there comes from how `name` built its result.
        A gradient of value's shape and dtype is passed as backward() of the sum of value *
        gradient: the same vector-Jacobian product, without the import of sympy (a third of a
        second) that torch makes on the first backward() given a gradient."""
        try:
            if gradient and _alike(value, gradient[0]):
                torch.sum(value * gradient[0]).backward()
            elif not gradient and _plain_scalar(value):
                _run_backward(value)
            else:
                value.backward(*gradient)
        except Exception as error:  # noqa: BLE001
            raise LearnerError(name, error) from error

    def as_float(self, name: str, value) -> float:
        """A loss as a Python float (for the loss curve)."""
        try:
            return float(torch.Tensor.detach(value)) if isinstance(value, torch.Tensor) else float(value)
        except Exception as error:  # noqa: BLE001
            raise LearnerError(name, error) from error

    # --- one learner call -------------------------------------------------------------
    def value(self, function: str, args: list, mode: str = "grad"):
        """What `function(*args)` returns, called with autograd recording ("grad"), under
        torch.no_grad() ("no_grad") or under torch.inference_mode() ("inference"); and which
        arguments (by position) the call changed in place."""
        return self._value(function, args, mode)[0]

    def _value(self, function: str, args: list, mode: str):
        """`value`'s reply, with what the call returned and its arguments as they were before."""
        before = [_state(a) for a in args]
        with MODES[mode]():
            returned = self.call(function, *args)
        changed = [
            i
            for i, (a, b) in enumerate(zip(args, before, strict=True))
            if b is not None and _changed_state(a, b)
        ]
        return {"value": encode_value(returned, torch), "changed": changed}, returned, before

    def repeat(self, kind: str, calls: list):
        """The probe `kind`, once per entry of `calls` (its arguments), in a row in this
        worker: what a function remembers from one call to the next shows. For "value", a
        call with "again" gets the tensors of the call before it, its own values copied into
        them in place (as a caller who changes its data in place passes the same tensors);
        and at the end, `later` lists each result or argument that changed after its call
        had returned (a result that is a buffer the next call fills again, an argument changed
        by a later call)."""
        replies, kept = [], []  # kept: (call, returned, its snapshot, args, their snapshots)
        for number, args in enumerate(calls):
            try:
                if kind != "value":
                    replies.append(getattr(self, kind)(**args))
                    continue
                given = _again(args, kept[-1][3]) if args.get("again") and kept else args["args"]
                if given is not args["args"]:
                    kept[-1] = (*kept[-1][:3], [], [])  # its arguments are now this call's
                reply, returned, before = self._value(args["function"], given, args.get("mode", "grad"))
                replies.append(reply)
                snapshot = (
                    torch.Tensor.clone(returned).detach() if isinstance(returned, torch.Tensor) else None
                )
                kept.append((number, returned, snapshot, given, before))
            except LearnerError as error:  # the replies before it are judged first, on any machine
                raise LearnerError(error.function, error.error, number, replies) from error.error
        return {"replies": replies, **({"later": _changed_later(kept)} if kind == "value" else {})}

    # --- backpropagation --------------------------------------------------------------
    def loss_gradients(self, loss: str, x, weights, bias, y_true):
        """backward() through the learner's loss of y_true and x @ weights + bias."""
        y_pred = x @ weights + bias
        value = self.call(loss, y_true, y_pred)
        reply = {"loss": encode_value(value, torch), "requires_grad": _requires_grad(value)}
        if reply["requires_grad"] and value.numel() == 1:
            self.backward(loss, value)
        reply["weights_grad"] = encode_value(weights.grad, torch)
        reply["bias_grad"] = encode_value(bias.grad, torch)
        return reply

    def batch_gradients(self, function: str, batches: list, weights, bias):
        """Several batches [x, y_true, upstream] with the same parameters, all of them first,
        then one backward() through the sum (as a training step over mini-batches does): for
        "predict", the sum of the learner's predict(x, weights, bias) * upstream; for a
        loss, the sum of the learner's loss of y_true and x @ weights + bias. The gradients
        it leaves."""
        total = None
        for x, y_true, upstream in batches:
            if function == "predict":
                value = self.call("predict", x, weights, bias)
            else:
                value = self.call(function, y_true, x @ weights + bias)
            try:
                term = torch.sum(value * upstream) if function == "predict" else value
                total = term if total is None else total + term
            except Exception as error:  # noqa: BLE001 - what the learner's function returned
                raise LearnerError(function, error) from error
        if _requires_grad(total) and total.numel() == 1:
            self.backward(function, total)
        return {
            "weights_grad": encode_value(weights.grad, torch),
            "bias_grad": encode_value(bias.grad, torch),
        }

    def predict_gradients(self, x, weights, bias, upstream):
        """backward(upstream) through the learner's predict: the gradients it leaves."""
        out = self.call("predict", x, weights, bias)
        reply = {"value": encode_value(out, torch), "requires_grad": _requires_grad(out)}
        if reply["requires_grad"] and tuple(out.shape) == tuple(upstream.shape):
            self.backward("predict", out, upstream)
        reply["weights_grad"] = encode_value(weights.grad, torch)
        reply["bias_grad"] = encode_value(bias.grad, torch)
        return reply

    def input_gradients(self, function: str, args: list, computed: bool, upstream=None):
        """backward() through the learner's `function` to every tensor argument: each is made
        a leaf that requires grad, passed as it is or (`computed`) as the result of an
        operation on it (as a view of a parameter is). backward() of the sum of the result
        times `upstream` (of the result's shape), or of the result itself when there is none.
        The gradient each argument's leaf holds after it (None where none reached it)."""
        leaves = [torch.Tensor.detach(a).requires_grad_() if isinstance(a, torch.Tensor) else a for a in args]
        given = [a * 1 if computed and isinstance(a, torch.Tensor) else a for a in leaves]
        out = self.call(function, *given)
        reply = {"value": encode_value(out, torch), "requires_grad": _requires_grad(out)}
        if reply["requires_grad"]:
            if upstream is None:
                self.backward(function, out)
            elif tuple(out.shape) == tuple(upstream.shape):
                self.backward(function, out, upstream)
        reply["grads"] = [
            encode_value(a.grad if isinstance(a, torch.Tensor) else None, torch) for a in leaves
        ]
        return reply

    # --- updates ----------------------------------------------------------------------
    def step(self, params, grads, learning_rate: float):
        """The learner's step on leaf parameters holding `grads`; then whether a fresh
        backward() still reaches them (sum of p ** 2, so each grad should be 2 p)."""
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        returned = self.call("step", params, learning_rate)
        after = [_leaf_state(p) for p in params]
        for p in params:
            p.grad = None
        try:
            sum((p**2).sum() for p in params).backward()
            regrads = [encode_value(p.grad, torch) for p in params]
        except RuntimeError:
            regrads = None
        return {"returned": encode_value(returned, torch), "params": after, "regrads": regrads}

    def updates(self, params, grads: list, learning_rates: list, mode: str = "grad"):
        """The learner's step again and again on the same parameters, as a fit calls it, with
        grads[t] as the gradients and learning_rates[t] as the rate of update t, each call
        under `mode` (see `value`): the parameters after each update."""
        after = []
        for t, (update, rate) in enumerate(zip(grads, learning_rates, strict=True)):
            for p, g in zip(params, update, strict=True):
                p.grad = g
            try:
                with MODES[mode]():
                    self.call("step", params, rate)
            except LearnerError as error:
                raise LearnerError("step", error.error, t) from error.error
            after.append([_kept(p) for p in params])
        return _series_of_params(after)

    def zero_grads(self, params, scale: float, mode: str = "grad"):
        """backward() of sum(scale * p ** 2), the learner's zero_grads (called under `mode`,
        see `value`), then backward() of sum(p ** 2): the parameters after zero_grads and the
        gradients after the second pass."""
        sum((scale * p**2).sum() for p in params).backward()
        with MODES[mode]():
            self.call("zero_grads", params)
        after = [encode_value(p, torch) for p in params]
        sum((p**2).sum() for p in params).backward()
        return {"params": after, "grads": [encode_value(p.grad, torch) for p in params]}

    # --- a whole fit ------------------------------------------------------------------
    def fit(
        self, x, y, loss: str, knots, train_bias: bool, learning_rate: float, num_iter: int, parameter=False
    ):
        """Gradient descent from zero parameters with the learner's functions:
        features (hinge_features(x, knots), or x) -> predict -> loss -> backward -> step ->
        zero_grads, num_iter times (the parameters plain leaf tensors, or with `parameter`
        torch.nn.Parameter).
        Stops at the first loss that is not finite. Returns the
        path too: the parameters (weights, then the bias when it is trained) after each update,
        one row per update, NaN where they no longer have their shapes."""
        features = self.call("hinge_features", x, list(knots)) if knots is not None else x
        dtype = (
            features.dtype if isinstance(features, torch.Tensor) and features.is_floating_point() else x.dtype
        )
        weights = torch.zeros(features.shape[1], 1, dtype=dtype, requires_grad=True)  # in the features' dtype
        bias = torch.zeros(1, dtype=dtype, requires_grad=train_bias)
        if parameter:  # as a torch.nn.Module holds them
            weights, bias = (
                torch.nn.Parameter(weights.detach()),
                torch.nn.Parameter(bias.detach(), train_bias),
            )
        params = [weights, bias] if train_bias else [weights]
        width = weights.numel() + (bias.numel() if train_bias else 0)
        losses, path = [], []
        for _ in range(num_iter):
            value = self.call(loss, y, self.call("predict", features, weights, bias))
            losses.append(self.as_float(loss, value))
            if not math.isfinite(losses[-1]):
                break
            self.backward(loss, value)
            self.call("step", params, learning_rate)
            self.call("zero_grads", params)
            path.append(_row(params, width))
        return {
            "path": encode_array(_stacked(path, width), torch),
            "losses": losses,
            "weights": encode_value(weights, torch),
            "bias": encode_value(bias, torch),
            "features": encode_value(features, torch),
        }


MODES = {"grad": torch.enable_grad, "no_grad": torch.no_grad, "inference": torch.inference_mode}


def _plain_scalar(value) -> bool:
    """A one-value torch.Tensor (no subclass) in an autograd graph: what a loss is."""
    return type(value) is torch.Tensor and value.requires_grad and value.numel() == 1


def _engine_backward(value) -> None:
    """value.backward() of a plain scalar, handed straight to the autograd engine: the same
    pass, without the Python checks of torch.autograd.backward (about 9 of a fit update's 77
    microseconds). Used only where it gives what value.backward() gives (`_backward_for`)."""
    ENGINE.run_backward((value,), (torch.ones_like(value),), False, False, (), True, True)


def _backward_for() -> object:
    """_engine_backward where this torch's engine takes its arguments as expected (tried on a
    small graph against value.backward()), otherwise torch.Tensor.backward."""
    try:
        weights = torch.tensor([[0.5], [-1.0]], requires_grad=True)
        expected = torch.tensor([[1.0, 2.0]]).T * 2 * ((torch.tensor([[1.0, 2.0]]) @ weights).sum() - 3)
        _engine_backward(((torch.tensor([[1.0, 2.0]]) @ weights).sum() - 3) ** 2)
        if weights.grad is not None and torch.equal(weights.grad, expected):
            return _engine_backward
    except Exception:  # noqa: BLE001 - an engine without this entry: the public way
        pass
    return torch.Tensor.backward


ENGINE = getattr(getattr(torch.autograd, "Variable", None), "_execution_engine", None)
_run_backward = _backward_for()


def _again(call: dict, previous: list) -> list:
    """The previous call's arguments with this call's values copied into them in place,
    where every tensor matches in shape and dtype; this call's own arguments otherwise."""
    args = call["args"]
    if len(args) != len(previous):
        return args
    for new, old in zip(args, previous, strict=True):
        if isinstance(new, torch.Tensor) != isinstance(old, torch.Tensor):
            return args
        if isinstance(new, torch.Tensor) and (new.shape != old.shape or new.dtype != old.dtype):
            return args
    with torch.no_grad():
        for new, old in zip(args, previous, strict=True):
            if isinstance(new, torch.Tensor) and call.get("again") == "data":  # no version bump
                torch.Tensor.copy_(old.data, new)
            elif isinstance(new, torch.Tensor):
                torch.Tensor.copy_(old, new)
    return [old if isinstance(old, torch.Tensor) else new for new, old in zip(args, previous, strict=True)]


def _changed_later(kept: list) -> list:
    """[{"call", "what"}] for each result, then each argument, of the calls of a series that
    no longer holds what it held when its call returned."""
    later = []
    for number, returned, snapshot, args, before in kept:
        if snapshot is not None and _changed(returned, snapshot):
            later.append({"call": number, "what": "result"})
        for index, (a, b) in enumerate(zip(args, before, strict=False)):
            if b is not None and _changed_state(a, b):
                later.append({"call": number, "what": f"argument {index + 1}"})
    return later


def _state(value):
    """What a tensor argument holds before a call: a copy of its values, and its version
    (torch counts every in-place operation on it, even one that leaves the values as they
    were, and backward() refuses a graph whose saved tensors were changed so); None for any
    other argument."""
    if not isinstance(value, torch.Tensor):
        return None
    return torch.Tensor.clone(value).detach(), _version(value)


def _version(value):
    try:
        return torch._C.TensorBase._version.__get__(value)
    except Exception:  # noqa: BLE001 - an inference tensor keeps no version
        return None


def _changed_state(now, before) -> bool:
    """Whether a tensor argument no longer holds what `_state` found, or went through an
    in-place operation since."""
    values, version = before
    return _changed(now, values) or _version(now) != version


def _changed(now, before) -> bool:
    """Whether a tensor argument no longer holds what it held before the call."""
    try:
        plain = torch.Tensor.detach(now)
        return plain.shape != before.shape or plain.dtype != before.dtype or not torch.equal(plain, before)
    except Exception:  # noqa: BLE001 - whatever a learner's code left there
        return True


def _row(params, width: int):
    """A copy of the parameters, flattened one after the other (NaN if they no longer make
    `width` values)."""
    values = [torch.Tensor.detach(p).reshape(-1) for p in params if isinstance(p, torch.Tensor)]
    if len(values) == len(params) and sum(v.numel() for v in values) == width:
        return torch.cat(values)
    return torch.full((width,), math.nan, dtype=torch.float64)


def _stacked(rows: list, width: int):
    """The rows of a fit's path as one float64 tensor (updates, width)."""
    if not rows:
        return torch.empty((0, width), dtype=torch.float64)
    return torch.Tensor.to(torch.stack(rows), torch.float64)


def _kept(value):
    """A copy of a parameter as an update left it (the value itself, if not a tensor)."""
    return torch.Tensor.detach(value).clone() if isinstance(value, torch.Tensor) else value


def _series_of_params(after: list[list]) -> dict:
    """The parameters after each update: {"stacked": [{"array", "dtype"}]}, one packed array
    (updates, *shape) per parameter, where every update left each one a tensor of the same
    shape and dtype; else {"after": [[value]]}, every value tagged on its own."""
    first = after[0] if after else []
    same = all(_alike(p, q) for row in after for p, q in zip(row, first, strict=True))
    if not (after and same):
        return {"after": [[encode_value(p, torch) for p in row] for row in after]}
    columns = [torch.stack([row[i] for row in after]) for i in range(len(first))]
    dtypes = [str(p.dtype).removeprefix("torch.") for p in first]
    return {"stacked": [encode_array(c, torch) | {"dtype": d} for c, d in zip(columns, dtypes, strict=True)]}


def _alike(value, first) -> bool:
    """Whether two values are tensors of the same shape and dtype."""
    tensors = isinstance(value, torch.Tensor) and isinstance(first, torch.Tensor)
    return tensors and value.shape == first.shape and value.dtype == first.dtype


def _requires_grad(value) -> bool:
    return isinstance(value, torch.Tensor) and bool(value.requires_grad)


def _leaf_state(p) -> dict:
    return {
        "value": encode_value(p, torch),
        "trainable": bool(p.is_leaf and p.requires_grad and p.grad_fn is None),
    }
