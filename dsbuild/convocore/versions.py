"""One conversation id, one conversation: when an export holds the same id twice, the later
version (by its last message time; on a tie, the later in the file) wins and every other is
replaced by a :class:`Superseded` marker, which the pipeline counts as ``duplicate_id``.

Two versions under one ``conversation_id`` would put different content under one id (and,
with ``--group-by conversation``, could not be told apart downstream).

Which version is the latest is only known at the end of the export, so the items are read
twice rather than held (memory stays flat in the export's size): a first pass keeps one 64-bit
hash of each item's id (8 bytes an item, in an array); only if two hashes are equal does a
second look read the items at those positions and decide by the real ids and the times (a hash
collision between two different ids changes nothing); the last pass yields the items, checking
each id against the first pass so that a file changed between the passes fails the build.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dsbuild.convocore.parser import item_source_id
from dsbuild.errors import InputDataError
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


def _key(sid: str | None) -> int:
    return 0 if sid is None else hash(sid) or 1  # 0 is "no id"; a collision costs a closer look


def _id_hashes(items: Iterable[Any], visit: Callable[[Any], None] | None) -> array[int]:
    if visit is None:
        return array("q", (_key(_id_of(item)) for item in items))
    out = array("q")
    for item in items:
        visit(item)
        out.append(_key(_id_of(item)))
    return out


def _repeated(hashes: array[int]) -> set[int]:
    """The hashes that occur more than once (ids without a hash, 0, excepted)."""
    import numpy as np

    h = np.sort(np.frombuffer(hashes, dtype=np.int64))
    same = h[1:][h[1:] == h[:-1]]
    return {int(x) for x in np.unique(same)} - {0}


def _superseded(items: Iterable[Any], hashes: array[int], repeated: set[int]) -> set[int]:
    """Positions of the items another item of the same id supersedes."""
    at = [i for i, h in enumerate(hashes) if h in repeated]
    wanted, last = set(at), at[-1]
    best: dict[str, tuple[float, int]] = {}
    it = iter(items)
    try:
        for i, item in enumerate(it):
            if i in wanted:
                sid = _id_of(item)
                if sid is not None:
                    key = (last_message_time(item), i)
                    if sid not in best or key >= best[sid]:
                        best[sid] = key
            if i == last:
                break
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            close()  # the rest of the file is not needed
    winners = {i for _, i in best.values()}
    return wanted - winners


def _changed() -> InputDataError:
    return InputDataError("the input changed while it was being read; nothing was written,"
                          " build again from a file nothing writes to")


class Versions:
    """The first pass (and the closer look, if ids repeat) runs when this is made; :meth:`items`
    is the last pass. ``visit`` sees every item of the first pass (what else the driver must know
    of the whole export before the build starts: :mod:`dsbuild.stages.pii.taken`)."""

    def __init__(self, read: Callable[[], Iterable[Any]],
                 visit: Callable[[Any], None] | None = None) -> None:
        self.read = read
        self.hashes = _id_hashes(read(), visit)
        repeated = _repeated(self.hashes)
        self.losers = _superseded(read(), self.hashes, repeated) if repeated else set()

    def items(self) -> Iterator[Any]:
        """The items of ``read()`` with every version but the latest of each id replaced by
        :class:`Superseded`."""
        hashes, losers = self.hashes, self.losers
        n = 0
        for i, item in enumerate(self.read()):
            sid = _id_of(item)
            if i >= len(hashes) or _key(sid) != hashes[i]:
                raise _changed()
            n += 1
            yield Superseded(sid, item) if sid is not None and i in losers else item
        if n != len(hashes):
            raise _changed()


def latest_versions(read: Callable[[], Iterable[Any]]) -> Iterator[Any]:
    """:meth:`Versions.items`, with the first passes run at the first item; ``read`` is called
    two or three times (see the module's note)."""
    yield from Versions(read).items()
