"""``make --max-tokens N --tokenizer T``: records over N tokens are dropped and counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace

from tests.conftest import run_dsbuild


@pytest.fixture
def tokenizer_file(tmp_path: Path) -> Path:
    """A real tokenizer.json: one token per word or punctuation run (unknown words → [UNK])."""
    tok = Tokenizer(WordLevel({"[UNK]": 0, "the": 1}, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    path = tmp_path / "tok" / "tokenizer.json"
    path.parent.mkdir()
    tok.save(str(path))
    return path


def _rows(out: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{split}.jsonl").read_text().splitlines()]


def test_records_over_the_limit_are_dropped_and_counted(tmp_path: Path, make_export,
                                                         tokenizer_file: Path, no_pii_config: Path) -> None:
    export = make_export(n=80, seed=2)
    base = tmp_path / "base"
    assert run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(base),
                       "--config", str(no_pii_config), "-q").returncode == 0
    tok = Tokenizer.from_file(str(tokenizer_file))

    def n_tokens(row: dict) -> int:
        return sum(len(tok.encode(m["content"], add_special_tokens=False).ids) for m in row["messages"])

    lengths = sorted(n_tokens(r) for s in ("train", "test") for r in _rows(base, s))
    limit = lengths[len(lengths) // 2]
    n_long = sum(n > limit for n in lengths)
    assert 0 < n_long < len(lengths)

    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out),
                    "--max-tokens", str(limit), "--tokenizer", str(tokenizer_file),
                    "--config", str(no_pii_config))
    assert r.returncode == 0, r.stderr
    for split in ("train", "test"):
        assert _rows(out, split) == [row for row in _rows(base, split) if n_tokens(row) <= limit]
    m_base = json.loads((base / "manifest.json").read_text())["counts"]
    m = json.loads((out / "manifest.json").read_text())["counts"]
    # a too-long record's duplicates are too long as well: they count under the new reason
    assert m["dropped"]["over_max_tokens"] + m["duplicates"] == n_long + m_base["duplicates"]
    assert "dropped: over_max_tokens" in r.stdout
    card = (out / "README.md").read_text()
    assert f"{limit:,}, counted with tokenizer.json" in card
    assert str(tmp_path) not in card
    stats = json.loads(run_dsbuild("stats", str(out), "--json", "--tokenizer",
                                   str(tokenizer_file)).stdout)
    assert stats["token_method"] == "tokenizer.json"
    assert max(stats["splits"][s]["total_tokens"]["max"] for s in ("train", "test")) <= limit


def test_max_tokens_without_tokenizer_or_with_a_missing_one_is_a_usage_error(
        tmp_path: Path, sample_export: Path) -> None:
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(sample_export), "--out", str(out),
                    "--max-tokens", "100")
    assert r.returncode == 2 and "--max-tokens needs --tokenizer" in r.stderr
    r = run_dsbuild("make", "--agent", "a", "--input", str(sample_export), "--out", str(out),
                    "--max-tokens", "100", "--tokenizer", str(tmp_path / "nope"))
    assert r.returncode == 2 and "--tokenizer" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_help_says_the_estimate_is_for_statistics_only() -> None:
    r = run_dsbuild("make", "--help")
    assert "chars/4 estimate is used for the statistics only" in " ".join(r.stdout.split())


def test_a_saved_transformers_tokenizer_dir_is_loaded_offline(tmp_path: Path,
                                                               tokenizer_file: Path) -> None:
    transformers = pytest.importorskip("transformers")  # comes with the train extra
    from dsbuild.tokens import load_tokenizer

    saved = tmp_path / "my-tokenizer"
    fast = transformers.PreTrainedTokenizerFast(tokenizer_file=str(tokenizer_file), unk_token="[UNK]")
    fast.save_pretrained(saved)
    counter = load_tokenizer(str(saved))
    assert counter.name == "my-tokenizer"
    assert counter.count(["the cat sat.", "hi"]) == 5  # the, cat, sat, ., hi
