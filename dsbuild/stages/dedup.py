"""Exact dedup of conversations whose normalised messages are identical (first one wins).

Identical after PII (placeholders make two conversations that differ only in a name one), or
identical as read (surrogates are drawn per conversation, so two copies get different fakes).
"""

from __future__ import annotations

from dsbuild.hashing import content_digest
from dsbuild.records import ChatRecord


class ExactDedup:
    """Keeps 16-byte digests only, so memory stays small for millions of conversations."""

    def __init__(self) -> None:
        self._seen: set[bytes] = set()

    def is_new(self, record: ChatRecord) -> bool:
        digests = {content_digest(record.content_key())}
        if record.source_digest is not None:
            digests.add(record.source_digest)
        if not self._seen.isdisjoint(digests):
            return False
        self._seen.update(digests)
        return True
