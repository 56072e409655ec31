"""``--input DIR``: a directory of JSONL shards builds the same dataset as the one export file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dsbuild.samples.generate import dump_export, generate_export
from tests.conftest import run_dsbuild


def write_shards(export: dict, directory: Path, n_shards: int) -> list[Path]:
    """Cut an export's items into JSONL shards in order (the last one may be empty)."""
    directory.mkdir()
    items = export["data"]
    size = -(-len(items) // n_shards)
    paths = []
    for k in range(n_shards + 1):
        path = directory / f"part-{k:05d}.jsonl"
        # json, not orjson: the sample has lone surrogates, which only an escaped form can carry
        path.write_text("".join(json.dumps(it) + "\n" for it in items[k * size:(k + 1) * size]))
        paths.append(path)
    return paths


def test_a_directory_of_shards_builds_the_same_dataset_as_the_file(tmp_path: Path) -> None:
    export = generate_export(120, 4)
    dump_export(export, tmp_path / "export.json")
    shards = write_shards(export, tmp_path / "shards", n_shards=3)
    (tmp_path / "shards" / "notes.txt").write_text("not an export")  # ignored: not *.jsonl

    base = ["make", "--agent", "a", "--quiet"]
    whole = run_dsbuild(*base, "--input", str(tmp_path / "export.json"), "--out", str(tmp_path / "a"))
    sharded = run_dsbuild(*base, "--input", str(tmp_path / "shards"), "--out", str(tmp_path / "b"))
    assert whole.returncode == 0 and sharded.returncode == 0, sharded.stderr
    for split in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / "b" / split).read_bytes() == (tmp_path / "a" / split).read_bytes()
    m_whole = json.loads((tmp_path / "a" / "manifest.json").read_text())
    m_shards = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert m_shards["counts"] == m_whole["counts"] and m_shards["counts"]["duplicates"] > 0
    concatenated = b"".join(p.read_bytes() for p in shards)
    assert m_shards["input"]["sha256"] == hashlib.sha256(concatenated).hexdigest()


def test_a_directory_without_shards_is_one_line_exit_3(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_dsbuild("make", "--agent", "a", "--input", str(tmp_path / "empty"),
                    "--out", str(tmp_path / "out"))
    assert r.returncode == 3
    assert r.stderr.strip().splitlines() == [
        f"dsbuild: error: {tmp_path / 'empty'}: no *.jsonl or *.json export files in this directory"]
    assert not (tmp_path / "out").exists()


def test_a_bad_line_in_a_shard_is_skipped_and_counted(tmp_path: Path) -> None:
    export = generate_export(20, 2)
    shards = write_shards(export, tmp_path / "shards", n_shards=2)
    shards[1].write_bytes(shards[1].read_bytes() + b'{"metadata": {"convo": \n')
    r = run_dsbuild("make", "--agent", "a", "--input", str(tmp_path / "shards"),
                    "--out", str(tmp_path / "out"), "--quiet")
    assert r.returncode == 0, r.stderr
    counts = json.loads((tmp_path / "out" / "manifest.json").read_text())["counts"]
    assert counts["dropped"].get("invalid_json_line") == 1
    assert counts["conversations_read"] == len(export["data"]) + 1
