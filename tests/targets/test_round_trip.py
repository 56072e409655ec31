"""What trainers and users do with a built output: openai rows stored as parquet/hf export back
to valid JSONL, sharegpt has no empty system, `load_dataset(OUT)` works, LLaMA-Factory's
registry is written next to the splits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_dsbuild
from tests.targets.conftest import read_jsonl, write_build_config


@pytest.fixture(autouse=True)
def private_datasets_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


def load(out: Path, fmt: str):  # -> datasets.DatasetDict
    import datasets

    return datasets.load_from_disk(str(out)) if fmt == "hf" else datasets.load_dataset(str(out))


@pytest.mark.parametrize("fmt", ["parquet", "hf"])
def test_openai_rows_export_back_to_valid_jsonl(build: Callable[..., Path], fmt: str,
                                                tmp_path: Path) -> None:
    out = build("--target", "openai", "--format", fmt)
    ds = load(out, fmt)
    path = tmp_path / "train.jsonl"
    ds["train"].to_json(str(path), lines=True)
    rows = read_jsonl(path)
    assert rows == read_jsonl(build("--target", "openai") / "train.jsonl")  # the same rows
    for row in rows:
        for m in row["messages"]:
            assert ("weight" in m) == (m["role"] == "assistant")
    r = run_dsbuild("validate", str(path), "--target", "openai")
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("fmt", ["parquet", "hf"])
def test_sharegpt_in_arrow_has_no_system_column_without_a_system_prompt(
        build: Callable[..., Path], fmt: str) -> None:
    ds = load(build("--target", "sharegpt", "--format", fmt), fmt)
    assert "system" not in ds["train"].column_names


def test_sharegpt_keeps_a_configured_system_prompt(build: Callable[..., Path],
                                                   tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("convert:\n  system_prompt: You are Nova.\n")
    out = build("--target", "sharegpt", "--format", "parquet", "--config", str(cfg))
    ds = load(out, "parquet")
    assert set(ds["train"]["system"]) == {"You are Nova."}
    info = json.loads((out / "dataset_info.json").read_text())
    assert info["dsbuild"]["columns"] == {"messages": "conversations", "system": "system"}


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "hf"])
def test_eval_ratio_zero_writes_no_test_split(build: Callable[..., Path], fmt: str) -> None:
    out = build("--target", "messages", "--format", fmt, "--eval-ratio", "0")
    assert not any(p.name.startswith("test") for p in out.iterdir())
    ds = load(out, fmt)
    assert list(ds) == ["train"] and ds["train"].num_rows > 0
    card = (out / "README.md").read_text()
    header = card.split("---")[1]
    assert "split: train" in header and "split: test" not in header
    manifest = json.loads((out / "manifest.json").read_text())
    assert not any(name.startswith("test") for name in manifest["files"])
    if fmt != "hf":
        info = json.loads((out / "dataset_info.json").read_text())
        assert list(info) == ["dsbuild"]


def test_kto_weights_in_manifest_card_and_summary(build: Callable[..., Path], tmp_path: Path,
                                                  unseen_export: Path) -> None:
    out = build("--target", "kto")
    rows = read_jsonl(out / "train.jsonl")
    good = sum(r["label"] for r in rows)
    weights = json.loads((out / "manifest.json").read_text())["kto_weights"]
    assert (weights["desirable"], weights["undesirable"]) == (good, len(rows) - good)
    card = (out / "README.md").read_text()
    assert f"undesirable_weight={weights['undesirable_weight']}" in card
    r = run_dsbuild("make", "--agent", "acme", "--input", str(unseen_export),
                    "--out", str(tmp_path / "o"), "--target", "kto",
                    "--config", str(write_build_config(tmp_path / "c.yaml")))
    assert r.returncode == 0, r.stderr
    assert f"undesirable_weight {weights['undesirable_weight']}" in r.stdout
