"""One conversation id, one conversation: when an export holds the same id twice, the later
version (by its last message time; on a tie, the later in the file) wins and every other is
replaced by a :class:`Superseded` marker, which the pipeline counts as ``duplicate_id``.

Two versions under one ``conversation_id`` would put different content under one id (and,
with ``--group-by conversation``, could not be told apart downstream).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dsbuild.convocore.parser import item_source_id
from dsbuild.timeparse import parse_ts, plausible

REASON = "duplicate_id"


@dataclass(frozen=True, slots=True)
class Superseded:
    """A raw item replaced by a later version with the same id."""

    source_id: str
    item: Any = None  # the raw item, for --quarantine only


def _time(value: Any) -> float | None:
    ts = parse_ts(value)
    return ts.timestamp() if ts is not None and plausible(ts) else None


def last_message_time(item: Any) -> float:
    """The newest plausible message time of a raw item (else its conversation's), or -inf."""
    best = float("-inf")
    turns = item.get("turns") if isinstance(item, dict) else None
    for turn in turns if isinstance(turns, list) else []:
        msgs = turn.get("messages") if isinstance(turn, dict) else None
        for m in msgs if isinstance(msgs, list) else []:
            if isinstance(m, dict):
                t = _time(m.get("ts"))
                if t is not None and t > best:
                    best = t
    if best == float("-inf") and isinstance(item, dict):
        meta = item.get("metadata")
        convo = meta.get("convo", meta) if isinstance(meta, dict) else None
        if isinstance(convo, dict):
            for key in ("lastMessageTS", "lastModified", "ts"):
                t = _time(convo.get(key))
                if t is not None:
                    return t
    return best


def _id_of(item: Any) -> str | None:
    try:
        return item_source_id(item)
    except Exception:  # noqa: BLE001 - a hostile item: the parser drops it as malformed
        return None


def latest_versions(items: Iterable[Any]) -> Iterator[Any]:
    """``items`` with every version but the latest of each id replaced by :class:`Superseded`.

    Holds the items in memory (a JSON export is parsed whole anyway) to look ahead."""
    held = list(items)
    ids = [_id_of(item) for item in held]
    best: dict[str, tuple[float, int]] = {}
    for i, (item, sid) in enumerate(zip(held, ids)):
        if sid is None:
            continue
        key = (last_message_time(item), i)
        if sid not in best or key >= best[sid]:
            best[sid] = key
    for i, (item, sid) in enumerate(zip(held, ids)):
        yield Superseded(sid, item) if sid is not None and best[sid][1] != i else item
