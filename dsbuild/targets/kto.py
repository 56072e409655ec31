"""TRL unpaired preference (``KTOTrainer``): one row per rated assistant reply,
``{"prompt": [conversation so far], "completion": [{assistant reply}], "label": true|false}``.

Thumbs up → ``true``, thumbs down → ``false``; unrated replies make no row but stay in later
prompts as context. A thumbs-down must survive selection to become a ``false`` row, so the
target implies ``--negative-turns keep`` and ``--feedback any`` unless the user set them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dsbuild.records import ChatRecord, Feedback, Role
from dsbuild.targets.base import (
    RenderOptions,
    Row,
    Target,
    chat_message_feature,
    metadata,
    metadata_features,
    role_content,
)
from dsbuild.targets.messages import check_prompt_completion

if TYPE_CHECKING:  # datasets is heavy to import; only the storage step needs it
    from datasets import Features

COLUMNS = frozenset({"prompt", "completion", "label"})


def render(record: ChatRecord, opts: RenderOptions = RenderOptions()) -> list[Row]:
    msgs = [role_content(m) for m in record.messages]
    rows: list[Row] = []
    for i, m in enumerate(record.messages):
        if m.role is Role.ASSISTANT and m.feedback is not Feedback.UNSET:
            rows.append({"prompt": msgs[:i], "completion": [msgs[i]],
                         "label": m.feedback is Feedback.POSITIVE, **metadata(record)})
    return rows


def check_row(row: Any) -> Iterator[str]:
    if not isinstance(row, dict):
        yield "data_type"
        return
    yield from check_prompt_completion(row, own=set(COLUMNS))
    if not isinstance(row.get("label"), bool):
        yield "label_not_bool"


def features(opts: RenderOptions) -> Features:
    from datasets import Features, Value

    msg = chat_message_feature()
    return Features({"prompt": msg, "completion": msg, "label": Value("bool"),
                     **metadata_features()})


TARGET = Target(name="kto", render=render, check_row=check_row, features=features,
                columns=COLUMNS, no_rows_reason="no_rated_reply")
