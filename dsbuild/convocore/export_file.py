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

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsbuild.errors import InputDataError
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

def _jsonl_items(text: str, where: str) -> Iterator[Any]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            doc = loads(line)
        except ValueError:
            yield BadItem("invalid_json_line", line)
            continue
        if isinstance(doc, dict) and ("data" in doc or "success" in doc):
            yield from _items_of(doc, f"{where} line {lineno}")
        else:
            yield doc

def decode_export(data: bytes, where: str) -> Iterator[Any]:
    """Yield the raw items of an export given as bytes. ``where`` names it in errors."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", errors="replace")
    stripped = text.lstrip()
    if not stripped:
        raise InputDataError(f"{where}: the file is empty; expected a Convocore JSON export")
    if stripped[0] not in "[{":
        hint = " (it looks like CSV; export with format=json)" if "," in stripped.split("\n", 1)[0] else ""
        raise InputDataError(f"{where}: not JSON{hint}; expected a Convocore JSON export")
    try:
        doc = loads(text)
    except ValueError as exc:
        first = stripped.split("\n", 1)[0]
        if stripped[0] == "{" and "\n" in stripped.strip():
            try:
                loads(first)
            except ValueError:
                pass
            else:
                return _jsonl_items(text, where)
        raise InputDataError(
            f"{where}: not valid JSON ({_short(exc)}); the file may be truncated, download it again"
        ) from exc
    return iter(_items_of(doc, where))

def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120]

def read_export(path: Path) -> tuple[bytes, Iterator[Any]]:
    """Read a file, or a directory of shards; return its bytes (for the manifest digest) and items."""
    if path.is_dir():
        from dsbuild.convocore.shards import read_shard_dir  # it builds on this module

        return read_shard_dir(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputDataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputDataError(f"{path}: is a directory, expected an export file") from None
    except OSError as exc:
        raise InputDataError(f"{path}: cannot read ({exc.strerror})") from None
    return data, decode_export(data, str(path))
