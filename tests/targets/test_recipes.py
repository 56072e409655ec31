"""The card's "Train with" snippets run as printed: TRL trains on the output, KTO without TRL's
weight warning, `datasets` loads it; LLaMA-Factory and axolotl entries have the shape their
loaders read (their own loaders run in `make test-trainers`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from dsbuild.targets.recipes import (
    MODEL,
    OUT,
    axolotl_block,
    kto_weights,
    llamafactory_info,
    openai_note,
    train_with_section,
    trl_snippet,
)
from tests.targets.conftest import read_jsonl

pytest.importorskip("trl")


@pytest.mark.parametrize("good,bad", [(230, 25), (25, 230), (40, 41), (1, 1000), (7, 7)])
def test_kto_weights_sit_inside_trls_recommended_ranges(good: int, bad: int) -> None:
    w = kto_weights(good, bad)
    assert w is not None
    ratio = w["desirable_weight"] * good / (w["undesirable_weight"] * bad)
    assert 1 <= ratio <= 1.33 or good == bad
    assert 1.0 in (w["desirable_weight"], w["undesirable_weight"])  # "EITHER ... (but NOT BOTH)"


def test_kto_weights_for_the_issue_balance() -> None:
    w = kto_weights(230, 25)
    assert w is not None
    assert w["trl_ranges"] == {"desirable_weight": [0.11, 0.14], "undesirable_weight": [6.92, 9.2]}
    assert kto_weights(5, 0) is None


def _smoke_model(rows: list[dict], path: Path) -> str:
    from dsbuild.smoke_model import build_tiny

    model, tok = build_tiny(rows)
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return str(path)


@pytest.fixture(autouse=True)
def private_datasets_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`load_dataset(OUT)` caches; keep it out of ~/.cache and apart between tests."""
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


def _run(code: str, out: Path, model: str, tmp: Path, config: str) -> dict:
    """Execute a snippet as printed, with OUT/MODEL filled in and a one-step smoke run."""
    code = code.replace(f'"{OUT}"', json.dumps(str(out))).replace(f'"{MODEL}"', json.dumps(model))
    smoke = (f'output_dir={json.dumps(str(tmp / "run"))}, max_steps=1, report_to="none", '
             'use_cpu=True, save_strategy="no", per_device_train_batch_size=2, max_length=256')
    assert f'{config}(output_dir="runs/' in code
    code = code.replace('output_dir="runs/sft"', smoke).replace('output_dir="runs/kto"', smoke)
    scope: dict = {}
    exec(compile(code, "<card snippet>", "exec"), scope)  # noqa: S102 - our own generated code
    return scope


def test_trl_sft_snippet_trains(build: Callable[..., Path], tmp_path: Path) -> None:
    out = build("--target", "messages")
    code = trl_snippet("messages", "all", "jsonl", ["train", "test"])
    assert code and "assistant_only_loss=True" in code
    model = _smoke_model(read_jsonl(out / "train.jsonl"), tmp_path / "model")
    scope = _run(code, out, model, tmp_path, "SFTConfig")
    assert scope["trainer"].state.global_step == 1
    assert scope["ds"]["test"].num_rows > 0


def test_trl_kto_snippet_trains_without_trls_weight_warning(build: Callable[..., Path],
                                                            tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    out = build("--target", "kto")
    rows = read_jsonl(out / "train.jsonl")
    good = sum(r["label"] for r in rows)
    w = kto_weights(good, len(rows) - good)
    code = trl_snippet("kto", "all", "jsonl", ["train", "test"], w)
    assert code and f"undesirable_weight={w['undesirable_weight']}" in code  # type: ignore[index]
    flat = [{"messages": r["prompt"] + r["completion"]} for r in rows]
    model = _smoke_model(flat, tmp_path / "model")
    with caplog.at_level(logging.WARNING):
        scope = _run(code, out, model, tmp_path, "KTOConfig")
    assert scope["trainer"].state.global_step == 1
    assert "ideal range" not in caplog.text
    # and the check is live: TRL's default weights on the same data do warn
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        _run(code.replace(f"desirable_weight={w['desirable_weight']}", "desirable_weight=1.0")  # type: ignore[index]
             .replace(f"undesirable_weight={w['undesirable_weight']}", "undesirable_weight=1.0"),  # type: ignore[index]
             out, model, tmp_path, "KTOConfig")
    assert "ideal range" in caplog.text


def test_snippets_follow_the_splits_and_format() -> None:
    only_train = trl_snippet("messages", "all", "parquet", ["train"])
    assert only_train and "eval_dataset" not in only_train
    assert "load_from_disk" in (trl_snippet("messages", "all", "hf", ["train"]) or "")
    assert trl_snippet("sharegpt", "all", "jsonl", ["train"]) is None  # TRL keeps human/gpt
    assert llamafactory_info("messages", "all", "hf", ["train"], False) is None
    assert llamafactory_info("kto", "all", "jsonl", ["train"], False) is None
    info = llamafactory_info("sharegpt", "all", "parquet", ["train", "test"], False)
    assert info == {"dsbuild": {"file_name": "train.parquet", "formatting": "sharegpt",
                                "columns": {"messages": "conversations"}},
                    "dsbuild_test": {"file_name": "test.parquet", "formatting": "sharegpt",
                                     "columns": {"messages": "conversations"}}}
    axo = axolotl_block("openai", "all", "jsonl", ["train"])
    assert axo and "message_field_training: weight" in axo and "test_datasets" not in axo
    assert openai_note("messages", "jsonl") is None
    assert "to_json" in (openai_note("openai", "parquet") or "")


def test_the_section_names_every_offered_trainer() -> None:
    text = "\n".join(train_with_section("sharegpt", "all", "jsonl", ["train", "test"]))
    assert "### LLaMA-Factory" in text and "### axolotl" in text
    assert "--target messages" in text  # the TRL advice
    kto = "\n".join(train_with_section("kto", "all", "jsonl", ["train"],
                                       {"label:true": 230, "label:false": 25}))
    assert "[6.92, 9.2]" in kto and "undesirable_weight=8.0" in kto
