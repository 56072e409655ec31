"""Where a build's raw items come from: an export file, or the agent's cached export.

:class:`RawSource` is what :func:`dsbuild.pipeline.build` consumes: a way to read the raw items
in order (as often as needed: the build reads them twice, see
:mod:`dsbuild.convocore.versions`) and a small, secret-free description of their origin for the
manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsbuild.convocore.export_file import iter_file, open_checked
from dsbuild.convocore.shards import read_shard_dir
from dsbuild.hashing import file_sha256

Reader = Callable[[], Iterator[Any]]


@dataclass
class RawSource:
    read: Reader  # a fresh pass over the raw items, from the start, each call
    info: dict[str, Any]  # recorded as the manifest's "input": never a secret

    @property
    def items(self) -> Iterator[Any]:
        """One pass over the raw items."""
        return self.read()


def source_from_path(path: Path) -> RawSource:
    """``--input``: an export file, or a directory of ``*.jsonl`` shards read as one export."""
    if path.is_dir():
        sha, read = read_shard_dir(path)
    else:
        open_checked(path).close()  # the one-line errors for a missing or unreadable file, first
        sha, read = file_sha256(path), lambda: iter_file(path)
    return RawSource(read, {"file": path.name, "sha256": sha})
