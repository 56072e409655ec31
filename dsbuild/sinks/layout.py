"""The one place that knows output file names."""

from __future__ import annotations

SPLITS = ("train", "test")
MANIFEST = "manifest.json"
CARD = "README.md"
FORMATS = ("jsonl", "hf", "parquet")
# Written by ``DatasetDict.save_to_disk`` next to one directory per split (``--format hf``).
DATASET_DICT = "dataset_dict.json"


def split_file(split: str, fmt: str) -> str:
    """``train.jsonl``, ``train.parquet``; for ``hf`` the split's directory, ``train``."""
    return split if fmt == "hf" else f"{split}.{fmt}"


# LLaMA-Factory's dataset registry, written next to the splits (`dataset_dir: OUT`).
DATASET_INFO = "dataset_info.json"

# Charts of `dsbuild stats`, written by `make` too so the dataset card can embed them.
PLOTS_DIR = "plots"


def hub_split_file(split: str) -> str:
    """Where `dsbuild push` puts a split in a Hub dataset repo (always parquet)."""
    return f"data/{split}.parquet"
