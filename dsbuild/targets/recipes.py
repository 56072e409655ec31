"""Ready-to-use trainer configs for a built output: the dataset card's "Train with" section.

Per target and storage format: the TRL call, a LLaMA-Factory ``dataset_info.json`` entry (also
written as ``OUT/dataset_info.json`` so ``dataset_dir: OUT`` works), an axolotl ``datasets:``
block and the OpenAI upload note, plus TRL's recommended KTO loss weights for the train split's
label balance. Pure functions of (target, turns, format, splits, label counts): no personal
value can reach them.

Which trainer honours what (the README's target table says the same):

* ``weight`` on OpenAI rows: the OpenAI API and axolotl (``message_field_training: weight``);
  TRL and LLaMA-Factory ignore it and train every reply, down-rated ones included.
* ShareGPT ``human``/``gpt`` roles: LLaMA-Factory and axolotl map them; TRL renames the keys but
  keeps the role values, so TRL gets the ``messages`` target instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

# TRL's KTOTrainer (trl/trainer/kto_trainer.py): with unequal label counts it warns unless
# desirable_weight * n_desirable / (undesirable_weight * n_undesirable) is in [1, 4/3]
# (Eq. 8 of the KTO paper). We recommend the middle of that interval, moving the weight of the
# rarer label and leaving the other at 1.
KTO_RATIO_LOW, KTO_RATIO_HIGH, KTO_RATIO_MID = 1.0, 1.33, 1.15
OUT = "OUT"  # the placeholder the snippets use for the output directory (or the Hub repo id)
MODEL = "MODEL"  # and for the model to fine-tune


def kto_weights(desirable: int, undesirable: int) -> dict[str, Any] | None:
    """TRL's recommended ``desirable_weight``/``undesirable_weight`` for a label balance, with
    the ranges its warning gives (each assuming the other weight stays 1). None without both."""
    if desirable <= 0 or undesirable <= 0:
        return None
    d, u = desirable, undesirable
    if d >= u:
        rec = {"desirable_weight": 1.0, "undesirable_weight": round(d / u / KTO_RATIO_MID, 2)}
    else:
        rec = {"desirable_weight": round(u / d * KTO_RATIO_MID, 2), "undesirable_weight": 1.0}
    return {"split": "train", "desirable": d, "undesirable": u, **rec,
            "trl_ranges": {
                "desirable_weight": [round(u / d * KTO_RATIO_LOW, 2), round(u / d * KTO_RATIO_HIGH, 2)],
                "undesirable_weight": [round(d / u / KTO_RATIO_HIGH, 2), round(d / u / KTO_RATIO_LOW, 2)],
            }}


def count_labels(jsonl: Path) -> tuple[int, int]:
    """(desirable, undesirable) rows of a written kto split."""
    good = bad = 0
    with open(jsonl, "rb") as f:
        for line in f:
            if line.strip():
                label = orjson.loads(line).get("label")
                good += label is True
                bad += label is False
    return good, bad


def kto_weights_from_labels(labels: dict[str, int]) -> dict[str, Any] | None:
    """From a split's ``labels`` statistics (``label:true`` / ``label:false`` counts)."""
    return kto_weights(labels.get("label:true", 0), labels.get("label:false", 0))


def _files(fmt: str, splits: list[str]) -> dict[str, str]:
    ext = {"jsonl": "jsonl", "parquet": "parquet"}.get(fmt)
    return {s: f"{s}.{ext}" for s in splits} if ext else {}


def _load_code(fmt: str, out: str, trl_import: str) -> str:
    loader = "load_from_disk" if fmt == "hf" else "load_dataset"
    return f'from datasets import {loader}\n{trl_import}\n\nds = {loader}("{out}")\n'


def trl_snippet(target: str, turns: str, fmt: str, splits: list[str],
                kto: dict[str, Any] | None = None, out: str = OUT, model: str = MODEL) -> str | None:
    """The TRL call that trains on this output, or None for a target TRL should not be given."""
    eval_arg = ', eval_dataset=ds["test"]' if "test" in splits else ""
    if target == "messages":
        # prompt-completion rows: TRL trains on the completion only by default
        config = "SFTConfig(output_dir=\"runs/sft\"" + (", assistant_only_loss=True" if turns == "all"
                                                         else "") + ")"
        return (_load_code(fmt, out, "from trl import SFTConfig, SFTTrainer") +
                f'trainer = SFTTrainer(model="{model}", train_dataset=ds["train"]{eval_arg},\n'
                f"                     args={config})\ntrainer.train()")
    if target == "kto":
        w = kto or {"desirable_weight": 1.0, "undesirable_weight": 1.0}
        return (_load_code(fmt, out, "from trl import KTOConfig, KTOTrainer") +
                f'args = KTOConfig(output_dir="runs/kto", desirable_weight={w["desirable_weight"]},'
                f' undesirable_weight={w["undesirable_weight"]})\n'
                f'trainer = KTOTrainer(model="{model}", args=args, train_dataset=ds["train"]{eval_arg})\n'
                "trainer.train()")
    return None


_CHATML_TAGS = {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                "assistant_tag": "assistant", "system_tag": "system"}


