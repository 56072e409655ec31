"""OpenAI chat fine-tuning JSONL (accepted by many OpenAI-compatible services):
``{"messages": [{role, content}, ..., {"role": "assistant", "content": ..., "weight": 0|1}]}``.

Only the keys the API allows: no metadata columns. Every assistant message carries ``weight``:
0 for a reply rated Negative (kept as context, not trained on, which needs
``--negative-turns keep``; the target implies it unless set), 1 otherwise. ``--turns last``
is the API's way of saying "train on the final reply only": earlier replies get weight 0.
A row with no weight-1 reply would train nothing and is not written.

Validation follows the OpenAI cookbook's format checks (its error names), widened to what the
API schema also accepts (tool calls, ``tool`` role), plus its minimum of 10 examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dsbuild.records import ChatRecord, Feedback, Role
from dsbuild.targets.base import RenderOptions, Row, Target

if TYPE_CHECKING:  # datasets is heavy to import; only the storage step needs it
    from datasets import Features

ROW_KEYS = frozenset({"messages", "tools", "parallel_tool_calls", "functions"})
MESSAGE_KEYS = frozenset({"role", "content", "name", "function_call", "weight", "tool_calls",
                          "tool_call_id", "refusal"})
ROLES = frozenset({"system", "developer", "user", "assistant", "function", "tool"})
MIN_EXAMPLES = 10  # "The minimum number of examples you can provide for fine-tuning is 10"


def render(record: ChatRecord, opts: RenderOptions = RenderOptions()) -> list[Row]:
    last = max((i for i, m in enumerate(record.messages) if m.role is Role.ASSISTANT), default=-1)
    msgs: list[dict[str, Any]] = []
    for i, m in enumerate(record.messages):
        msg: dict[str, Any] = {"role": m.role.value, "content": m.content}
        if m.role is Role.ASSISTANT:
            trained = m.feedback is not Feedback.NEGATIVE and (opts.turns == "all" or i == last)
            msg["weight"] = int(trained)
        msgs.append(msg)
        if opts.turns == "last" and i == last:
            break
    if not any(m.get("weight") == 1 for m in msgs):
        return []
    return [{"messages": msgs}]


def check_row(row: Any) -> Iterator[str]:
    if not isinstance(row, dict):
        yield "data_type"
        return
    if any(k not in ROW_KEYS for k in row):
        yield "unrecognized_key"
    msgs = row.get("messages")
    if not isinstance(msgs, list) or not msgs:
        yield "missing_messages_list"
        return
    for m in msgs:
        if not isinstance(m, dict):
            yield "message_not_object"
            continue
        if "role" not in m or ("content" not in m and "tool_calls" not in m):
            yield "message_missing_key"
        if any(k not in MESSAGE_KEYS for k in m):
            yield "message_unrecognized_key"
        if m.get("role") not in ROLES:
            yield "unrecognized_role"
        content = m.get("content")
        if (not isinstance(content, str) or not content.strip()) and not (
                m.get("function_call") or m.get("tool_calls")):
            yield "missing_content"
        if "weight" in m and (m.get("role") != "assistant" or m["weight"] not in (0, 1)
                              or isinstance(m["weight"], bool)):
            yield "invalid_weight"
    if not any(isinstance(m, dict) and m.get("role") == "user" for m in msgs):
        yield "example_missing_user_message"  # a cookbook warning
    assistants = [m for m in msgs if isinstance(m, dict) and m.get("role") == "assistant"]
    if not assistants:
        yield "example_missing_assistant_message"
    elif all(m.get("weight", 1) == 0 for m in assistants):
        yield "no_trained_assistant_message"


def features(opts: RenderOptions) -> Features:
    from datasets import Features, Json, List

    # Each message a JSON value (datasets' Json type): as structs, Arrow would give every message
    # the same keys, so user messages would read back (and export to JSONL) with "weight": null,
    # which the OpenAI format rejects.
    return Features({"messages": List(Json())})


TARGET = Target(name="openai", render=render, check_row=check_row, features=features,
                columns=frozenset({"messages"}), no_rows_reason="no_trained_reply",
                min_examples=MIN_EXAMPLES,
                warnings=frozenset({"no_trained_assistant_message", "example_missing_user_message"}))
