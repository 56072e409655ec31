"""ShareGPT for LLaMA-Factory / axolotl:
``{"conversations": [{"from": "human"|"gpt", "value": ...}], "system": "..."}``.

LLaMA-Factory silently drops a sample that does not alternate human/gpt strictly or does not
end on gpt, so the validator enforces exactly that. The system prompt goes in the ``system``
column, left out when there is none (every row of one build has the same columns: the system
prompt is a setting of the build, and the Arrow formats store the column only then); turns
carry exactly ``from`` and ``value`` (Unsloth asserts two keys per message).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dsbuild.records import ChatRecord, Role
from dsbuild.targets import checks
from dsbuild.targets.base import RenderOptions, Row, Target, metadata, metadata_features

if TYPE_CHECKING:  # datasets is heavy to import; only the storage step needs it
    from datasets import Features

FROM = {Role.USER: "human", Role.ASSISTANT: "gpt"}
TURN_KEYS = frozenset({"from", "value"})


def render(record: ChatRecord, opts: RenderOptions = RenderOptions()) -> list[Row]:
    system = "\n\n".join(m.content for m in record.messages if m.role is Role.SYSTEM)
    turns = [{"from": FROM[m.role], "value": m.content}
             for m in record.messages if m.role is not Role.SYSTEM]
    # no "system" key without a system prompt: axolotl's chat_template would add an empty system
    # turn to every row from ``"system": ""``
    return [{"conversations": turns, **({"system": system} if system else {}), **metadata(record)}]


def check_row(row: Any) -> Iterator[str]:
    if not isinstance(row, dict):
        yield "data_type"
        return
    yield from checks.reserved_columns(row, ())
    turns = row.get("conversations")
    if not isinstance(turns, list) or not turns:
        yield "missing_conversations_list"
        return
    if isinstance(turns[0], dict) and turns[0].get("from") == "system":
        turns = turns[1:]  # LLaMA-Factory accepts a leading system turn instead of the column
    for t in turns:
        if not isinstance(t, dict):
            yield "message_not_object"
            continue
        if any(k not in t for k in TURN_KEYS):
            yield "message_missing_key"
        if any(k not in TURN_KEYS for k in t):
            yield "message_unrecognized_key"
        if "from" in t and t["from"] not in ("human", "gpt"):
            yield "unrecognized_role"
        if "value" in t and (not isinstance(t["value"], str) or not t["value"].strip()):
            yield "missing_content"
    froms = [t.get("from") for t in turns if isinstance(t, dict)]
    if any(f != ("human" if i % 2 == 0 else "gpt") for i, f in enumerate(froms)):
        yield "not_alternating"
    if froms and froms[-1] != "gpt":
        yield "not_ending_on_gpt"
    if "system" in row and not isinstance(row["system"], str):
        yield "system_not_string"


def features(opts: RenderOptions) -> Features:
    from datasets import Features, Value

    return Features({"conversations": [{"from": Value("string"), "value": Value("string")}],
                     "system": Value("string"), **metadata_features()})


TARGET = Target(name="sharegpt", render=render, check_row=check_row, features=features,
                columns=frozenset())
