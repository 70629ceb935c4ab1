"""What crosses between a worker and the checking side: JSON lines, never pickles.

A request is {"probe": NAME, "args": {...}} (a tuple argument is {"tuple": [...]}); a reply
is {"status": STATUS, ...}. Values
are tagged plain data: {"tensor": {"dtype", "shape", "base64", "requires_grad"}},
{"number": x}, {"none": true}, {"list": [...]}, {"other": type name, "text": repr}; a long
series of numbers (a fit's path) crosses as {"array": {"shape", "base64"}}. Both pack their
values as little-endian float64 bytes in base64 (every float and int dtype the protocol knows
fits a float64 exactly, up to 2**53), so that no value is written or parsed one by one.
Both sides share this module; only the checking side turns tensors back into torch
tensors, always of exact type torch.Tensor, and it checks every field as it does so.
"""

import base64
import enum
import json
import math

from kata.safe_text import shown

# The largest reply the checking side reads: 16 MiB (the largest value of the contract,
# hinge_features of 10,000 rows and 100 knots, takes 10.7 MiB in float64, 5.3 in float32;
# a 20000-step fit 0.5).
MAX_LINE = 16 << 20
FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "bool")


class Status(enum.StrEnum):
    """How a call of the learner's code ended."""

    RETURNED = "returned"
    RAISED = "raised"
    NOT_WRITTEN = "not written"  # it raised NotImplementedError: still a stub
    TIMED_OUT = "timed out"  # set by the checking side, which killed the worker


class ProtocolError(ValueError):
    """A reply that is not what the protocol allows."""


def encode_line(message: dict) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def decode_line(line: bytes) -> dict:
    try:
        message = json.loads(line)
    except ValueError as error:
        raise ProtocolError(f"not JSON: {error}") from None
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    return message


def tensor_data(tensor, torch) -> dict:
    """A tensor's dtype, shape and values packed as float64 (both sides use it). A dtype the
    protocol does not know crosses with no values: the checking side refuses it by name."""
    plain = torch.Tensor.detach(tensor).cpu()
    dtype = str(plain.dtype).removeprefix("torch.")
    known = dtype in FLOAT_DTYPES + INT_DTYPES
    raw = _packed(plain, torch) if known else b""
    return {"dtype": dtype, "shape": list(plain.shape), "base64": base64.b64encode(raw).decode("ascii")}


def _packed(plain, torch) -> bytes:
    return torch.Tensor.to(plain, torch.float64).contiguous().numpy().astype("<f8").tobytes()


def encode_value(value, torch):
    """A learner's value as tagged plain data (runs in the worker)."""
    if isinstance(value, torch.Tensor):
        return {"tensor": tensor_data(value, torch) | {"requires_grad": bool(value.requires_grad)}}
    if value is None:
        return {"none": True}
    if isinstance(value, bool | int | float):
        return {"number": float(value)}
    if isinstance(value, list | tuple):
        return {"list": [encode_value(v, torch) for v in value]}
    return {"other": type(value).__name__[:200], "text": repr(value)[:200]}


def encode_array(tensor, torch) -> dict:
    """A tensor's values as packed float64 (runs in the worker)."""
    plain = torch.Tensor.detach(tensor).cpu()
    raw = _packed(plain, torch)
    return {"array": {"shape": list(plain.shape), "base64": base64.b64encode(raw).decode("ascii")}}


def decode_array(data, np):
    """A float64 NumPy array from packed data, checked field by field."""
    if not isinstance(data, dict) or not isinstance(data.get("array"), dict):
        raise ProtocolError("an array must be an object")
    return _unpacked(data["array"], np)


def _unpacked(data: dict, np):
    """The float64 values of packed data as a NumPy array of its shape (checked)."""
    shape, text = data.get("shape"), data.get("base64")
    if not isinstance(shape, list) or not all(type(d) is int and 0 <= d < 1 << 24 for d in shape):
        raise ProtocolError("a shape must be a list of small whole numbers")
    if not isinstance(text, str):
        raise ProtocolError("packed values must be base64 text")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise ProtocolError("packed values are not base64") from None
    if len(raw) != 8 * math.prod(shape):
        raise ProtocolError("the values do not fill the shape")
    return np.frombuffer(raw, dtype="<f8").astype(np.float64).reshape(shape)


def decode_tensor(data, torch):
    """A fresh torch.Tensor from a tensor's plain data, checked field by field."""
    import numpy

    if not isinstance(data, dict):
        raise ProtocolError("a tensor must be an object")
    dtype = data.get("dtype")
    if dtype not in FLOAT_DTYPES + INT_DTYPES:
        raise ProtocolError(f"unknown dtype {shown(str(dtype), 40)!r}")
    values = torch.from_numpy(_unpacked(data, numpy))
    return values.to(getattr(torch, dtype))


def decode_value(data, torch):
    """The checking side's copy of a learner's value: a torch.Tensor, a float, None, a list,
    or an Other describing anything else."""
    if not isinstance(data, dict) or len(data) == 0:
        raise ProtocolError("a value must be a tagged object")
    if "tensor" in data:
        return decode_tensor(data["tensor"], torch)
    if "number" in data:
        if type(data["number"]) not in (int, float):
            raise ProtocolError("a number must be a number")
        return float(data["number"])
    if "none" in data:
        return None
    if "list" in data and isinstance(data["list"], list):
        return [decode_value(v, torch) for v in data["list"]]
    if "other" in data:
        return Other(shown(data["other"], 80), shown(data.get("text", ""), 200))
    raise ProtocolError("unknown value tag")


class Other:
    """A returned value that is neither a tensor nor a number: its type name and repr."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __repr__(self) -> str:
        return self.text
