"""A selected :class:`Conversation` → a :class:`ChatRecord` every chat template accepts.

The result alternates user/assistant (after an optional system prompt), starts with a user
message, ends on an assistant reply and has no empty content; otherwise the conversation is
dropped with a reason.

Per-message rules, in order:

1. ``system`` turns of the export are internal and dropped (the config's ``system_prompt`` is
   the only system message).
2. ``human_turns: drop`` removes replies written by a human agent (``aiGenerated: false``);
   with ``keep``, their hand-off announcements ("I'm taking over") are removed and counted
   (:mod:`dsbuild.stages.handoff`).
3. ``negative_turns``: ``truncate`` cuts the conversation just before the first reply rated
   Negative; ``drop`` removes each Negative reply together with the user messages it answered;
   ``keep`` keeps them (the per-message feedback stays on the record for weights/KTO).
4. Consecutive same-role messages merge, joined by a blank line.
5. ``leading_assistant: drop`` removes replies before the first user message.
6. Trailing user messages are trimmed.
"""

from __future__ import annotations

from dsbuild.config import ConvertConfig, SelectConfig
from dsbuild.counters import Tally
from dsbuild.records import ChatMessage, ChatRecord, Conversation, Feedback, Role
from dsbuild.stages.handoff import drop_handoff_lines

_JOIN = "\n\n"


def _flatten(convo: Conversation) -> list[ChatMessage]:
    return [
        ChatMessage(role=t.role, content=m.text, feedback=m.feedback,
                    human_agent=t.role is Role.ASSISTANT and m.ai_generated is False)
        for t in convo.turns
        for m in t.messages
        if t.role is not Role.SYSTEM
    ]


def _is_negative_reply(m: ChatMessage) -> bool:
    return m.role is Role.ASSISTANT and m.feedback is Feedback.NEGATIVE


def _apply_negative(msgs: list[ChatMessage], policy: str) -> list[ChatMessage]:
    if policy == "truncate":
        for i, m in enumerate(msgs):
            if _is_negative_reply(m):
                return msgs[:i]
        return msgs
    if policy == "drop":
        out: list[ChatMessage] = []
        for m in msgs:
            if _is_negative_reply(m):
                while out and out[-1].role is Role.USER:
                    out.pop()
            else:
                out.append(m)
        return out
    return msgs


def merge_runs(msgs: list[ChatMessage]) -> list[ChatMessage]:
    """Merge consecutive same-role messages. Merged feedback: Negative wins, then Positive."""
    out: list[ChatMessage] = []
    for m in msgs:
        if out and out[-1].role is m.role:
            prev = out[-1]
            fb = prev.feedback
            if Feedback.NEGATIVE in (fb, m.feedback):
                fb = Feedback.NEGATIVE
            elif Feedback.POSITIVE in (fb, m.feedback):
                fb = Feedback.POSITIVE
            out[-1] = ChatMessage(prev.role, prev.content + _JOIN + m.content, fb,
                                  prev.human_agent or m.human_agent)
        else:
            out.append(ChatMessage(m.role, m.content, m.feedback, m.human_agent))
    return out


def to_messages(convo: Conversation, select: SelectConfig, convert: ConvertConfig,
                stats: Tally | None = None) -> list[ChatMessage] | str:
    """The chat messages of a conversation, or the reason it has none usable."""
    msgs = _flatten(convo)
    if select.human_turns == "drop":
        msgs = [m for m in msgs if not m.human_agent]
    else:
        msgs, handoffs = drop_handoff_lines(msgs)
        if stats is not None:
            stats.add("message_types_dropped", "human_handoff_line", handoffs)
    n_before = len(msgs)
    msgs = _apply_negative(msgs, select.negative_turns)
    cut = len(msgs) != n_before
    msgs = merge_runs(msgs)
    any_user = any(m.role is Role.USER for m in msgs)
    if convert.leading_assistant == "drop":
        first_user = next((i for i, m in enumerate(msgs) if m.role is Role.USER), len(msgs))
        msgs = msgs[first_user:]
    while msgs and msgs[-1].role is Role.USER:
        msgs.pop()
    has_user = any(m.role is Role.USER for m in msgs)
    if not has_user or not any(m.role is Role.ASSISTANT for m in msgs):
        if cut:
            return "nothing_left_after_negative_reply"
        return "no_assistant_reply" if any_user else "no_user_message"
    if convert.system_prompt:
        msgs.insert(0, ChatMessage(Role.SYSTEM, convert.system_prompt))
    return msgs


def to_record(convo: Conversation, conversation_id: str, select: SelectConfig,
              convert: ConvertConfig, stats: Tally | None = None) -> ChatRecord | str:
    msgs = to_messages(convo, select, convert, stats)
    if isinstance(msgs, str):
        return msgs
    return ChatRecord(conversation_id=conversation_id, source_id=convo.id, messages=msgs,
                      lead=convo.lead, feedback=convo.feedback, origin=convo.origin, ts=convo.ts)
