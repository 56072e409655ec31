"""Read a directory of export shards (``part-00000.jsonl``, ...) as one export.

Large exports are best kept as many JSONL files. Every ``*.jsonl`` / ``*.json`` file directly in
the directory is read in name order, each decoded like a single export file, so the items come
out in the same order as from the concatenated file, and the digest is that of the
concatenation (``cat part-*.jsonl | sha256sum`` gives the manifest's value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from dsbuild.convocore.export_file import iter_file, open_checked
from dsbuild.errors import InputDataError
from dsbuild.hashing import files_sha256

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


def read_shard_dir(directory: Path) -> tuple[str, Callable[[], Iterator[Any]]]:
    """Like :func:`read_export` for a directory: the digest of the concatenation, and a reader
    of the items (each call reads them again, from the first shard)."""
    files = shard_files(directory)
    for path in files:
        open_checked(path).close()  # an unreadable shard fails before anything is built
    return files_sha256(files), lambda: _items(files)


def _items(files: list[Path]) -> Iterator[Any]:
    for path in files:  # a shard writer may leave an empty last file
        yield from iter_file(path, allow_empty=True)
