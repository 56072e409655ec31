"""Load a built dataset back, from an output directory or a Hub repo pushed by ``dsbuild push``.

Used by the fine-tuning notebooks: ``load_output("data/acme")`` or ``load_output("acme/chats")``
give the same ``DatasetDict`` (train, and test when it is not empty) and manifest. A Hub repo is
downloaded with ``snapshot_download`` (only ``data/``, the manifest and the card) into
``cache_dir``; the token comes from ``HF_TOKEN`` or the saved login, as for any Hub download.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from dsbuild.report.rows import find_split
from dsbuild.sinks.layout import MANIFEST, SPLITS


def _local_dir(source: str | Path, cache_dir: str | None) -> Path:
    path = Path(source)
    if path.is_dir():
        return path
    from huggingface_hub import snapshot_download

    return Path(snapshot_download(str(source), repo_type="dataset", cache_dir=cache_dir,
                                  allow_patterns=["data/*", MANIFEST, "README.md"]))


def load_output(source: str | Path, cache_dir: str | None = None) -> tuple[Any, dict[str, Any]]:
    """(DatasetDict, manifest) of an output directory or a Hub dataset repo id."""
    import datasets

    out = _local_dir(source, cache_dir)
    manifest = orjson.loads((out / MANIFEST).read_bytes()) if (out / MANIFEST).exists() else {}
    splits = {}
    for split in SPLITS:
        found = find_split(out, split)
        if found is None:
            continue
        fmt, path = found
        if fmt == "hf":
            splits[split] = datasets.load_from_disk(str(path))
        elif path.stat().st_size > 0:
            builder = "json" if fmt == "jsonl" else "parquet"
            splits[split] = datasets.load_dataset(builder, data_files=str(path), split="train",
                                                  cache_dir=cache_dir)
    if not splits:
        raise FileNotFoundError(f"{source}: no train/test split files found")
    return datasets.DatasetDict(splits), manifest
