"""Text from a learner's code, made safe to show and to store.

Whatever a submission says (an exception's type and message, a returned object's repr, what
it prints) reaches a terminal, a report file or a learner's feedback only through `shown`:
bounded in length, valid UTF-8, and with no character that a terminal would act on (escape
sequences, carriage returns, backspaces, bidirectional overrides), each written out as an
escape instead. So what the terminal shows is what the files say.
"""

import sys
import unicodedata

KEPT = "\n\t"  # line breaks and tabs stay: messages are laid out with them


def _visible(char: str) -> str:
    if char in KEPT:
        return char
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:  # C0 and C1 controls, DEL: ESC, CR, BS, CSI, ...
        return f"\\x{code:02x}"
    if 0xD800 <= code < 0xE000:  # a lone surrogate: no file or terminal can write it
        return f"\\u{code:04x}"
    if unicodedata.category(char) == "Cf":  # bidirectional overrides, zero-width characters
        return f"\\u{code:04x}"
    return char


def tolerant_output() -> None:
    """Let standard output and error write any text: a character their encoding lacks (a
    Windows console in cp1252, say) is written as an escape instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def shown(text, limit: int = 2000) -> str:
    """`text` (any object: its str) with every control character written out, at most
    `limit` characters long (what is cut is counted)."""
    text = text if isinstance(text, str) else str(text)
    cut = len(text) - limit
    if cut > 0:
        text = text[:limit]
    if not text.isprintable() or any(0xD800 <= ord(c) < 0xE000 for c in text):
        text = "".join(_visible(c) for c in text)
    return text + (f"... ({cut} more characters)" if cut > 0 else "")
