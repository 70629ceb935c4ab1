"""The frames that cross between a worker and the checking side (kata.worker.protocol):
values come back exactly as they went, however the stream is cut, and anything else a
worker could write is refused by name."""

import json

import numpy as np
import pytest
import torch

from kata.worker.protocol import (
    MAX_FRAME,
    Frames,
    ProtocolError,
    decode_array,
    decode_frame,
    decode_value,
    encode_array,
    encode_frame,
    encode_value,
)

VALUES = [
    torch.tensor([[1.5], [-2.25]], dtype=torch.float32),
    torch.arange(12, dtype=torch.float64).reshape(3, 4) / 7,
    torch.tensor([], dtype=torch.float64).reshape(0, 3),
    torch.tensor(3.0, dtype=torch.bfloat16),
    torch.tensor([2**53, -5], dtype=torch.int64),
    torch.tensor([True, False]),
]


def through(data: bytes, piece: int) -> list[dict]:
    """Every message in `data`, fed to Frames `piece` bytes at a time."""
    frames, messages = Frames(), []
    for start in range(0, len(data), piece):
        frames.feed(data[start : start + piece])
        while (frame := frames.take()) is not None:
            messages.append(decode_frame(*frame))
    return messages


@pytest.mark.parametrize("piece", [1, 7, 4096, 1 << 20])
def test_values_come_back_exactly_however_the_stream_is_cut(piece):
    message = {
        "status": "returned",
        "value": encode_value(VALUES, torch),
        "path": encode_array(torch.linspace(0, 1, 5), torch),
        "note": 'text with "quotes", a \\ and a line end\n',
    }
    data = encode_frame(message) + encode_frame({"status": "raised"})
    first, second = through(data, piece)
    assert second == {"status": "raised"}, f"the second frame came back as {second}"
    assert first["note"] == message["note"], "a text changed on its way"
    got = decode_value(first["value"], torch)
    for sent, back in zip(VALUES, got, strict=True):
        assert back.dtype == sent.dtype and back.shape == sent.shape, f"{sent} came back as {back}"
        assert torch.equal(back, sent), f"{sent} came back as {back}"
    assert np.array_equal(decode_array(first["path"], np), np.linspace(0, 1, 5)), "a fit's path changed"


def test_a_message_without_values_has_an_empty_attachment():
    assert encode_frame({"probe": "value"}) == b'0 {"probe":"value"}\n'


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b'{"status":"returned"}\n', "must begin with the size"),
        (b"x1 {}\n", "must begin with the size"),
        (b"%d {}\n" % (MAX_FRAME + 1), "must begin with the size"),
        (b"[1] \n", "must begin with the size"),
        (b"2 [1]\nab", "not a JSON object"),
        (b"0 {\n", "not JSON"),
        (b"0 " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "not JSON"),
        (b'4 {"v":{"blob":[2,4]}}\nabcd', "beyond its attachment"),
        (b'4 {"v":{"blob":[0,-1]}}\nabcd', "must be \\[offset, size\\]"),
        (b'4 {"v":{"blob":"abcd"}}\nabcd', "must be \\[offset, size\\]"),
    ],
)
def test_a_frame_the_protocol_does_not_allow_is_refused(data, named):
    with pytest.raises(ProtocolError, match=named):
        through(data, 1 << 20)


def test_a_line_that_never_ends_is_refused_once_it_passes_the_largest_frame():
    frames = Frames()
    frames.feed(b"1" * MAX_FRAME)
    assert frames.take() is None, "a frame was found in a line that has not ended"
    frames.feed(b"1")
    with pytest.raises(ProtocolError, match="larger than 16 MiB"):
        frames.take()


@pytest.mark.parametrize(
    "packed",
    [
        {"dtype": "float64", "shape": [2], "bytes": "AAAAAAAA8D8AAAAAAAAAQA=="},  # text, not a blob
        {"dtype": "float64", "shape": [3], "bytes": {"blob": [0, 16]}},  # too few values
        {"dtype": "complex128", "shape": [1], "bytes": {"blob": [0, 8]}},
    ],
)
def test_a_tensor_whose_fields_do_not_hold_is_refused(packed):
    (message,) = through(b"16 " + json.dumps({"value": {"tensor": packed}}).encode() + b"\n" + bytes(16), 64)
    with pytest.raises(ProtocolError):
        decode_value(message["value"], torch)
