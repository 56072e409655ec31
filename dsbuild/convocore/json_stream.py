"""Incremental JSON reading of a large document with ijson's C backend (yajl2_c).

ijson reads an export in 64 KB buffers and builds one item at a time, so a build never holds
the whole file. Its C backend differs from the reader of a whole file (:mod:`dsbuild.jsonio`)
in two ways this module takes care of:

* it reads a lone UTF-16 surrogate escape (``"\\ud83d"``, which JavaScript servers write) as
  ``?``; :class:`RepairingReader` rewrites each lone escape into a private marker that yajl
  passes through, and :func:`restore` turns the marker back into the surrogate, so items are
  exactly what ``json.loads`` gives (text normalisation drops the surrogate later);
* it refuses invalid UTF-8; the reader decodes with ``errors="replace"`` as the whole-file
  reader does.

The marker is U+FFFF (a noncharacter) followed by the four hex digits; a U+FFFF already in the
file is doubled, so the rewrite is reversible for every input.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

import ijson  # type: ignore[import-untyped]
import orjson

BACKEND = "yajl2_c"  # the C backend; ijson falls back to slower ones silently, so we ask for it
CHUNK = 1 << 16
_M = "\uffff"
_M_BYTES = _M.encode()
# Escaped backslashes (to keep escape parity), surrogate escapes (a pair or a lone one), U+FFFF.
_TOKEN = re.compile(rb"\\\\|\\u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
                    rb"|\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u[fF]{4}|\xef\xbf\xbf")
_LONGEST = 12  # a surrogate pair escape
_BIG_DIGITS = 19  # int64 holds every 18-digit number
_BIG = re.compile(rb"[0-9]{%d}" % _BIG_DIGITS)
_MARKED = re.compile(_M + "(" + _M + "|[0-9a-f]{4})")


def backend() -> Any:
    """ijson's C backend module; an ImportError if ijson was installed without it."""
    return ijson.get_backend(BACKEND)


class BigNumbers(Exception):
    """Raised by a fast reader on a run of 19+ digits: yajl2_c makes such integers floats."""


class RepairingReader:
    """A binary reader of ``raw`` that yajl can parse exactly (see the module docstring).

    With ``exact_numbers=False`` (fast: floats straight from C) it raises :class:`BigNumbers`
    on a digit run that may be an integer beyond 64 bits; read again with ``exact_numbers``.
    """

    def __init__(self, raw: IO[bytes], exact_numbers: bool = False):
        self._raw = raw
        self.exact_numbers = exact_numbers
        self._tail = b""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._carry = b""
        self._eof = False
        self.marked = False  # True once a marker was written: items need :func:`restore`

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes the type of the reader with read(0)
            return b""
        while not self._eof:
            raw = self._raw.read(CHUNK)
            if not raw:
                self._eof = True
                data = self._carry + self._decoder.decode(b"", final=True).encode()
                self._carry = b""
                return self._checked(self._sub(data))
            if raw.isascii() and not self._decoder.getstate()[0]:
                data = self._carry + raw
            else:
                data = self._carry + self._decoder.decode(raw).encode()
            out = self._split(data)
            if out:
                return self._checked(out)
        return b""

    def _checked(self, out: bytes) -> bytes:
        if not self.exact_numbers:
            if _BIG.search(self._tail + out[:_BIG_DIGITS]) or _BIG.search(out):
                raise BigNumbers
            self._tail = out[-_BIG_DIGITS:]
        return out

    def _split(self, data: bytes) -> bytes:
        """Rewrite ``data`` up to a token boundary; keep a possibly partial token for later."""
        if b"\\" not in data and _M_BYTES not in data:
            self._carry = b""
            return data
        limit = len(data) - _LONGEST
        pos = 0
        for m in _TOKEN.finditer(data):
            if m.start() >= limit:
                break
            pos = m.end()
        cut = data.find(b"\\", max(pos, limit, 0))
        if cut == -1:
            cut = len(data)
        self._carry = data[cut:]
        return self._sub(data[:cut])

    def _sub(self, data: bytes) -> bytes:
        if b"\\" not in data and _M_BYTES not in data:
            return data
        return _TOKEN.sub(self._replace, data)

    def _replace(self, m: re.Match[bytes]) -> bytes:
        token = m.group(0)
        if token == b"\\\\" or m.group(2) is not None:
            return token  # an escaped backslash, or a surrogate pair yajl reads correctly
        self.marked = True
        lone = m.group(1) or m.group(3)
        if lone is not None:
            return b"\\uffff" + lone.lower()
        return token + token  # U+FFFF itself, escaped or not: doubled


def _unmark(m: re.Match[str]) -> str:
    code = m.group(1)
    return _M if code == _M else chr(int(code, 16))


def restore(value: Any) -> Any:
    """``value`` with the reader's markers turned back into what the file said."""
    if isinstance(value, str):
        return _MARKED.sub(_unmark, value) if _M in value else value
    if isinstance(value, dict):
        return {restore(k): restore(v) for k, v in value.items()}
    if isinstance(value, list):
        return [restore(v) for v in value]
    return value


def _marked(value: Any) -> bool:
    """Whether ``value`` holds a marker: one C call, so that an export with a lone surrogate
    near its start does not send every later item through :func:`restore`'s Python walk."""
    try:
        return _M_BYTES in orjson.dumps(value)
    except TypeError:  # an integer beyond 64 bits: walk it
        return True


def _floats(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return value


def items(reader: RepairingReader, prefix: str) -> Iterator[Any]:
    """The values at ``prefix`` (ijson syntax, e.g. ``data.item``), one at a time."""
    exact = reader.exact_numbers
    for value in backend().items(reader, prefix, use_float=not exact):
        value = _floats(value) if exact else value  # exact: floats come as Decimal
        yield restore(value) if reader.marked and _marked(value) else value


def parse(reader: RepairingReader) -> Iterator[tuple[str, str, Any]]:
    """ijson's event stream (prefix, event, value)."""
    events = backend().parse(reader, use_float=not reader.exact_numbers)
    if not reader.exact_numbers:
        return events  # type: ignore[no-any-return]
    return ((p, e, float(v) if isinstance(v, Decimal) else v) for p, e, v in events)


def builder() -> Any:
    return ijson.ObjectBuilder()


JSONError = ijson.JSONError
