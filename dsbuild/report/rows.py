"""Read back the rows of an output directory's split files, whatever format wrote them.

``jsonl`` and ``parquet`` files are named by :mod:`dsbuild.sinks.layout`; ``hf`` is the
``DatasetDict.save_to_disk`` layout (``<split>/*.arrow``). Rows are read a batch at a time so
memory does not grow with the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from dsbuild.errors import InputDataError
from dsbuild.sinks.layout import hub_split_file, split_file
from dsbuild.targets import sharegpt


def split_files(out: Path, split: str) -> tuple[str, list[Path]]:
    """The format and files holding ``split`` in ``out`` (``("", [])`` when there are none)."""
    for fmt in ("jsonl", "parquet"):
        p = out / split_file(split, fmt)
        if p.is_file():
            return fmt, [p]
    arrow = sorted((out / split).glob("*.arrow")) if (out / split).is_dir() else []
    if arrow:
        return "hf", arrow
    return "", []


def iter_rows(fmt: str, files: list[Path]) -> Iterator[dict[str, Any]]:
    for path in files:
        if fmt == "jsonl":
            yield from _jsonl(path)
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
                yield from batch.to_pylist()
        else:
            import pyarrow as pa

            with pa.memory_map(str(path)) as source:
                for batch in pa.ipc.open_stream(source):
                    yield from batch.to_pylist()


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise InputDataError(f"{path}:{n}: not valid JSON; was the file edited?") from None
            if not isinstance(row, dict):
                raise InputDataError(f"{path}:{n}: a row must be a JSON object")
            yield row


def row_messages(row: dict[str, Any]) -> list[tuple[str, str]]:
    """``(role, text)`` of every message of a row of any target (messages, openai, sharegpt, kto)."""
    if isinstance(row.get("messages"), list):
        return [_message(m) for m in row["messages"]]
    if isinstance(row.get("conversations"), list):  # ShareGPT
        out = [("system", row["system"])] if isinstance(row.get("system"), str) and row["system"] else []
        return out + [(_SHAREGPT_ROLES.get(str(m.get("from")), str(m.get("from"))), _text(m.get("value")))
                      for m in row["conversations"] if isinstance(m, dict)]
    out = []
    for key, default_role in (("prompt", "user"), ("completion", "assistant")):  # TRL prompt-completion
        part = row.get(key)
        if isinstance(part, str):
            out.append((default_role, part))
        elif isinstance(part, list):
            out += [_message(m) for m in part]
    return out


def row_label(row: dict[str, Any]) -> str:
    """A row's label: a KTO ``label`` (the per-reply training label, ``label:true|false``) if
    there is one, else the conversation's ``feedback`` metadata."""
    if isinstance(row.get("label"), bool):
        return "label:true" if row["label"] else "label:false"
    feedback = row.get("feedback")
    if isinstance(feedback, str):
        return feedback
    return "none"


_SHAREGPT_ROLES = {**{v: r.value for r, v in sharegpt.FROM.items()}, "system": "system"}


def _message(m: Any) -> tuple[str, str]:
    if isinstance(m, str):  # a datasets Json value read back by pyarrow (openai in hf/parquet)
        try:
            m = orjson.loads(m)
        except orjson.JSONDecodeError:
            return ("unknown", "")
    if not isinstance(m, dict):
        return ("unknown", "")
    return (str(m.get("role")), _text(m.get("content")))


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") for p in content if isinstance(p, dict)
                       and isinstance(p.get("text"), str))
    return ""


def find_split(out: Path, split: str) -> tuple[str, Path] | None:
    """(format, path) of one split in an output directory or a downloaded Hub repo, or None.

    For ``hf`` the path is the split's ``save_to_disk`` directory.
    """
    fmt, files = split_files(out, split)
    if fmt == "hf":
        return fmt, out / split
    if files:
        return fmt, files[0]
    hub = out / hub_split_file(split)  # a repo downloaded from the Hub
    if hub.exists():
        return "parquet", hub
    return None
