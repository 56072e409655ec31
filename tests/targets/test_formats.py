"""``--format hf|parquet``: typed datasets that load back with the rows ``jsonl`` has, and
``datasets`` never caches them outside the output directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from datasets import Features, load_dataset, load_from_disk

from dsbuild.sinks.layout import SPLITS
from dsbuild.targets import TARGETS, RenderOptions
from tests.conftest import run_dsbuild
from tests.targets.conftest import read_jsonl


def manifest_rows(out: Path) -> dict[str, int]:
    return json.loads((out / "manifest.json").read_text())["counts"]["records"]


@pytest.mark.parametrize("target", ["messages", "sharegpt", "kto"])
def test_hf_format_reloads_with_load_from_disk(build, target: str) -> None:
    out = build("--target", target, "--format", "hf")
    ds = load_from_disk(str(out))
    assert set(ds) == set(SPLITS)
    assert {s: ds[s].num_rows for s in SPLITS} == manifest_rows(out)
    jsonl = build("--target", target)
    features = TARGETS[target].features(RenderOptions())
    if target == "sharegpt":
        # No system prompt in this build: rows carry no ``system`` key and Arrow stores no
        # all-null ``system`` column (issue 15).
        assert not any("system" in row for s in SPLITS for row in read_jsonl(jsonl / f"{s}.jsonl"))
        features = Features({k: v for k, v in features.items() if k != "system"})
    for s in SPLITS:
        assert ds[s].features == features
        assert ds[s].to_list() == read_jsonl(jsonl / f"{s}.jsonl")
    assert not list(out.glob("*.jsonl")) and not list(out.glob(".hf-cache-*"))


@pytest.mark.parametrize("target,turns", [("messages", "last"), ("openai", "all"), ("kto", "all")])
def test_parquet_format_loads_with_load_dataset(build, tmp_path: Path, target: str,
                                                turns: str) -> None:
    out = build("--target", target, "--turns", turns, "--format", "parquet")
    # LLaMA-Factory's registry only where it can read the rows (not kto, not prompt-completion)
    info = ["dataset_info.json"] if target == "openai" else []
    assert sorted(p.name for p in out.iterdir()) == ["README.md", *info, "manifest.json",
                                                     "test.parquet", "train.parquet"]
    if info:
        registry = json.loads((out / "dataset_info.json").read_text())
        assert {e["file_name"] for e in registry.values()} == {"train.parquet", "test.parquet"}
    ds = load_dataset("parquet", data_files={s: str(out / f"{s}.parquet") for s in SPLITS},
                      cache_dir=str(tmp_path))
    assert {s: ds[s].num_rows for s in SPLITS} == manifest_rows(out)
    features = TARGETS[target].features(RenderOptions(turns=turns))
    assert all(ds[s].features == features for s in SPLITS)
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert set(files) == {"train.parquet", "test.parquet"}


def test_openai_parquet_keeps_weights(build, tmp_path: Path) -> None:
    out = build("--target", "openai", "--turns", "all", "--format", "parquet")
    jsonl = build("--target", "openai", "--turns", "all")
    ds = load_dataset("parquet", data_files=str(out / "train.parquet"), cache_dir=str(tmp_path))
    # Arrow has one struct type per column: user messages read back with weight None.
    got = [[{k: v for k, v in m.items() if v is not None} for m in row["messages"]]
           for row in ds["train"]]
    assert got == [row["messages"] for row in read_jsonl(jsonl / "train.jsonl")]


@pytest.mark.parametrize("fmt", ["hf", "parquet"])
def test_empty_split_keeps_the_schema(build, fmt: str) -> None:
    """``--eval-ratio 0``: no test split is written at all (no file, no manifest entry, not in
    the card), and the train split keeps the target's typed schema."""
    out = build("--target", "kto", "--format", fmt, "--eval-ratio", "0")
    features = TARGETS["kto"].features(RenderOptions())
    test_file = "test.parquet" if fmt == "parquet" else "test"
    train_file = "train.parquet" if fmt == "parquet" else "train"
    assert not (out / test_file).exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {train_file}
    assert manifest["files"][train_file]["rows"] == manifest["counts"]["records"]["train"] > 0
    card = yaml.safe_load((out / "README.md").read_text().split("---")[1])
    assert [f["split"] for f in card["configs"][0]["data_files"]] == ["train"]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out / "train.parquet")
        assert table.schema.remove_metadata() == features.arrow_schema
        assert table.num_rows == manifest["counts"]["records"]["train"]
        return
    ds = load_from_disk(str(out))
    assert set(ds) == {"train"} and ds["train"].num_rows > 0
    assert ds["train"].features == features


@pytest.mark.parametrize("fmt", ["hf", "parquet"])
def test_datasets_caches_nothing_outside_the_output(tmp_path: Path, small_unseen_export: Path,
                                                    fmt: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "HF_HOME": str(home / ".cache" / "huggingface"),
           "HF_DATASETS_CACHE": str(home / ".cache" / "huggingface" / "datasets")}
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(small_unseen_export), "--out", str(out),
                    "--format", fmt, "--quiet", env=env)
    assert r.returncode == 0, r.stderr
    # matplotlib (the card's charts) caches its font list there: fonts, never data.
    assert [p for p in home.rglob("*") if p.is_file() and "matplotlib" not in p.parts] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out"]  # no temp dir left
