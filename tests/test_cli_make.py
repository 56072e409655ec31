"""End to end through the installed console script."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_dsbuild


def test_make_builds_train_and_test_from_sample(tmp_path: Path, sample_export: Path) -> None:
    out = tmp_path / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(sample_export), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == str(out)
    assert "conversations read" in r.stdout
    train = (out / "train.jsonl").read_text().splitlines()
    test = (out / "test.jsonl").read_text().splitlines()
    assert train and test
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["records"] == {"train": len(train), "test": len(test)}
