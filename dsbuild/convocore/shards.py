"""Read a directory of export shards (``part-00000.jsonl``, ...) as one export.

Large exports are best kept as many JSONL files. Every ``*.jsonl`` / ``*.json`` file directly in
the directory is read in name order, each decoded like a single export file, so the items come
out in the same order as from the concatenated file, and the digest is that of the
concatenation (``cat part-*.jsonl | sha256sum`` gives the manifest's value).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dsbuild.convocore.export_file import decode_export
from dsbuild.errors import InputDataError

SHARD_SUFFIXES = (".jsonl", ".json")


def shard_files(directory: Path) -> list[Path]:
    """The shards of a directory in the order they are read; none is an error."""
    try:
        files = sorted(p for p in directory.iterdir()
                       if p.suffix in SHARD_SUFFIXES and p.is_file() and not p.name.startswith("."))
    except OSError as exc:
        raise InputDataError(f"{directory}: cannot list the directory ({exc.strerror})") from None
    if not files:
        raise InputDataError(f"{directory}: no *.jsonl or *.json export files in this directory")
    return files


def read_shard_dir(directory: Path) -> tuple[bytes, Iterator[Any]]:
    """Like :func:`read_export` for a directory: the shards' bytes, concatenated, and the items."""
    parts: list[tuple[Path, bytes]] = []
    for path in shard_files(directory):
        try:
            parts.append((path, path.read_bytes()))
        except OSError as exc:
            raise InputDataError(f"{path}: cannot read ({exc.strerror})") from None
    return b"".join(data for _, data in parts), _items(parts)


def _items(parts: list[tuple[Path, bytes]]) -> Iterator[Any]:
    while parts:
        path, data = parts.pop(0)  # let each shard's bytes go once it is decoded
        if data.strip():  # a shard writer may leave an empty last file
            yield from decode_export(data, str(path))
