"""Exports are read incrementally (issue 13): same items as the whole-file reader, bounded memory."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from dsbuild.convocore import json_stream
from dsbuild.convocore.export_file import BadItem, decode_export, iter_file, read_export
from dsbuild.errors import InputDataError
from dsbuild.samples.generate import dump_export, generate_export
from tests.helpers import envelope, item, text, turn


def test_the_c_backend_of_ijson_is_the_one_used() -> None:
    assert json_stream.backend().backend_name == "yajl2_c"


def test_reading_a_large_export_holds_a_few_items_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    dump_export(generate_export(3000, 7), path)
    size = path.stat().st_size
    list(decode_export(json.dumps(envelope(item())).encode(), "warm-up"))  # imports the backend
    tracemalloc.start()
    n = sum(1 for _ in iter_file(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n > 3000 and size > 2_000_000
    assert peak < size / 3, (peak, size)  # the whole-file reader peaked above the file size


@pytest.mark.parametrize("chunk", [1, 5, 11, 13, 4096])
def test_escapes_read_like_the_standard_library_whatever_the_buffer_boundaries(
        chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    strings = ["hi \\ud83d there \\ud83d\\ude00", "\\\\ud83d", "\\\\\\ud83d", "\\uDE00x\\uD83D",
               "\\uffff\\uFFFF\uffff", "\uffffd83d", "\\uffffd83d", "caf\u00e9 \\u00e9", "\u2028"]
    data = ("[" + ", ".join(f'{{"metadata": {{"convo": {{"id": "{s}"}}}}, "turns": ["{s}"]}}'
                            for s in strings) + "]").encode()
    assert list(decode_export(data, "f")) == json.loads(data)


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    data = b'{"success": true, "data": [{"turns": [], "x": "a\xff b"}]}'
    assert list(decode_export(data, "f")) == [{"turns": [], "x": "a\ufffd b"}]


def test_numbers_the_c_parser_refuses_fall_back_to_the_standard_library() -> None:
    data = b'{"success": true, "data": [{"turns": [], "n": 1.5}, {"turns": [], "n": 123456789012345678901234}]}'
    assert [i["n"] for i in decode_export(data, "f")] == [1.5, 123456789012345678901234]


def test_lone_surrogates_and_big_numbers_together_read_like_the_standard_library() -> None:
    data = (b'{"success": true, "data": [{"turns": ["\\ud83d"]}, {"turns": ["ok"]},'
            b' {"turns": ["\\ude00"], "n": 123456789012345678901234}, {"turns": [], "n": 2}]}')
    assert list(decode_export(data, "f")) == json.loads(data)["data"]


def test_the_envelope_keys_may_come_in_any_order() -> None:
    a = item(turn("user", text("hi")), id="a")
    data = json.dumps({"data": [a, a], "message": "ok", "success": True}).encode()
    assert list(decode_export(data, "f")) == [a, a]
    late_error = json.dumps({"message": "Agent not found", "data": None, "success": False}).encode()
    with pytest.raises(InputDataError, match="error response"):
        list(decode_export(late_error, "f"))


def test_an_error_envelope_before_data_is_refused_before_any_item() -> None:
    data = json.dumps({"success": False, "message": "quota", "data": [item()]}).encode()
    with pytest.raises(InputDataError, match="error response"):
        next(decode_export(data, "f"))


def test_a_truncated_export_fails_even_after_items_were_read() -> None:
    a = json.dumps(item(turn("user", text("hi"))))
    items = decode_export(f'{{"success": true, "data": [{a}, {a}, {{"turns": ['.encode(), "export.json")
    assert next(items) and next(items)
    with pytest.raises(InputDataError, match="truncated"):
        next(items)


def test_a_jsonl_line_with_a_line_separator_in_a_string_is_one_conversation() -> None:
    a: dict[str, Any] = item(turn("user", text("one\u2028two")), id="a")
    b = item(turn("user", text("yo")), id="b")
    data = (json.dumps(a, ensure_ascii=False) + "\r\n\n" + json.dumps(b) + "\n{bad\n").encode()
    got = list(decode_export(data, "f"))
    assert got[:2] == [a, b] and isinstance(got[2], BadItem) and got[2].raw == "{bad"


def test_read_export_hashes_the_file_and_streams_its_items(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "e.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(envelope(item(id="x"))).encode())
    sha, items = read_export(path)
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [i["metadata"]["convo"]["id"] for i in items] == ["x"]


def test_jsonl_with_a_first_line_longer_than_the_head_read_is_still_jsonl() -> None:
    big = item(turn("user", text("x" * 300_000)), id="big")
    small = item(turn("user", text("hi")), id="s")
    data = (json.dumps(big) + "\n" + json.dumps(envelope(small, small)) + "\n").encode()
    assert list(decode_export(data, "f")) == [big, small, small]
