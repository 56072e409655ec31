"""JSONL files: one row per line, orjson, byte-identical for identical rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import orjson


class JsonlWriter:
    def __init__(self, path: Path):
        self.path = path
        self._f: BinaryIO = open(path, "wb")
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        self._f.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
        self.rows += 1

    def close(self) -> None:
        self._f.close()
