"""Row checks shared by the targets' validators. Each yields error kinds (short snake_case names
that ``dsbuild validate`` counts); the OpenAI cookbook's names are reused where they exist."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from dsbuild.targets.base import RESERVED_COLUMNS

TRL_ROLES = frozenset({"system", "user", "assistant", "tool"})


def reserved_columns(row: dict[str, Any], own: Collection[str]) -> Iterator[str]:
    """TRL picks the dataset type from these names: a stray one changes how rows are read."""
    if any(k in RESERVED_COLUMNS and k not in own for k in row):
        yield "reserved_column"


def message_list(value: Any, *, roles: Collection[str], keys: Collection[str],
                 required: Collection[str] = ("role", "content"),
                 missing: str = "missing_messages_list") -> Iterator[str]:
    """A non-empty list of ``{role, content}`` dicts whose first element has ``role`` (TRL's
    ``is_conversational`` looks at element 0 only, and raises on an empty list)."""
    if not isinstance(value, list) or not value:
        yield missing
        return
    for m in value:
        if not isinstance(m, dict):
            yield "message_not_object"
            continue
        if any(k not in m for k in required):
            yield "message_missing_key"
        if any(k not in keys for k in m):
            yield "message_unrecognized_key"
        if "role" in m and m["role"] not in roles:
            yield "unrecognized_role"
        content = m.get("content")
        if "content" in m and (not isinstance(content, str) or not content.strip()):
            yield "missing_content"


def roles_of(value: Any) -> list[Any]:
    if not isinstance(value, list):
        return []
    return [m.get("role") for m in value if isinstance(m, dict)]
