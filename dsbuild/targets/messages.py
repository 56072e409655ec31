"""TRL / Unsloth conversational language modelling: ``{"messages": [{role, content}, ...]}``."""

from __future__ import annotations

from typing import Any

from dsbuild.records import ChatRecord


def metadata(record: ChatRecord) -> dict[str, Any]:
    """Safe metadata columns shared by every target: never a lead value."""
    return {
        "conversation_id": record.conversation_id,
        "feedback": record.feedback.value,
        "origin": record.origin,
    }


def render(record: ChatRecord) -> list[dict[str, Any]]:
    row = {"messages": [{"role": m.role.value, "content": m.content} for m in record.messages]}
    row.update(metadata(record))
    return [row]
