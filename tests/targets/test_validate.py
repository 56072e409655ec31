"""``dsbuild validate FILE --target T``: each kind of error, counted, with its line number."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_dsbuild

U = {"role": "user", "content": "Where is my order?"}
A = {"role": "assistant", "content": "Could you share the order number?"}


def write(tmp_path: Path, rows: list, name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def report(path: Path, target: str) -> tuple[int, dict[str, tuple[int, str]]]:
    r = run_dsbuild("validate", str(path), "--target", target)
    kinds = {}
    for line in r.stdout.splitlines()[1:]:
        level, kind, count, where = re.match(r"\s+(\w+)\s+(\w+)\s+([\d,]+)\s+(.*)", line).groups()
        kinds[kind] = (int(count.replace(",", "")), where)
    return r.returncode, kinds


# (target, rows, {kind: (count, where)}): line numbers are 1-based lines of the file.
CASES = {
    "messages": (
        [{"messages": [U, A]},
         "{not json",
         "",
         [1, 2],
         {"messages": []},
         {"messages": [U, {"role": "bot", "content": "hi"}]},
         {"messages": [U, {"role": "assistant", "content": "  "}]},
         {"messages": [U, A], "prompt": "a metadata column named prompt"},
         {"messages": [U]},
         {"messages": [U, {"role": "assistant", "content": "x", "weight": 1}]},
         {"prompt": [U], "completion": [U]},
         {"messages": [U, A], "extra": 1}],
        {"invalid_json": (1, "line 2"), "blank_line": (1, "line 3"), "data_type": (1, "line 4"),
         "missing_messages_list": (1, "line 5"), "unrecognized_role": (1, "line 6"),
         "missing_content": (1, "line 7"), "reserved_column": (1, "line 8"),
         "example_missing_assistant_message": (2, "lines 6, 9"),
         "message_unrecognized_key": (1, "line 10"), "completion_not_assistant": (1, "line 11"),
         "inconsistent_columns": (3, "lines 8, 11, 12")},
    ),
    "openai": (
        [{"messages": [U, A]}] * 2
        + [{"messages": [U, A], "conversation_id": "x"},
           {"messages": [{"role": "user"}, A]},
           {"messages": [U, {**A, "weight": 2}]},
           {"messages": [{**U, "weight": 1}, A]},
           {"messages": [U, {**A, "weight": 0}]},
           {"messages": [U, {**A, "foo": 1}]},
           {"messages": [A]}],
        {"unrecognized_key": (1, "line 3"), "inconsistent_columns": (1, "line 3"),
         "message_missing_key": (1, "line 4"), "missing_content": (1, "line 4"),
         "invalid_weight": (2, "lines 5, 6"), "no_trained_assistant_message": (1, "line 7"),
         "message_unrecognized_key": (1, "line 8"), "example_missing_user_message": (1, "line 9"),
         "too_few_examples": (1, "9 rows; openai needs at least 10")},
    ),
    "sharegpt": (
        [{"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]},
         {"conversations": [{"from": "gpt", "value": "a"}, {"from": "human", "value": "q"}]},
         {"conversations": [{"from": "human", "value": "q"}, {"from": "human", "value": "q"},
                            {"from": "gpt", "value": "a"}]},
         {"conversations": [{"from": "user", "value": "q"}, {"from": "gpt", "value": "a"}]},
         {"conversations": [{"from": "human", "value": "q", "weight": 1},
                            {"from": "gpt", "value": "a"}]},
         {"conversations": []}],
        {"not_alternating": (3, "lines 2, 3, 4"), "not_ending_on_gpt": (1, "line 2"),
         "unrecognized_role": (1, "line 4"), "message_unrecognized_key": (1, "line 5"),
         "missing_conversations_list": (1, "line 6")},
    ),
    "kto": (
        [{"prompt": [U], "completion": [A], "label": True},
         {"prompt": [U], "completion": [A], "label": "yes"},
         {"prompt": [], "completion": [A], "label": False},
         {"prompt": [U, A], "completion": [A], "label": False},
         {"prompt": [U], "completion": [A], "label": True, "chosen": [A]}],
        {"label_not_bool": (1, "line 2"), "missing_prompt": (1, "line 3"),
         "prompt_not_ending_on_user": (1, "line 4"), "reserved_column": (1, "line 5"),
         "inconsistent_columns": (1, "line 5")},
    ),
}


@pytest.mark.parametrize("target", list(CASES))
def test_each_error_kind_is_counted_at_its_line(tmp_path: Path, target: str) -> None:
    rows, expected = CASES[target]
    code, kinds = report(write(tmp_path, rows), target)
    assert code == 1
    assert kinds == expected


@pytest.mark.parametrize("target,row", [
    ("messages", {"messages": [{"role": "system", "content": "s"}, U, A]}),
    ("messages", {"prompt": [U], "completion": [A]}),
    ("openai", {"messages": [U, {**A, "weight": 0}, U, A]}),
    ("sharegpt", {"conversations": [{"from": "human", "value": "q"},
                                    {"from": "gpt", "value": "a"}], "system": ""}),
    ("kto", {"prompt": [U], "completion": [A], "label": False}),
])
def test_valid_file_exits_zero(tmp_path: Path, target: str, row: dict) -> None:
    r = run_dsbuild("validate", str(write(tmp_path, [row] * 12)), "--target", target)
    assert r.returncode == 0, r.stdout
    assert r.stdout.strip().endswith(f"12 rows, valid for target {target}")


def test_warnings_alone_keep_a_file_valid(tmp_path: Path) -> None:
    rows = [{"messages": [U, A]}] * 10 + [{"messages": [A]}]
    code, kinds = report(write(tmp_path, rows), "openai")
    assert code == 0 and kinds == {"example_missing_user_message": (1, "line 11")}


def test_line_numbers_are_capped_but_counts_are_not(tmp_path: Path) -> None:
    code, kinds = report(write(tmp_path, [{"messages": [U]}] * 25), "messages")
    assert code == 1
    count, where = kinds["example_missing_assistant_message"]
    assert count == 25
    assert where.startswith("lines 1, 2, 3") and where.endswith("…")


def test_empty_file_is_invalid(tmp_path: Path) -> None:
    code, kinds = report(write(tmp_path, []), "kto")
    assert code == 1 and "no_examples" in kinds


def test_unreadable_file_exits_3(tmp_path: Path) -> None:
    r = run_dsbuild("validate", str(tmp_path / "missing.jsonl"), "--target", "messages")
    assert r.returncode == 3
    assert r.stderr.count("\n") == 1 and "missing.jsonl" in r.stderr
    r = run_dsbuild("validate", str(tmp_path), "--target", "messages")
    assert r.returncode == 3
