"""Issue 12 §3 and §6: hostile input and the data rules, through the CLI in process."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsbuild.stages.pii.pieces import in_pieces, piece_starts
from dsbuild.stages.pii.spans import (
    KNOWN,
    NER,
    PATTERN,
    Span,
    _resolve_cluster,
    resolve,
)
from tests.helpers import envelope, item, split_rows, text, turn
from tests.safety_helpers import dsbuild, fast_config, small_export, write_json


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _make(tmp_path: Path, export: Path | str, *extra: str, config: str = ""):
    return dsbuild("make", "--agent", "a", "--input", str(export), "--out", "out", *extra,
                   config=fast_config(tmp_path, config))


def _manifest() -> dict:
    return json.loads(Path("out/manifest.json").read_text())


def test_deeply_nested_file_is_bad_input_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 6000 + "]" * 6000)
    r = _make(tmp_path, "deep.json")
    assert r.exit_code == 3, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "nested deeper than 256 levels" in lines[0] and "bug" not in lines[0]
    assert not Path("out").exists()


@pytest.mark.parametrize("deep", ["[" * 100_000 + "]" * 100_000,  # once an OOM-kill
                                  '{"data": [' + '{"a": ' * 20_000 + "1" + "}" * 20_000 + "]}",
                                  "[" * 50_000])
def test_deep_nesting_anywhere_is_bad_input_before_it_is_built(tmp_path: Path, deep: str) -> None:
    (tmp_path / "deep.json").write_text(deep)
    r = _make(tmp_path, "deep.json", "--quarantine", "q.jsonl")
    assert r.exit_code == 3 and "nested deeper than" in r.stderr, r.output
    assert not Path("out").exists() and not Path("q.jsonl").exists()


def test_deeply_nested_jsonl_line_drops_that_line_only(tmp_path: Path) -> None:
    good = [json.dumps(i) for i in small_export(3)["data"]]
    (tmp_path / "x.jsonl").write_text("\n".join([good[0], '{"a":' * 5000 + "1" + "}" * 5000,
                                                 *good[1:]]) + "\n")
    r = _make(tmp_path, "x.jsonl")
    assert r.exit_code == 0, r.output
    assert _manifest()["counts"]["dropped"] == {"invalid_json_line": 1}
    assert len(split_rows()) == 3


def test_nesting_inside_one_conversation_drops_it_and_the_run_goes_on(tmp_path: Path) -> None:
    doc = small_export(3)
    deep: object = "x"
    for _ in range(250):  # just under the nesting bound (256), near orjson's own (255)
        deep = [deep]
    doc["data"].append({"metadata": {}, "turns": [{"from": "user", "messages": deep}]})
    doc["data"].append({"metadata": {"convo": {"id": "d2"}}, "turns": deep})
    r = _make(tmp_path, write_json(tmp_path / "x.json", doc), "--quarantine", "q.jsonl")
    assert r.exit_code == 0, r.output
    dropped = _manifest()["counts"]["dropped"]
    assert sum(dropped.values()) == 2 and len(split_rows()) == 3
    assert len(Path("q.jsonl").read_text().splitlines()) == 2


def test_lone_surrogates_in_an_item_without_id_do_not_stop_the_run(tmp_path: Path) -> None:
    raw = ('{"data": [{"metadata": {}, "turns": [{"from": "user", "messages": [{"type": "text",'
           ' "payload": {"message": "hi \\ud83d there"}}]}, {"from": "bot", "messages": [{"type":'
           ' "text", "payload": {"message": "hello \\udc00"}}]}]}]}')
    (tmp_path / "s.json").write_text(raw)
    r = _make(tmp_path, "s.json")
    assert r.exit_code == 0, r.output
    assert [m["content"] for m in split_rows()[0]["messages"]] == ["hi  there", "hello"]


def test_a_message_over_max_message_chars_drops_its_conversation_counted(tmp_path: Path) -> None:
    doc = small_export(2)
    doc["data"].append(item(turn("user", text("word " * 340_000)), turn("bot", text("ok")), id="big"))
    r = _make(tmp_path, write_json(tmp_path / "x.json", doc))  # a 1.7 MB message
    assert r.exit_code == 0, r.output
    assert _manifest()["counts"]["dropped"] == {"message_too_long": 1}
    assert "dropped: message_too_long" in r.stdout and len(split_rows()) == 2


def test_text_over_the_analysis_limit_is_scrubbed_in_pieces(tmp_path: Path) -> None:
    # 150k characters: over one analysis piece, so PII is found in every piece, end included.
    body = "please check the delivery status of my parcel today " * 2900
    msg = f"{body}mail me at zoe.quill@example.org {body}call +44 20 7946 0958 now"
    doc = envelope(item(turn("user", text(msg)), turn("bot", text("Sure.")), id="long"))
    # Placeholders (not the default surrogates) show each value was replaced whole, in place.
    r = _make(tmp_path, write_json(tmp_path / "x.json", doc),
              config="convert:\n  max_message_chars: 0\npii:\n  style: placeholder\n")
    assert r.exit_code == 0, r.output
    content = split_rows()[0]["messages"][0]["content"]
    assert "zoe.quill" not in content and "7946" not in content
    assert "mail me at <EMAIL_1> please" in content and "call <PHONE_NUMBER_1> now" in content


def test_pieces_cover_the_text_and_map_spans_back() -> None:
    text_ = ("alpha beta gamma\n" * 50) + "x" * 300
    starts = piece_starts(text_, 100)
    assert starts[0] == 0 and all(b - a <= 100 for a, b in zip(starts, [*starts[1:], len(text_)]))
    assert all(text_[s - 1] in " \n" for s in starts[1:6])  # cut after whitespace where there is some

    def analyze(texts: list[str]) -> dict[str, tuple[Span, ...]]:
        assert all(len(t) <= 100 for t in texts)
        return {t: tuple(Span(i, i + 5, "WORD", 1.0, PATTERN) for i in range(len(t))
                         if t.startswith("gamma", i)) for t in texts}

    found = in_pieces(analyze, [text_, "short gamma"], limit=100)
    assert [text_[s.start:s.end] for s in found[text_]] == ["gamma"] * 50
    assert [(s.start, s.end) for s in found["short gamma"]] == [(6, 11)]


# --- data rules (§6) -----------------------------------------------------------------------------

def _convo(cid: str, reply: str, ts: float) -> dict:
    return item(turn("user", text("Where is my order?", ts=str(ts))),
                turn("bot", text(reply, ts=str(ts + 5))), id=cid, ts=ts)


def test_the_later_version_of_a_conversation_wins(tmp_path: Path) -> None:
    newer, older = _convo("dup", "It ships today.", 1_733_000_000), _convo("dup", "Old answer.", 1_700_000_000)
    doc = envelope(newer, _convo("other", "Tomorrow.", 1_710_000_000), older)  # newer first in file
    r = _make(tmp_path, write_json(tmp_path / "x.json", doc))
    assert r.exit_code == 0, r.output
    replies = sorted(row["messages"][-1]["content"] for row in split_rows())
    assert replies == ["It ships today.", "Tomorrow."]
    assert _manifest()["counts"]["dropped"] == {"duplicate_id": 1}
    assert "dropped: duplicate_id" in r.stdout


def test_implausible_timestamps_are_dropped_counted_and_out_of_the_window(tmp_path: Path) -> None:
    good = _convo("g", "Fine.", 1_717_000_000)  # 2024-05-29
    bad = [_convo(f"b{i}", f"Odd {i}.", 1_718_000_000) for i in range(5)]
    for b, ts in zip(bad, (math.nan, math.inf, -5, 4_102_444_800, "2100-01-01T00:00:00Z")):
        b["metadata"]["convo"]["ts"] = ts
    raw = json.dumps(envelope(good, *bad))  # json writes NaN/Infinity, as JavaScript servers may
    (tmp_path / "x.json").write_text(raw)
    r = _make(tmp_path, "x.json")
    assert r.exit_code == 0, r.output
    m = _manifest()
    assert m["stats"]["warnings"]["bad_timestamp"] == 5
    assert m["conversation_window"] == {"first": "2024-05-29", "last": "2024-05-29"}
    assert len(split_rows()) == 6  # the conversations stay; only their bad times are dropped


# --- linear span resolution --------------------------------------------------------------------

_SPANS = st.lists(st.builds(
    lambda start, width, type_, score, source: Span(start, start + width, type_, score, source),
    st.integers(0, 200), st.integers(1, 30), st.sampled_from(["PERSON", "EMAIL_ADDRESS", "LOCATION"]),
    st.sampled_from([0.4, 0.5, 0.85, 1.0]), st.sampled_from([KNOWN, PATTERN, NER])), max_size=25)


@settings(max_examples=300, deadline=None)
@given(_SPANS)
def test_resolving_per_cluster_is_the_same_as_resolving_all_at_once(spans: list[Span]) -> None:
    assert resolve(spans) == _resolve_cluster(spans)
