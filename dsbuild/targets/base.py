"""What a target is: a projection of a :class:`ChatRecord` into rows, plus the rules those rows obey.

Each target module (``messages``, ``openai``, ``sharegpt``, ``kto``) builds one :class:`Target`.
The renderer and the validator live side by side so that what we write and what we check are
read together; ``dsbuild validate`` and ``dsbuild make`` use the same ``check_row``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dsbuild.records import ChatMessage, ChatRecord

if TYPE_CHECKING:  # datasets is heavy to import; only the storage step needs it
    from datasets import Features

Row = dict[str, Any]

# Column names trainers reserve (TRL detects the dataset type from them): never metadata.
RESERVED_COLUMNS = frozenset({"prompt", "completion", "chosen", "rejected", "label", "messages"})


@dataclass(frozen=True)
class RenderOptions:
    turns: str = "all"  # all: every assistant turn in one row; last: one row for the last reply


@dataclass(frozen=True)
class Target:
    name: str
    render: Callable[[ChatRecord, RenderOptions], list[Row]]
    # Error kinds of one row (empty when valid); line numbers are added by the file validator.
    check_row: Callable[[Any], Iterable[str]]
    features: Callable[[RenderOptions], Features]
    # Columns the target itself defines (the rest of RESERVED_COLUMNS is forbidden in its rows).
    columns: frozenset[str]
    # Why a record that renders to no row is dropped (counted in the summary under "dropped").
    no_rows_reason: str = "no_rows"
    # The fewest examples the target's consumer accepts in a training file (0: no rule of its
    # own; ``dsbuild validate`` still rejects a file without rows).
    min_examples: int = 0
    # Kinds check_row may yield that are reported but do not make a file invalid.
    warnings: frozenset[str] = frozenset()


def role_content(m: ChatMessage) -> dict[str, str]:
    return {"role": m.role.value, "content": m.content}


def metadata(record: ChatRecord) -> Row:
    """Safe metadata columns shared by the TRL and ShareGPT targets: never a lead value."""
    return {
        "conversation_id": record.conversation_id,
        "feedback": record.feedback.value,
        "origin": record.origin,
    }


def metadata_features() -> dict[str, Any]:
    from datasets import Value

    return {"conversation_id": Value("string"), "feedback": Value("string"),
            "origin": Value("string")}


def chat_message_feature(**extra: Any) -> list[dict[str, Any]]:
    """A list of ``{role, content, ...}`` structs (the list syntax is a list of structs in every
    ``datasets`` version, where ``Sequence(dict)`` would become a struct of lists before 4.0)."""
    from datasets import Value

    return [{"role": Value("string"), "content": Value("string"), **extra}]
