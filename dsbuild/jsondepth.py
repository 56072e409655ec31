"""A bound on how deeply an export may nest, checked on the raw bytes as they are read.

Real exports nest about a dozen levels. Hostile ones do not: the streaming parser's memory grows
with the square of the depth (10,000 levels of ``[`` take 250 MB, 100,000 exhaust the machine
from a 200 KB file), and code that walks a value recursively fails far sooner. So the bytes are
scanned before the parser builds anything: string contents are removed at C speed
(``bytes.replace``, ``translate``, one regex), and only brackets are counted.
"""

from __future__ import annotations

from itertools import accumulate
from operator import sub
from typing import IO

from dsbuild.errors import InputDataError

MAX_DEPTH = 256
_KEEP = b'"[]{}'
_DROP = bytes(b for b in range(256) if b not in _KEEP)
_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


class TooDeep(ValueError):
    """Nested deeper than :data:`MAX_DEPTH`."""


class DepthScanner:
    """Feed bytes in order; raises :class:`TooDeep` once brackets outside strings nest too deep."""

    def __init__(self, limit: int = MAX_DEPTH):
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self._carry = b""  # trailing backslashes of the last chunk: their escape is not known yet

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk
        stripped = data.rstrip(b"\\")
        self._carry = data[len(stripped):]
        # Escaped backslashes first, then escaped quotes: what is left of every other escape
        # (\n, \u00e9) is a lone backslash, dropped with everything that is not structure.
        shape = stripped.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _DROP)
        parts = shape.split(b'"')  # alternately outside and inside strings
        outside = parts[1::2] if self.in_string else parts[0::2]
        self.in_string ^= len(parts) % 2 == 0  # an odd number of quotes toggles the state
        brackets = b"".join(outside).translate(_STEPS)  # opening 2, closing 0: depth+1 / -1
        if brackets:
            # depth after k brackets = depth + (sum of the first k steps) - k, all in C
            deepest = self.depth + max(map(sub, accumulate(brackets), range(1, len(brackets) + 1)))
            self.depth += 2 * brackets.count(2) - len(brackets)
            if deepest > self.limit:
                raise TooDeep(f"nested deeper than {self.limit} levels")


def check_depth(data: bytes | str, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`TooDeep` if the JSON text ``data`` nests deeper than ``limit``."""
    DepthScanner(limit).feed(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


class DepthCheckedReader:
    """A binary reader that scans what it passes on (see :class:`DepthScanner`); a too-deep
    document is bad input: :class:`InputDataError` naming ``where``."""

    def __init__(self, raw: IO[bytes], where: str, limit: int = MAX_DEPTH):
        self._raw = raw
        self._where = where
        self._scanner = DepthScanner(limit)

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        try:
            self._scanner.feed(data)
        except TooDeep as exc:
            raise InputDataError(f"{self._where}: not a Convocore export ({exc}); check the"
                                 " file") from None
        return data
