"""The one place that knows output file names."""

from __future__ import annotations

SPLITS = ("train", "test")
MANIFEST = "manifest.json"
CARD = "README.md"


def split_file(split: str, fmt: str) -> str:
    return f"{split}.{fmt}"

# Charts of `dsbuild stats`, written by `make` too so the dataset card can embed them.
PLOTS_DIR = "plots"
