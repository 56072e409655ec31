"""Builds of one unseen generated export per target, shared by the target tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dsbuild.samples.generate import dump_export, generate_export
from tests.conftest import run_dsbuild

# A seed no other test builds from: the targets must hold on data they were not tuned on.
EXPORT_SEED = 23


@pytest.fixture(scope="session")
def unseen_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.json"
    dump_export(generate_export(160, EXPORT_SEED), path)
    return path


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory, unseen_export: Path) -> Callable[..., Path]:
    """``build("--target", "kto")`` → the output directory of a successful ``dsbuild make``."""
    cache: dict[tuple[str, ...], Path] = {}

    def _build(*flags: str) -> Path:
        if flags not in cache:
            out = tmp_path_factory.mktemp("out") / "ds"
            r = run_dsbuild("make", "--agent", "acme", "--input", str(unseen_export),
                            "--out", str(out), "--quiet", *flags)
            assert r.returncode == 0, r.stderr
            cache[flags] = out
        return cache[flags]

    return _build


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
