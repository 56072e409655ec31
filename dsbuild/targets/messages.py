"""TRL / Unsloth conversational data.

``--turns all`` (default): language modelling, ``{"messages": [{role, content}, ...]}``, every
assistant turn trained (with ``assistant_only_loss``). ``--turns last``: conversational
prompt-completion, ``{"prompt": [...], "completion": [{assistant}]}``, one row per conversation
for its last reply (SFTTrainer then trains on the completion only).

Feedback is not rendered: TRL has no per-message weight, so Negative replies are handled before
this point by ``--negative-turns`` (truncate by default).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dsbuild.records import ChatRecord
from dsbuild.targets import checks
from dsbuild.targets.base import (
    RenderOptions,
    Row,
    Target,
    chat_message_feature,
    metadata,
    metadata_features,
    role_content,
)

if TYPE_CHECKING:  # datasets is heavy to import; only the storage step needs it
    from datasets import Features

MESSAGE_KEYS = frozenset({"role", "content"})


def render(record: ChatRecord, opts: RenderOptions = RenderOptions()) -> list[Row]:
    msgs = [role_content(m) for m in record.messages]
    if opts.turns == "last":
        row: Row = {"prompt": msgs[:-1], "completion": msgs[-1:]}
    else:
        row = {"messages": msgs}
    row.update(metadata(record))
    return [row]


def check_row(row: Any) -> Iterator[str]:
    if not isinstance(row, dict):
        yield "data_type"
        return
    if "messages" in row:
        yield from checks.reserved_columns(row, {"messages"})
        yield from checks.message_list(row["messages"], roles=checks.TRL_ROLES, keys=MESSAGE_KEYS)
        roles = checks.roles_of(row["messages"])
        if roles and "assistant" not in roles:
            yield "example_missing_assistant_message"
    elif "prompt" in row or "completion" in row:
        yield from check_prompt_completion(row, own={"prompt", "completion"})
    else:
        yield "missing_messages_list"


def check_prompt_completion(row: dict[str, Any], own: set[str]) -> Iterator[str]:
    """TRL conversational prompt-completion (also the first two columns of KTO rows)."""
    yield from checks.reserved_columns(row, own)
    yield from checks.message_list(row.get("prompt"), roles=checks.TRL_ROLES, keys=MESSAGE_KEYS,
                                   missing="missing_prompt")
    yield from checks.message_list(row.get("completion"), roles=checks.TRL_ROLES,
                                   keys=MESSAGE_KEYS, missing="missing_completion")
    prompt_roles = checks.roles_of(row.get("prompt"))
    if prompt_roles and prompt_roles[-1] != "user":
        yield "prompt_not_ending_on_user"
    completion_roles = checks.roles_of(row.get("completion"))
    if completion_roles and any(r != "assistant" for r in completion_roles):
        yield "completion_not_assistant"


def features(opts: RenderOptions) -> Features:
    from datasets import Features

    msg = chat_message_feature()
    cols: dict[str, Any] = ({"prompt": msg, "completion": msg} if opts.turns == "last"
                            else {"messages": msg})
    return Features({**cols, **metadata_features()})


TARGET = Target(name="messages", render=render, check_row=check_row, features=features,
                columns=frozenset({"messages", "prompt", "completion"}))
