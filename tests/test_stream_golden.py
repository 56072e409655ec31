"""The streaming sources and side files write exactly what the buffered code wrote (issue 13).

``tests/data/stream_golden.json`` holds the digests of outputs made by main at c5bfe16, before
the rewrite, with ``tests/golden_outputs.py``; these tests rebuild the same cases now.

A change that alters the output ON PURPOSE (a new PII rule, a new drop reason) re-makes it:
``PYTHONPATH=$PWD python tests/golden_outputs.py tests/data/stream_golden.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.golden_outputs import (
    digest,
    incremental_cache,
    run_case,
    side_files,
    write_inputs,
)

GOLDEN: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "stream_golden.json").read_text())
# The data parts of the manifest; its config section belongs to the config schema, not to streaming.
MANIFEST_KEYS = ("input", "counts", "stats", "files", "conversation_window", "pii", "agent", "seed")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    root = tmp_path_factory.mktemp("golden-in")
    return root, write_inputs(root)


@pytest.mark.parametrize("case", ["envelope", "jsonl", "shards", "parquet"])
def test_output_is_byte_identical_to_the_buffered_build(case: str, inputs: tuple[Path, dict[str, list[str]]],
                                                        tmp_path: Path) -> None:
    root, cases = inputs
    for p in side_files(case, root):
        p.unlink(missing_ok=True)
    run_case(cases[case], tmp_path / "out")
    got, want = digest(tmp_path / "out", side_files(case, root)), GOLDEN[case]
    assert got["files"] == want["files"]
    for key in MANIFEST_KEYS:
        assert got["manifest"].get(key) == want["manifest"].get(key), key


def test_incremental_merge_writes_the_same_cached_export(tmp_path: Path) -> None:
    assert incremental_cache(tmp_path) == GOLDEN["incremental"]
