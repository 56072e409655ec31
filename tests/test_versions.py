"""The latest version per conversation id, decided without holding the export in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dsbuild.convocore import versions
from dsbuild.convocore.versions import latest_versions
from dsbuild.errors import InputDataError
from tests.helpers import item, text, turn


def _convo(cid: str, reply: str, ts: float) -> dict[str, Any]:
    return item(turn("user", text("Where is my order?", ts=str(ts))),
                turn("bot", text(reply, ts=str(ts + 5))), id=cid, ts=ts)


class Reader:
    """Reads ``items`` afresh on each call, as an export file is read, counting what it gave."""

    def __init__(self, items: list[Any]):
        self.items, self.passes, self.given = items, 0, 0

    def __call__(self) -> Iterator[Any]:
        self.passes += 1
        self.given = 0
        for it in self.items:
            self.given += 1
            yield it


def _kept(out: list[Any]) -> list[Any]:
    return [o["turns"][1]["messages"][0]["payload"]["message"] if isinstance(o, dict) else
            ("superseded", o.source_id, o.item["turns"][1]["messages"][0]["payload"]["message"])
            for o in out]


def test_the_newest_version_wins_wherever_it_is_and_the_others_keep_their_place() -> None:
    read = Reader([_convo("a", "a new", 1_733_000_000), _convo("b", "b", 1_710_000_000),
                   _convo("a", "a old", 1_700_000_000), _convo("c", "c old", 1_600_000_000),
                   _convo("c", "c new", 1_650_000_000)])
    assert _kept(list(latest_versions(read))) == [
        "a new", "b", ("superseded", "a", "a old"), ("superseded", "c", "c old"), "c new"]


def test_a_tie_goes_to_the_later_in_the_file() -> None:
    read = Reader([_convo("a", "first", 1_700_000_000), _convo("a", "second", 1_700_000_000)])
    assert _kept(list(latest_versions(read))) == [("superseded", "a", "first"), "second"]


def test_items_stream_through_without_the_export_being_held() -> None:
    read = Reader([_convo(f"id{i}", f"r{i}", 1_700_000_000 + i) for i in range(50)])
    out = latest_versions(read)
    first = next(out)
    # The yielding pass has read one item: the rest of the export is still in the file.
    assert read.given == 1 and isinstance(first, dict)
    assert read.passes == 2  # no id repeats: no closer look was needed
    assert len([first, *out]) == 50


def test_ids_whose_hashes_collide_are_still_different_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(versions, "_key", lambda sid: 0 if sid is None else 7)  # every id collides
    read = Reader([_convo("a", "a", 1_700_000_000), _convo("b", "b", 1_800_000_000),
                   _convo("a", "a newer", 1_750_000_000), {"no": "id"}])
    out = list(latest_versions(read))
    assert _kept(out[:3]) == [("superseded", "a", "a"), "b", "a newer"]
    assert out[3] == {"no": "id"}  # an item without an id is left for the parser to drop


def test_an_input_that_changes_between_the_passes_fails_the_build() -> None:
    read = Reader([_convo("a", "a", 1_700_000_000), _convo("b", "b", 1_700_000_000)])
    out = latest_versions(read)
    next(out)
    read.items.append(_convo("c", "c", 1_700_000_000))  # a writer appends while we build
    with pytest.raises(InputDataError, match="changed while it was being read"):
        list(out)
    read.items[:] = [_convo("z", "z", 1_700_000_000)]  # or replaces it
    with pytest.raises(InputDataError, match="changed while it was being read"):
        list(latest_versions(_Swapping(read)))


class _Swapping:
    """The first pass sees the file; later passes see what replaced it."""

    def __init__(self, read: Reader):
        self.read, self.calls = read, 0

    def __call__(self) -> Iterator[Any]:
        self.calls += 1
        return iter([_convo("y", "y", 1)]) if self.calls == 1 else self.read()
