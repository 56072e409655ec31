"""Read an export file into raw conversation items.

Accepted shapes (convocore-api.md §2.2, §2.3, §4 #27):

* the v3 envelope ``{"success": true, "message": ..., "data": [...]}``;
* the single-conversation envelope, where ``data`` is one object;
* a bare list of items;
* JSONL: one item (or one envelope, e.g. a cached page) per line.

A file that is not JSON, is truncated, is an error envelope (``success: false``) or carries CSV
raises :class:`InputDataError`. A bad *line* in a JSONL file is yielded as a
:class:`BadItem` so the pipeline can skip and count it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

from dsbuild.convocore import json_stream
from dsbuild.convocore.json_stream import CHUNK
from dsbuild.errors import InputDataError
from dsbuild.hashing import file_sha256
from dsbuild.jsondepth import DepthCheckedReader
from dsbuild.jsonio import loads


@dataclass(frozen=True, slots=True)
class BadItem:
    reason: str
    raw: str

def _items_of(doc: Any, where: str) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if "turns" in doc and "data" not in doc:
            return [doc]  # a single bare conversation
        if doc.get("success") is False or ("data" not in doc and "message" in doc):
            # The envelope's message is free text from the export: never quoted, only a code.
            code = doc.get("code")
            shown = f" (code {code})" if isinstance(code, int) and not isinstance(code, bool) else ""
            raise InputDataError(
                f"{where}: the export is an error response, not conversations{shown};"
                " export again and retry"
            )
        if "data" not in doc:
            raise InputDataError(
                f"{where}: not a Convocore export (no 'data' list, no 'turns');"
                " expected the JSON from GET /agents/<id>/convos/export"
            )
        data = doc["data"]
        if data is None:
            return []
        if isinstance(data, list):
            return data
        if isinstance(data, dict):
            return [data]
        if isinstance(data, str):
            raise InputDataError(
                f"{where}: the export's 'data' is a string (CSV?), not conversations;"
                " export with format=json"
            )
        raise InputDataError(f"{where}: the export's 'data' is a {type(data).__name__}, expected a list")
    raise InputDataError(f"{where}: expected a JSON object or list, found {type(doc).__name__}")

def _jsonl_line(line: str, lineno: int, where: str) -> Iterator[Any]:
    if not line.strip():
        return
    try:
        doc = loads(line)
    except ValueError:
        yield BadItem("invalid_json_line", line)
        return
    if isinstance(doc, dict) and ("data" in doc or "success" in doc):
        yield from _items_of(doc, f"{where} line {lineno}")
    else:
        yield doc


def _jsonl_items(opener: Opener, where: str) -> Iterator[Any]:
    """One line at a time; lines end at ``\\n`` only (a U+2028 inside a string is text)."""
    with opener() as f:
        _skip_bom(f)
        for lineno, raw in enumerate(f, start=1):
            line = raw.decode("utf-8", errors="replace")
            yield from _jsonl_line(line.removesuffix("\n"), lineno, where)


Opener = Callable[[], IO[bytes]]
_WS = b" \t\r\n"
_HEAD_LIMIT = 1 << 18  # a longer first line: read as a document first (see _document)


def _skip_bom(f: IO[bytes]) -> None:
    if f.read(3) != b"\xef\xbb\xbf":
        f.seek(0)


def _head(opener: Opener) -> tuple[bytes, bytes, bool]:
    """(the first line after leading whitespace, the first byte of what follows it, is-empty)."""
    with opener() as f:
        _skip_bom(f)
        while True:  # leading whitespace
            chunk = f.read(CHUNK)
            if not chunk:
                return b"", b"", True
            if chunk.lstrip(_WS):
                break
        buf = bytearray(chunk.lstrip(_WS))
        while b"\n" not in buf and len(buf) <= _HEAD_LIMIT:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            buf += chunk
        line, nl, rest = bytes(buf).partition(b"\n")
        after = rest.lstrip(_WS)[:1]
        while nl and not after:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            after = chunk.lstrip(_WS)[:1]
        return line, after, False


def _iter_export(opener: Opener, where: str, allow_empty: bool = False) -> Iterator[Any]:
    line, after, empty = _head(opener)
    if empty:
        if allow_empty:
            return
        raise InputDataError(f"{where}: the file is empty; expected a Convocore JSON export")
    first = line.decode("utf-8", errors="replace")
    if first[0] not in "[{":
        hint = " (it looks like CSV; export with format=json)" if "," in first else ""
        raise InputDataError(f"{where}: not JSON{hint}; expected a Convocore JSON export")
    jsonl = first[0] == "{" and bool(after) and _is_json(first)
    del line, first  # not held while the items stream
    # A complete document on the first line and more after it: JSONL.
    yield from (_jsonl_items if jsonl else _document)(opener, where)


def _is_json(text: str) -> bool:
    try:
        loads(text)
    except ValueError:
        return False
    return True


def _document(opener: Opener, where: str) -> Iterator[Any]:
    """One JSON document, streamed: the envelope's small keys first, then ``data`` item by item."""
    done = 0
    exact = False
    error: Exception
    while True:
        try:
            for item in islice(_document_items(opener, where, exact), done, None):
                yield item
                done += 1
            return
        except json_stream.BigNumbers:
            exact = True  # read again, with integers of any size (and skip what was yielded)
        except json_stream.JSONError as exc:
            error = exc
            break
    if "trailing garbage" in str(error) and _first_line_is_json(opener):
        # A JSONL file whose first line is longer than the head read: line by line after all.
        yield from islice(_jsonl_items(opener, where), done, None)
    elif _c_parser_limit(error):
        # NaN or a number too large for a double: the C parser refuses what the standard library reads.
        yield from islice(_whole_document(opener, where), done, None)
    else:
        raise InputDataError(f"{where}: not valid JSON ({_short(error)}); the file may be"
                             " truncated, download it again") from error


