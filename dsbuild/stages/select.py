"""Which conversations are kept, by conversation-level properties (feedback label, channel, test)."""

from __future__ import annotations

from dsbuild.config import SelectConfig
from dsbuild.records import Conversation, Role


def rejection_reason(convo: Conversation, cfg: SelectConfig) -> str | None:
    """``None`` if the conversation is kept, else the drop reason that the summary counts."""
    if convo.is_test and not cfg.include_test:
        return "test_or_blocked"
    if cfg.origins and (convo.origin or "") not in cfg.origins:
        return "origin_not_selected"
    if convo.feedback.value not in cfg.feedback:
        return f"feedback_{convo.feedback.value}"
    if cfg.human_turns == "drop_conversation" and any(
        m.ai_generated is False for t in convo.turns if t.role is Role.ASSISTANT for m in t.messages
    ):
        return "human_agent_turns"
    return None
