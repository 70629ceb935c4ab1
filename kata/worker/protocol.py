"""What crosses between a worker and the checking side: frames of plain data, never pickles.

A frame is one line, the byte count of its attachment, a space and a JSON object, followed
by the attachment: the bytes of the values the JSON refers to as {"blob": [offset, size]}.
A request is {"probe": NAME, "args": {...}} (a tuple argument is {"tuple": [...]}); a reply
is {"status": STATUS, ...}. Values are tagged plain data: {"tensor": {"dtype", "shape",
"bytes", "requires_grad"}}, {"number": x}, {"none": true}, {"list": [...]}, {"other": type
name, "text": repr}; a long series of numbers (a fit's path) crosses as {"array": {"shape",
"bytes"}}. Both pack their values as little-endian float64 bytes (every float and int dtype
the protocol knows fits a float64 exactly, up to 2**53), which cross in the attachment as
they are: no value is written, escaped or parsed one by one.
Both sides share this module; only the checking side turns tensors back into torch
tensors, always of exact type torch.Tensor, and it checks every field as it does so.
"""

import enum
import json
import math

from kata.safe_text import shown

# The largest frame the checking side reads, its line and attachment together: 16 MiB (the
# largest value of the contract, hinge_features of 10,000 rows and 100 knots, takes 7.6 MiB;
# a fit of 20,000 updates, well under 1 MiB).
MAX_FRAME = 16 << 20
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


def encode_frame(message: dict) -> bytes:
    """A message as one frame: every bytes value in it goes to the attachment, and the JSON
    holds {"blob": [offset, size]} in its place."""
    blobs, size = [], 0

    def attach(value):
        nonlocal size
        if not isinstance(value, bytes):
            raise TypeError(f"{type(value).__name__} cannot cross")
        blobs.append(value)
        size += len(value)
        return {"blob": [size - len(value), len(value)]}

    text = json.dumps(message, separators=(",", ":"), default=attach).encode()
    return b"%d " % size + text + b"\n" + b"".join(blobs)


def attachment_size(line: bytes) -> int:
    """The byte count a frame's line (without its line end) announces for its attachment."""
    space = line.find(b" ", 0, 11)
    count = line[:space] if space > 0 else b""
    if not (0 < len(count) <= 9 and count.isdigit()) or int(count) > MAX_FRAME:
        raise ProtocolError("a frame must begin with the size of its attachment")
    return int(count)


def decode_frame(line: bytes, attachment: bytes) -> dict:
    """The message of a frame (its line without the line end, and its attachment): every
    {"blob": [offset, size]} becomes a memoryview of those bytes, checked to lie within."""
    whole = memoryview(attachment)

    def blob(obj: dict):
        if len(obj) != 1 or "blob" not in obj:
            return obj
        ref = obj["blob"]
        if not (isinstance(ref, list) and len(ref) == 2 and all(type(v) is int and v >= 0 for v in ref)):
            raise ProtocolError("a blob must be [offset, size]")
        if ref[0] + ref[1] > len(attachment):
            raise ProtocolError("a blob beyond its attachment")
        return whole[ref[0] : ref[0] + ref[1]]

    try:
        message = json.loads(line[line.find(b" ") + 1 :], object_hook=blob, parse_int=_small_int)
    except ProtocolError:
        raise
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"not JSON: {error}") from None
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    return message


def _small_int(digits: str) -> int:
    """A whole number of the JSON: every one the protocol has is small (a shape, an offset, a
    count), and a float crosses as a float."""
    if len(digits.lstrip("-")) > 18:
        raise ProtocolError("a whole number of more than 18 digits")
    return int(digits)


class Frames:
    """Splits a stream of bytes into frames: feed() what arrives, take() each whole frame."""

    def __init__(self):
        self.buffer = bytearray()
        self.searched = 0  # no line end before this: each byte is looked at once
        self.need = None  # (where its line ends, where the frame ends), once its line has come

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk

    def take(self) -> tuple[bytes, bytes] | None:
        """The next whole frame as (line, attachment), or None until it has all come.
        Raises ProtocolError on a line that does not begin a frame."""
        if self.need is None:
            end = self.buffer.find(b"\n", self.searched)
            if end < 0:
                self.searched = len(self.buffer)
                if self.searched > MAX_FRAME:
                    raise ProtocolError(f"a reply larger than {MAX_FRAME >> 20} MiB")
                return None
            self.need = (end, end + 1 + attachment_size(bytes(self.buffer[: min(end, 16)])))
        end, whole = self.need
        if len(self.buffer) < whole:
            return None
        frame = bytes(self.buffer[:end]), bytes(self.buffer[end + 1 : whole])
        del self.buffer[:whole]
        self.searched, self.need = 0, None
        return frame


def tensor_data(tensor, torch) -> dict:
    """A tensor's dtype, shape and values packed as float64 (both sides use it). A dtype the
    protocol does not know crosses with no values: the checking side refuses it by name."""
    plain = torch.Tensor.detach(tensor).cpu()
    dtype = str(plain.dtype).removeprefix("torch.")
    known = dtype in FLOAT_DTYPES + INT_DTYPES
    raw = _packed(plain, torch) if known else b""
    return {"dtype": dtype, "shape": list(plain.shape), "bytes": raw}


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
    return {"array": {"shape": list(plain.shape), "bytes": _packed(plain, torch)}}


def decode_array(data, np):
    """A float64 NumPy array from packed data, checked field by field."""
    if not isinstance(data, dict) or not isinstance(data.get("array"), dict):
        raise ProtocolError("an array must be an object")
    return _unpacked(data["array"], np)


def _unpacked(data: dict, np):
    """The float64 values of packed data as a NumPy array of its shape (checked)."""
    shape, raw = data.get("shape"), data.get("bytes")
    if not isinstance(shape, list) or not all(type(d) is int and 0 <= d < 1 << 24 for d in shape):
        raise ProtocolError("a shape must be a list of small whole numbers")
    if not isinstance(raw, memoryview):
        raise ProtocolError("packed values must be a blob of the attachment")
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