def _first_line_is_json(opener: Opener) -> bool:
    with opener() as f:
        _skip_bom(f)
        for line in f:
            if line.strip():
                return _is_json(line.decode("utf-8", errors="replace"))
    return False


def _c_parser_limit(exc: Exception) -> bool:
    msg = str(exc)
    return "overflow" in msg or "invalid char in json text" in msg


def _whole_document(opener: Opener, where: str) -> Iterator[Any]:
    with opener() as f:
        _skip_bom(f)
        text = f.read().decode("utf-8", errors="replace")
    try:
        doc = loads(text)
    except ValueError as exc:
        raise InputDataError(f"{where}: not valid JSON ({_short(exc)}); the file may be"
                             " truncated, download it again") from exc
    return iter(_items_of(doc, where))


_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")


def _document_items(opener: Opener, where: str, exact: bool) -> Iterator[Any]:
    prefix = "item"  # a bare list
    with opener() as f:
        _skip_bom(f)
        reader = json_stream.RepairingReader(_depth_checked(f, where), exact)
        events = json_stream.parse(reader)
        _, event, _ = next(events)
        if event != "start_array":
            found, head = _envelope_head(events)
            head = json_stream.restore(head) if reader.marked else head
            if found is None:  # the whole object was read: a bare conversation or an error
                for _ in events:  # only whitespace may follow (else: trailing garbage)
                    pass
                yield from _items_of(head, where)
                return
            _items_of({**head, "data": []}, where)  # raises for an error envelope
            prefix = "data.item" if found == "start_array" else "data"
        del events, reader  # the head parser's buffers go before the items stream
    with opener() as f:  # the items, read again from the start by the C parser
        _skip_bom(f)
        values = json_stream.items(json_stream.RepairingReader(_depth_checked(f, where), exact),
                                   prefix)
        if prefix == "data":  # the single-conversation envelope
            yield from islice(values, 1)
            for _ in values:  # read to the end: a truncated file is still an error
                pass
        else:
            yield from values


def _depth_checked(f: IO[bytes], where: str) -> IO[bytes]:
    """``f``, refusing a document nested too deeply before the parser builds any of it (the
    parser's memory grows with the square of the depth)."""
    return cast(IO[bytes], DepthCheckedReader(f, where))  # it has what the readers use: read()


def _envelope_head(events: Iterator[tuple[str, str, Any]]) -> tuple[str | None, dict[str, Any]]:
    """Read a top-level object up to a ``data`` list or object, building the other values.

    Returns the kind of ``data`` found (``start_array`` / ``start_map``) and the keys before it,
    or ``None`` and the whole object when it has no such ``data``.
    """
    head: dict[str, Any] = {}
    for _prefix, event, key in events:
        if event == "end_map":
            return None, head
        _, event, value = next(events)
        if key == "data" and event in _STARTS:
            return event, head
        if event in _STARTS:
            build = json_stream.builder()
            build.event(event, value)
            depth = 1
            while depth:
                _, event, value = next(events)
                build.event(event, value)
                depth += (event in _STARTS) - (event in _ENDS)
            value = build.value
        head[key] = value
    return None, head  # not reached: the parser raises on a truncated object


def decode_export(data: bytes, where: str) -> Iterator[Any]:
    """Yield the raw items of an export given as bytes. ``where`` names it in errors."""
    return _iter_export(lambda: io.BytesIO(data), where)


def iter_file(path: Path, allow_empty: bool = False) -> Iterator[Any]:
    """Yield the raw items of an export file, reading it incrementally."""
    return _iter_export(lambda: open_checked(path), str(path), allow_empty)


def open_checked(path: Path) -> IO[bytes]:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputDataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputDataError(f"{path}: is a directory, expected an export file") from None
    except OSError as exc:
        raise InputDataError(f"{path}: cannot read ({exc.strerror})") from None


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120]


def read_export(path: Path) -> tuple[str, Iterator[Any]]:
    """An export file: its sha256 (for the manifest) and its items, streamed.

    The file is checked and hashed first (one sequential read); the items are then read one at
    a time, so nothing holds the whole export. A directory of shards is
    :func:`dsbuild.convocore.shards.read_shard_dir`; :mod:`dsbuild.convocore.source` chooses.
    """
    open_checked(path).close()  # the one-line errors for a missing or unreadable file, before anything
    return file_sha256(path), iter_file(path)
