"""Builds of one unseen generated export per target, shared by the target tests.

PII scrubbing and the card's charts are off in these builds: what the target tests check (row
shapes, formats, loaders, validation) does not depend on them, and they cost most of a build.
The PII stage, the charts and PII-on builds in every format have their own tests
(tests/stages, tests/test_card.py, tests/test_report_plots.py, tests/test_golden.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from dsbuild.samples.generate import dump_export, generate_export
from tests.conftest import run_dsbuild

# A seed no other test builds from: the targets must hold on data they were not tuned on.
EXPORT_SEED = 23
BUILD_CONFIG: dict = {"pii": {"enabled": False}, "card": {"plots": False}}


@pytest.fixture(scope="session")
def unseen_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.json"
    dump_export(generate_export(160, EXPORT_SEED), path)
    return path


@pytest.fixture(scope="session")
def small_unseen_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """For what does not depend on the size of the data (PII on: every stage runs)."""
    path = tmp_path_factory.mktemp("export") / "small.json"
    dump_export(generate_export(40, EXPORT_SEED), path)
    return path


def write_build_config(path: Path) -> Path:
    """``--config`` for a build with the settings of :func:`build`."""
    path.write_text(yaml.safe_dump(BUILD_CONFIG))
    return path


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory, unseen_export: Path) -> Callable[..., Path]:
    """``build("--target", "kto")`` → the output directory of a successful ``dsbuild make``
    (a ``--config FILE`` among the flags is applied over :data:`BUILD_CONFIG`)."""
    cache: dict[tuple[str, ...], Path] = {}

    def _build(*flags: str) -> Path:
        if flags not in cache:
            base = tmp_path_factory.mktemp("out")
            out, config = base / "ds", base / "config.yaml"
            args = list(flags)
            doc = {k: dict(v) for k, v in BUILD_CONFIG.items()}
            if "--config" in args:
                i = args.index("--config")
                for section, values in yaml.safe_load(Path(args.pop(i + 1)).read_text()).items():
                    doc.setdefault(section, {}).update(values)
                args.pop(i)
            config.write_text(yaml.safe_dump(doc))
            r = run_dsbuild("make", "--agent", "acme", "--input", str(unseen_export),
                            "--out", str(out), "--quiet", "--config", str(config), *args)
            assert r.returncode == 0, r.stderr
            cache[flags] = out
        return cache[flags]

    return _build


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
