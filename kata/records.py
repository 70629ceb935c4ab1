"""The records a checking process streams to `kata grade`, read as they arrive.

A checking process (kata.grading) writes JSON lines: the checks it collected, one record per
check, how the worker was confined, and a last line saying it finished. It never imports
the submission, but its records quote what the submission's code said (exception types and
messages, reprs), so they are read here as untrusted text:
- in time linear in their size, and no more than MAX_BYTES of them: past that the reader
  says so, and kata.grading ends that submission's checks;
- a line that is not a JSON object (one cut short by a kill, say) is counted and skipped;
- every string is bounded and made safe to show (kata.safe_text), so that the table, the
  report files and the feedback all say the same, and none can move a terminal's cursor.
"""

import json

from kata.safe_text import shown

MAX_BYTES = 32 << 20  # a whole run's records are about 100 KB; a record's strings are short
STRING_LIMIT = 4000  # characters kept of any one string of a record


class RecordReader:
    """Parse a checking process's JSON lines chunk by chunk."""

    def __init__(self, limit: int = MAX_BYTES):
        self.limit, self.size = limit, 0
        self.pending = bytearray()
        self.searched = 0  # `pending` holds no line end before this offset
        self.collected, self.records, self.confinement = [], [], {}
        self.finished = False
        self.unreadable = 0  # lines that were not JSON objects
        self.too_large = False

    def feed(self, chunk: bytes) -> list[dict]:
        """Take the next bytes; return the records they completed. Past the limit, nothing
        more is read and `too_large` is set."""
        if self.too_large:
            return []
        self.size += len(chunk)
        if self.size > self.limit:
            self.too_large = True
            return []
        self.pending += chunk
        last = self.pending.rfind(b"\n", self.searched)
        if last < 0:  # a line still growing: this chunk is looked at once, not again
            self.searched = len(self.pending)
            return []
        lines = bytes(self.pending[:last]).split(b"\n")
        del self.pending[: last + 1]
        self.searched = 0
        return [record for line in lines for record in self._take(line)]

    def _take(self, line: bytes) -> list[dict]:
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if not isinstance(item, dict):
            self.unreadable += 1
            return []
        item = safe(item)
        if item.get("finished") is True:
            self.finished = True
        elif isinstance(item.get("collected"), list):
            self.collected = [c for c in item["collected"] if isinstance(c, dict)]
        elif isinstance(item.get("record"), dict):
            self.records.append(item["record"])
            return [item["record"]]
        elif isinstance(item.get("confinement"), dict):
            self.confinement = item["confinement"]
        return []


def safe(value, depth: int = 0):
    """`value` with every string bounded and free of control characters."""
    if isinstance(value, str):
        return shown(value, STRING_LIMIT)
    if depth > 8:
        return None
    if isinstance(value, list):
        return [safe(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {shown(k, 200): safe(v, depth + 1) for k, v in value.items()}
    return value
