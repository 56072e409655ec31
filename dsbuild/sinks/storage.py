"""``--format hf|parquet``: the validated JSONL splits → typed Arrow (``save_to_disk``) or Parquet.

The pipeline always streams JSONL first; this converts it inside the same atomic temporary
output directory, then removes the JSONL. The ``datasets`` library caches what it reads
(under ``~/.cache/huggingface`` unless told otherwise, even with caching "off"), so it only
ever sees the final rows, through a private cache directory inside the temporary output that
is deleted before the output is renamed into place.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from dsbuild.hashing import file_sha256
from dsbuild.sinks.layout import SPLITS, split_file
from dsbuild.targets.base import RenderOptions, Target

if TYPE_CHECKING:
    from datasets import Dataset, Features


@contextlib.contextmanager
def private_cache(parent: Path) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=".hf-cache-", dir=parent))  # mode 0700
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _quiet_datasets() -> Iterator[None]:
    import datasets
    from datasets.utils import logging as ds_logging

    was_disabled = datasets.are_progress_bars_disabled()
    level = ds_logging.get_verbosity()
    datasets.disable_progress_bars()
    ds_logging.set_verbosity_error()
    try:
        yield
    finally:
        ds_logging.set_verbosity(level)
        if not was_disabled:
            datasets.enable_progress_bars()


def _load_jsonl(path: Path, features: Features, cache: Path) -> Dataset:
    from datasets import Dataset

    if path.stat().st_size == 0:  # an empty split still carries the schema
        return Dataset.from_dict({name: [] for name in features}, features=features)
    return Dataset.from_json(str(path), features=features, cache_dir=str(cache))


def _columns_present(paths: list[Path]) -> set[str] | None:
    """Every column some row has (None when there is no row at all)."""
    seen: set[str] = set()
    rows = 0
    for path in paths:
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    rows += 1
                    seen.update(orjson.loads(line))
    return seen if rows else None


def convert_splits(tmp: Path, fmt: str, target: Target, opts: RenderOptions) -> None:
    """Turn ``tmp/{split}.jsonl`` into ``fmt`` (``hf`` or ``parquet``) and remove the JSONL.

    A split with no rows has no file (``--eval-ratio 0``: no test split). A column no row has
    (ShareGPT's ``system`` without a system prompt) is not stored: Arrow would give every row
    a null there."""
    if fmt == "jsonl":
        return  # and datasets (slow to import) is never loaded
    from datasets import DatasetDict, Features

    jsonl = {s: p for s in SPLITS if (p := tmp / split_file(s, "jsonl")).is_file()}
    features = target.features(opts)
    present = _columns_present(list(jsonl.values()))
    if present is not None:
        features = Features({k: v for k, v in features.items() if k in present})
    with _quiet_datasets(), private_cache(tmp) as cache:
        splits = DatasetDict({s: _load_jsonl(p, features, cache) for s, p in jsonl.items()})
        if fmt == "parquet":
            for s, ds in splits.items():
                ds.to_parquet(str(tmp / split_file(s, "parquet")))
        elif fmt == "hf":
            # datasets writes an empty split as zero shards, which load_from_disk then cannot
            # read (IndexError in concat_tables); one empty shard keeps it loadable.
            splits.save_to_disk(str(tmp), num_shards={s: 1 if ds.num_rows == 0 else None
                                                      for s, ds in splits.items()})
        else:
            raise ValueError(f"unknown format {fmt!r}")
        del splits  # release the memory maps before the cache goes
    for p in jsonl.values():
        p.unlink()


def describe_files(tmp: Path, fmt: str, rows: dict[str, int]) -> dict[str, Any]:
    """The manifest's ``files`` entry: rows per split file and, for single files, a digest."""
    out: dict[str, Any] = {}
    for s in SPLITS:
        name = split_file(s, fmt)
        if not (tmp / name).exists():
            continue  # an empty split is not written
        entry: dict[str, Any] = {"rows": rows[s]}
        if (tmp / name).is_file():
            entry["sha256"] = file_sha256(tmp / name)
        out[name] = entry
    return out
