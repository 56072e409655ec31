"""The typed records that flow between stages.

``Conversation`` is what the parser makes of one export item; ``ChatRecord`` is what the
converter makes of a conversation and what later stages (PII, dedup, split) and the target
renderers work on. A ``ChatRecord`` keeps everything later stages may need (per-message
feedback, human-agent turns, the lead for PII) but renderers only ever project ``messages``,
``conversation_id`` and a few safe metadata fields: lead values never reach an output file.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Role(str, enum.Enum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"


class Feedback(str, enum.Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNSET = "unset"


@dataclass(slots=True)
class Message:
    """One message of the export, already turned into text (or ``None`` if it carries none)."""

    type: str
    text: str
    feedback: Feedback = Feedback.UNSET
    ai_generated: bool | None = None
    ts: datetime | None = None
    ts_raw: str | None = None


@dataclass(slots=True)
class Turn:
    role: Role
    messages: list[Message] = field(default_factory=list)


@dataclass(slots=True)
class Lead:
    """What the export knows about the person. Used for PII redaction and grouping only."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    address: str | None = None
    website: str | None = None
    notes: str | None = None
    tags: tuple[str, ...] = ()
    # Other personal strings found in the metadata (userID of a call, social handle, ...).
    other: tuple[str, ...] = ()

    def values(self) -> list[str]:
        """Every known personal value, for known-value redaction and the residual scan."""
        vals = [self.name, self.email, self.phone, self.company, self.address, self.website]
        return [v for v in (*vals, *self.other) if v]


@dataclass(slots=True)
class Conversation:
    id: str
    turns: list[Turn]
    lead: Lead = field(default_factory=Lead)
    feedback: Feedback = Feedback.UNSET
    origin: str | None = None
    ts: datetime | None = None
    is_test: bool = False
    state: str | None = None


@dataclass(slots=True)
class ChatMessage:
    role: Role
    content: str
    feedback: Feedback = Feedback.UNSET
    human_agent: bool = False


@dataclass(slots=True)
class ChatRecord:
    conversation_id: str  # stable, non-reversible hash of the source id
    source_id: str  # the export's id: internal only, never written
    messages: list[ChatMessage]
    lead: Lead
    feedback: Feedback = Feedback.UNSET
    origin: str | None = None
    ts: datetime | None = None
    split: str | None = None
    pii_counts: dict[str, int] = field(default_factory=dict)
    # ISO 639-1 code of the conversation's language (dsbuild.stages.language), once detected.
    language: str | None = None
    # Before/after pairs for ``--pii-review`` only (a private file outside the output dir).
    review: list[tuple[str, str]] | None = None
    # The digest of the messages as read, before PII (set by the PII stage; never written): two
    # copies of one conversation get different surrogates, and dedup must still see them.
    source_digest: bytes | None = None

    def content_key(self) -> tuple[tuple[str, str], ...]:
        return tuple((m.role.value, m.content) for m in self.messages)


@dataclass(slots=True)
class Dropped:
    """A conversation that did not make it, and why. ``item`` is the raw export item."""

    reason: str
    item: Any = None
    source_id: str | None = None


class Batch(list[Any]):
    """Consecutive export items and ``start``, the position of the first in the export.

    The engines cut the export into batches; a conversation's position (``start`` + its place
    in the batch) is the same whatever the engine, the number of workers or the batch size,
    which is what the PII surrogates index their draws by.
    """

    __slots__ = ("start",)

    def __init__(self, items: Iterable[Any] = (), start: int = 0) -> None:
        super().__init__(items)
        self.start = start
