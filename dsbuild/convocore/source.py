"""Where a build's raw items come from: an export file, or the agent's cached export.

:class:`RawSource` is what :func:`dsbuild.pipeline.build` consumes: the raw items in order and
a small, secret-free description of their origin for the manifest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsbuild.convocore.export_file import read_export
from dsbuild.convocore.shards import read_shard_dir


@dataclass
class RawSource:
    items: Iterator[Any]
    info: dict[str, Any]  # recorded as the manifest's "input": never a secret


def source_from_path(path: Path) -> RawSource:
    """``--input``: an export file, or a directory of ``*.jsonl`` shards read as one export."""
    sha, items = read_shard_dir(path) if path.is_dir() else read_export(path)
    return RawSource(items, {"file": path.name, "sha256": sha})