def llamafactory_info(target: str, turns: str, fmt: str, splits: list[str], has_system: bool,
                      name: str = "dsbuild") -> dict[str, Any] | None:
    """``dataset_info.json`` for ``dataset_dir: OUT`` (train as ``name``, test as ``name_test``),
    or None where LLaMA-Factory cannot read the output as it is (kto rows, prompt-completion
    rows, ``save_to_disk`` directories)."""
    files = _files(fmt, splits)
    if not files or target == "kto" or (target == "messages" and turns == "last"):
        return None
    if target == "sharegpt":
        entry: dict[str, Any] = {"formatting": "sharegpt",
                                 "columns": {"messages": "conversations",
                                             **({"system": "system"} if has_system else {})}}
    else:  # messages / openai: role/content messages (LLaMA-Factory ignores openai's weight)
        entry = {"formatting": "sharegpt", "columns": {"messages": "messages"},
                 "tags": dict(_CHATML_TAGS)}
    return {(name if s == "train" else f"{name}_{s}"): {"file_name": f, **entry}
            for s, f in files.items()}


def axolotl_block(target: str, turns: str, fmt: str, splits: list[str], out: str = OUT) -> str | None:
    """The ``datasets:`` (and ``test_datasets:``) block of an axolotl config, or None."""
    if target == "kto" or (target == "messages" and turns == "last"):
        return None
    ds_type = {"jsonl": "json", "parquet": "parquet"}.get(fmt)
    if target == "sharegpt":
        fields = ["    field_messages: conversations", "    message_property_mappings:",
                  "      role: from", "      content: value"]
    else:
        fields = ["    field_messages: messages"]
        if target == "openai":
            fields.append("    message_field_training: weight  # the down-rated replies are not trained")

    def entry(split: str) -> list[str]:
        if ds_type:
            src = [f"  - path: {out}/{split}.{fmt}", f"    ds_type: {ds_type}"]
        else:  # a save_to_disk directory: axolotl loads it with load_from_disk
            src = [f"  - path: {out}/{split}"]
        return [*src, "    split: train", "    type: chat_template", *fields]

    lines = ["datasets:", *entry("train")]
    if "test" in splits:
        lines += ["test_datasets:", *entry("test")]
    return "\n".join(lines)


def openai_note(target: str, fmt: str) -> str | None:
    if target != "openai":
        return None
    convert = ("" if fmt == "jsonl" else
               f"# stored as {fmt}: write JSONL first (the rows keep exactly their keys)\n"
               + ('from datasets import load_from_disk\nload_from_disk("OUT")["train"]'
                  if fmt == "hf" else
                  'from datasets import load_dataset\nload_dataset("OUT")["train"]')
               + '.to_json("train.jsonl", lines=True)\n')
    path = "OUT/train.jsonl" if fmt == "jsonl" else "train.jsonl"
    return (f"{convert}from openai import OpenAI\n\nclient = OpenAI()\n"
            f'f = client.files.create(file=open("{path}", "rb"), purpose="fine-tune")\n'
            'client.fine_tuning.jobs.create(training_file=f.id, model="MODEL")')


def train_with_section(target: str, turns: str, fmt: str, splits: list[str],
                       labels: dict[str, int] | None = None, has_system: bool = False) -> list[str]:
    """The card's "Train with" markdown."""
    kto = kto_weights_from_labels(labels or {}) if target == "kto" else None
    parts = ["## Train with", "",
             (f"`{OUT}` is this directory (or this Hub repo id for the `datasets` loaders), "
              f"`{MODEL}` the model to fine-tune."), ""]
    trl = trl_snippet(target, turns, fmt, splits, kto)
    if trl:
        parts += ["### TRL", "", "```python", trl, "```", ""]
    elif target in ("sharegpt", "openai"):
        parts += ["### TRL", "", "Build with `--target messages` for TRL: "
                  + ("TRL keeps ShareGPT's `human`/`gpt` role values, which chat templates reject."
                     if target == "sharegpt" else
                     "TRL ignores `weight` and would train the down-rated replies too."), ""]
    if target == "kto":
        if kto:
            r = kto["trl_ranges"]
            parts += [(f"Label balance of train: {kto['desirable']} desirable, {kto['undesirable']}"
                       f" undesirable. TRL's recommended range is `desirable_weight` in "
                       f"{r['desirable_weight']} or `undesirable_weight` in "
                       f"{r['undesirable_weight']} (not both); the call above uses "
                       f"`desirable_weight={kto['desirable_weight']}`, "
                       f"`undesirable_weight={kto['undesirable_weight']}`."), ""]
        else:
            parts += ["Train has only one label: KTO needs both thumbs up and thumbs down.", ""]
    info = llamafactory_info(target, turns, fmt, splits, has_system)
    if info:
        parts += ["### LLaMA-Factory", "",
                  "`dataset_info.json` (written next to the data, so `dataset_dir: OUT` works):", "",
                  "```json", json.dumps(info, indent=2), "```", "",
                  "```yaml", "dataset_dir: OUT", "dataset: dsbuild",
                  *(["eval_dataset: dsbuild_test"] if "test" in splits else []), "```", ""]
        if target == "openai":
            parts += ["LLaMA-Factory ignores `weight`: every reply is trained.", ""]
    axo = axolotl_block(target, turns, fmt, splits)
    if axo:
        parts += ["### axolotl", "", "```yaml", axo, "```", ""]
    note = openai_note(target, fmt)
    if note:
        parts += ["### OpenAI", "",
                  ("OpenAI's fine-tuning accepts this JSONL as it is (10 examples or more); "
                   "OpenAI-compatible services take the same file."), "", "```python", note, "```", ""]
    return parts
