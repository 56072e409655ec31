"""Statistics of a small dataset whose numbers were worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsbuild.errors import InputDataError
from dsbuild.report.dataset_stats import compute_stats, distribution
from dsbuild.report.rows import row_label, row_messages
from tests.report_fixtures import TEST, TRAIN, write_small_dataset

# train: messages [2, 5, 2], assistant chars [8, 12, 1], total chars [12, 21, 3]
#        → tokens ceil(chars/4): assistant [2, 3, 1], total [3, 6, 1]
# test:  messages [2, 4], assistant chars [4, 11], total chars [8, 15] → tokens [1, 3], [2, 4]
EXPECTED_TRAIN = {
    "records": 3,
    "messages": {"min": 2, "median": 2, "p90": 5, "max": 5, "mean": 3.0},
    "assistant_chars": {"min": 1, "median": 8, "p90": 12, "max": 12, "mean": 7.0},
    "assistant_tokens": {"min": 1, "median": 2, "p90": 3, "max": 3, "mean": 2.0},
    "total_chars": {"min": 3, "median": 12, "p90": 21, "max": 21, "mean": 12.0},
    "total_tokens": {"min": 1, "median": 3, "p90": 6, "max": 6, "mean": 3.33},
    "labels": {"positive": 2, "unset": 1},
}
EXPECTED_TEST = {
    "records": 2,
    "messages": {"min": 2, "median": 3, "p90": 4, "max": 4, "mean": 3.0},
    "assistant_chars": {"min": 4, "median": 7.5, "p90": 11, "max": 11, "mean": 7.5},
    "assistant_tokens": {"min": 1, "median": 2, "p90": 3, "max": 3, "mean": 2.0},
    "total_chars": {"min": 8, "median": 11.5, "p90": 15, "max": 15, "mean": 11.5},
    "total_tokens": {"min": 2, "median": 3, "p90": 4, "max": 4, "mean": 3.0},
    "labels": {"negative": 2},
}


def _check(doc: dict, expected: dict) -> None:
    for key, value in expected.items():
        assert doc[key] == value, key


def test_known_dataset_gives_the_hand_computed_numbers(tmp_path: Path) -> None:
    doc = compute_stats(write_small_dataset(tmp_path / "out")).to_dict()
    assert doc["records"] == 5
    _check(doc["splits"]["train"], EXPECTED_TRAIN)
    _check(doc["splits"]["test"], EXPECTED_TEST)
    assert doc["splits"]["train"]["files"] == ["train.jsonl"]
    assert doc["pii"] == {"status": "scrubbed", "entities": {"PERSON": 5, "EMAIL_ADDRESS": 2},
                          "by_source": {"known": 3, "ner": 2, "pattern": 2}}
    # duplicates count as a drop reason; largest first
    assert list(doc["drops"].items()) == [("feedback_negative", 4), ("duplicate", 2), ("over_max_tokens", 1)]
    assert doc["warnings"] == []
    assert "ceil(characters / 4)" in doc["token_method"]


def test_parquet_and_hf_outputs_give_the_same_numbers(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import Dataset, DatasetDict

    pq_out = write_small_dataset(tmp_path / "pq")
    hf_out = write_small_dataset(tmp_path / "hf")
    for split, rows in (("train", TRAIN), ("test", TEST)):
        (pq_out / f"{split}.jsonl").unlink()
        (hf_out / f"{split}.jsonl").unlink()
        pq.write_table(pa.Table.from_pylist(rows), pq_out / f"{split}.parquet")
    DatasetDict({"train": Dataset.from_list(TRAIN), "test": Dataset.from_list(TEST)}).save_to_disk(hf_out)
    for out, fmt in ((pq_out, "parquet"), (hf_out, "hf")):
        doc = compute_stats(out).to_dict()
        assert doc["splits"]["train"]["format"] == fmt
        _check(doc["splits"]["train"], EXPECTED_TRAIN)
        _check(doc["splits"]["test"], EXPECTED_TEST)


def test_without_pii_report_or_manifest_it_says_so(tmp_path: Path) -> None:
    doc = compute_stats(write_small_dataset(tmp_path / "a", {"counts": {}})).to_dict()
    assert doc["pii"] == {"status": "not_recorded", "entities": {}, "by_source": {}}
    doc = compute_stats(write_small_dataset(tmp_path / "off", {"pii": {"enabled": False}})).to_dict()
    assert doc["pii"]["status"] == "disabled"
    assert doc["drops"] == {}
    doc = compute_stats(write_small_dataset(tmp_path / "b", None)).to_dict()
    assert any("manifest.json" in w for w in doc["warnings"])
    _check(doc["splits"]["train"], EXPECTED_TRAIN)


def test_files_edited_after_the_build_are_flagged(tmp_path: Path) -> None:
    out = write_small_dataset(tmp_path / "out")
    with open(out / "train.jsonl", "a") as f:
        f.write('{"messages": [{"role": "user", "content": "extra"}], "feedback": "unset"}\n')
    doc = compute_stats(out).to_dict()
    assert doc["splits"]["train"]["records"] == 4
    assert any("train: 4 rows in the files but 3 in the manifest" in w for w in doc["warnings"])


def test_not_an_output_dir_or_broken_line_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="no train/test files"):
        compute_stats(tmp_path)
    out = write_small_dataset(tmp_path / "out")
    (out / "test.jsonl").write_text('{"messages": []}\n{broken\n')
    with pytest.raises(InputDataError, match=r"test.jsonl:2: not valid JSON"):
        compute_stats(out)


def test_distribution_percentile_is_nearest_rank() -> None:
    assert distribution(list(range(1, 11))) == {"min": 1, "median": 5.5, "p90": 9, "max": 10, "mean": 5.5}
    assert distribution([7, 1, 3, 2, 100, 4, 5, 6, 8, 9, 10])["p90"] == 10
    assert distribution([]) == {"min": None, "median": None, "p90": None, "max": None, "mean": None}


def test_rows_of_every_target_are_read() -> None:
    sharegpt = {"system": "be nice", "conversations": [{"from": "human", "value": "hi"},
                                                       {"from": "gpt", "value": "hello"}]}
    assert row_messages(sharegpt) == [("system", "be nice"), ("user", "hi"), ("assistant", "hello")]
    kto = {"prompt": [{"role": "user", "content": "hi"}],
           "completion": [{"role": "assistant", "content": "yo"}], "label": False,
           "feedback": "positive"}  # the conversation's label; the row's own label wins
    assert row_messages(kto) == [("user", "hi"), ("assistant", "yo")]
    assert row_label(kto) == "label:false"
    openai = {"messages": [{"role": "assistant", "content": "ok", "weight": 0}]}
    assert row_messages(openai) == [("assistant", "ok")] and row_label(openai) == "none"
