"""Exact dedup of conversations whose normalised messages are identical (first one wins)."""

from __future__ import annotations

from dsbuild.hashing import content_digest
from dsbuild.records import ChatRecord


class ExactDedup:
    """Keeps 16-byte digests only, so memory stays small for millions of conversations."""

    def __init__(self) -> None:
        self._seen: set[bytes] = set()

    def is_new(self, record: ChatRecord) -> bool:
        digest = content_digest(record.content_key())
        if digest in self._seen:
            return False
        self._seen.add(digest)
        return True
