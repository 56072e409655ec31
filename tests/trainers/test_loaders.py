"""LLaMA-Factory's and axolotl's own loaders read every target the card offers them, with the
card's own snippet (``OUT/dataset_info.json``, the README's axolotl block) and no other mapping:
no row rejected, no empty turn, no empty system turn.

Heavy installs, so not in ``make test``: ``make test-trainers`` builds a venv layered on the
test venv with ``llamafactory`` and ``axolotl`` (see the Makefile); here they are skipped when
not importable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

# (the torchaudio stand-in and the environment: tests/trainers/conftest.py)
llamafactory = pytest.importorskip("llamafactory.data.loader")
axolotl_ct = pytest.importorskip("axolotl.prompt_strategies.chat_template")

from dsbuild.samples.generate import dump_export, generate_export  # noqa: E402
from tests.conftest import run_dsbuild  # noqa: E402

CASES = [("sharegpt", "jsonl"), ("sharegpt", "parquet"), ("messages", "jsonl"),
         ("messages", "parquet"), ("openai", "jsonl"), ("openai", "parquet")]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    export = tmp_path_factory.mktemp("export") / "export.json"
    dump_export(generate_export(160, 29), export)  # a seed no other test uses
    cache: dict[tuple[str, ...], Path] = {}

    def _build(*flags: str) -> Path:
        if flags not in cache:
            out = tmp_path_factory.mktemp("out") / "ds"
            r = run_dsbuild("make", "--agent", "acme", "--input", str(export), "--out", str(out),
                            "-q", *flags)
            assert r.returncode == 0, r.stderr
            cache[flags] = out
        return cache[flags]

    return _build


def source_rows(out: Path, split: str) -> list[dict[str, Any]]:
    import datasets

    path = out / f"{split}.jsonl"
    if path.is_file():
        return [json.loads(x) for x in path.read_text().splitlines()]
    return list(datasets.load_dataset("parquet", data_files=str(out / f"{split}.parquet"),
                                      split="train", cache_dir=str(out.parent / "cache")))


@pytest.mark.parametrize("target,fmt", CASES)
def test_llamafactory_loads_with_the_written_dataset_info(build: Callable[..., Path],
                                                          target: str, fmt: str,
                                                          tmp_path: Path) -> None:
    from llamafactory.data.parser import get_dataset_list
    from llamafactory.hparams import DataArguments, ModelArguments
    from transformers import Seq2SeqTrainingArguments

    out = build("--target", target, "--format", fmt)
    info = json.loads((out / "dataset_info.json").read_text())
    assert set(info) == {"dsbuild", "dsbuild_test"}
    data_args = DataArguments(dataset_dir=str(out), dataset="dsbuild")
    for name, attr in zip(info, get_dataset_list(list(info), str(out))):
        ds = llamafactory._load_single_dataset(  # the loader LLaMA-Factory's get_dataset uses
            attr, ModelArguments(model_name_or_path="unused"), data_args,
            Seq2SeqTrainingArguments(output_dir=str(tmp_path / "run"), report_to="none"))
        split = "train" if name == "dsbuild" else "test"
        assert ds.num_rows == len(source_rows(out, split)) > 0  # no row dropped as invalid
        for row in ds:
            turns = row["_prompt"] + row["_response"]
            assert row["_response"] and row["_response"][0]["role"] == "assistant"
            assert all(t["content"].strip() for t in turns)
            assert row["_system"] == ""  # no system prompt configured, none invented


def axolotl_entries(out: Path) -> list[dict[str, Any]]:
    card = (out / "README.md").read_text()
    block = re.search(r"### axolotl\n\n```yaml\n(.*?)```", card, re.DOTALL)
    assert block, "the card offers no axolotl block"
    cfg = yaml.safe_load(block.group(1).replace("OUT", str(out)))
    return [*cfg["datasets"], *cfg.get("test_datasets", [])]


@pytest.mark.parametrize("target,fmt", [*CASES, ("sharegpt", "hf"), ("openai", "hf")])
def test_axolotl_chat_template_loads_with_the_cards_block(build: Callable[..., Path],
                                                          target: str, fmt: str) -> None:
    from axolotl.utils.data.shared import load_dataset_with_config
    from axolotl.utils.dict import DictDefault

    from dsbuild.smoke_model import build_tiny

    out = build("--target", target, "--format", fmt)
    entries = axolotl_entries(out)
    assert len(entries) == 2
    cfg = DictDefault({"sequence_len": 4096, "chat_template": "tokenizer_default",
                       "train_on_inputs": False})
    tokenizer = None
    for entry in entries:
        ds = load_dataset_with_config(DictDefault(entry), False)
        if tokenizer is None:
            rows = [{"messages": [{"role": "user", "content": json.dumps(r)}]} for r in ds]
            _, tokenizer = build_tiny(rows)
        strategy = axolotl_ct.load(tokenizer, cfg, entry)
        for row in ds:
            turns = strategy.get_conversation_thread(row)
            assert turns and all(t["content"].strip() for t in turns), turns
            assert turns[0]["role"] == "user"  # no (empty) system turn added
            assert {t["role"] for t in turns} <= {"user", "assistant"}
            tokens = strategy.tokenize_prompt(row)
            assert any(label != -100 for label in tokens["labels"])  # something is trained
