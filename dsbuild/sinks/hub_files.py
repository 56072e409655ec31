"""The split files as the Hub gets them: parquet, whatever format the output directory holds.

Parquet is what the Hub's viewer and ``load_dataset`` read fastest, so every split is uploaded as
``data/<split>.parquet``. A JSONL or ``save_to_disk`` output is converted in a private temporary
directory; the ``datasets`` cache used for that lives inside it too (``datasets`` otherwise copies
its inputs under ``~/.cache/huggingface``), and both go when the context closes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dsbuild.errors import UsageError
from dsbuild.report.rows import find_split
from dsbuild.sinks.layout import MANIFEST, SPLITS, hub_split_file


@dataclass(frozen=True)
class SplitUpload:
    split: str
    local: Path  # a parquet file
    path_in_repo: str
    rows: int


def check_output_dir(out: Path) -> None:
    if not out.is_dir():
        raise UsageError(f"{out}: not a directory; pass the output directory of `dsbuild make`")
    if not (out / MANIFEST).exists() or not any(find_split(out, s) for s in SPLITS):
        raise UsageError(f"{out}: not a dsbuild output (no {MANIFEST} or split files);"
                         " run `dsbuild make` first")


@contextmanager
def parquet_splits(out: Path) -> Iterator[list[SplitUpload]]:
    """Yield the non-empty splits of ``out`` as parquet files (converted if needed)."""
    check_output_dir(out)
    tmp = Path(tempfile.mkdtemp(prefix="dsbuild-push-"))  # mode 0700
    try:
        uploads = []
        for split in SPLITS:
            found = find_split(out, split)
            if found is None:
                continue
            fmt, path = found
            if fmt != "parquet" and path.is_file() and path.stat().st_size == 0:
                continue  # an empty split is left out, not uploaded as a schema-less file
            local, rows = _as_parquet(fmt, path, tmp / f"{split}.parquet", tmp / "cache")
            if rows:
                uploads.append(SplitUpload(split, local, hub_split_file(split), rows))
        if not uploads:
            raise UsageError(f"{out}: the build has no rows in any split; nothing to push")
        yield uploads
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _as_parquet(fmt: str, path: Path, dest: Path, cache: Path) -> tuple[Path, int]:
    import datasets
    import pyarrow.parquet as pq

    if fmt == "parquet":
        return path, pq.ParquetFile(path).metadata.num_rows
    datasets.disable_progress_bars()
    if fmt == "jsonl":
        # Arrow goes to the private cache dir on disk, not memory: builds can be large.
        ds = datasets.Dataset.from_json(str(path), cache_dir=str(cache))
    else:
        ds = datasets.load_from_disk(str(path))
    ds.to_parquet(str(dest))
    return dest, ds.num_rows
