"""``fetches/<fetch_id>/index.json``: what one fetch asked for and which pages it has.

A typed record with an explicit status, so that a resume, an abandon and a prune each say what
they do: a ``PARTIAL`` fetch with the same server and parameters is resumed; ``COMPLETE`` is
merged into export.json; ``ABANDONED`` (its saved cursor was rejected) and ``SUPERSEDED`` (its
pages were pruned before it completed) are never resumed. Files written by older versions (plain
dicts with the same keys) read back the same.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from dsbuild.fs import write_private_file

INDEX = "index.json"


class FetchStatus(str, enum.Enum):
    PARTIAL = "partial"
    COMPLETE = "complete"
    ABANDONED = "abandoned"
    SUPERSEDED = "superseded"


@dataclass
class PageEntry:
    n: int
    file: str
    cursor: str | None
    next_cursor: str | None
    has_more: bool | None
    items: int
    bytes: int
    sha256: str


@dataclass
class FetchIndex:
    agent: str
    fetch_id: str
    server: str
    params: dict[str, Any]
    started_at: str
    status: FetchStatus = FetchStatus.PARTIAL
    pages: list[PageEntry] = field(default_factory=list)
    resumed_from_page: int = 0
    retries: int = 0
    finished_at: str | None = None
    stop_reason: str | None = None
    items: int | None = None
    duplicates_across_pages: int = 0
    pages_pruned: bool = False

    def resumable_for(self, server: str, params: dict[str, Any]) -> bool:
        return (self.status is FetchStatus.PARTIAL and self.server == server
                and self.params == params and bool(self.pages))

    def to_json(self) -> bytes:
        doc = dataclasses.asdict(self)
        doc["status"] = self.status.value
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)

    def save(self, directory: Path) -> None:
        write_private_file(directory / INDEX, self.to_json())

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> FetchIndex:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in doc.items() if k in names}
        values["status"] = FetchStatus(values.get("status", FetchStatus.PARTIAL))
        values["pages"] = [PageEntry(**p) for p in values.get("pages", [])]
        return cls(**values)


def read_index(directory: Path) -> FetchIndex | None:
    """The index of a fetch directory, or None when it is missing or unreadable."""
    try:
        doc = orjson.loads((directory / INDEX).read_bytes())
        return FetchIndex.from_dict(doc) if isinstance(doc, dict) else None
    except (FileNotFoundError, NotADirectoryError, orjson.JSONDecodeError, TypeError, ValueError):
        return None
