"""``make`` validates what it wrote: an invalid build fails and leaves no output directory."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dsbuild.config import load_config
from dsbuild.pipeline import build
from dsbuild.samples.generate import dump_export, generate_export
from dsbuild.targets import TARGETS
from dsbuild.targets.check_output import InvalidOutput
from tests.conftest import run_dsbuild


def test_openai_below_minimum_examples_fails_cleanly(tmp_path: Path) -> None:
    export = tmp_path / "small.json"
    dump_export(generate_export(8, 3), export)
    out = tmp_path / "sub" / "out"
    r = run_dsbuild("make", "--agent", "a", "--input", str(export), "--out", str(out),
                    "--target", "openai", "--format", "parquet")
    assert r.returncode == 3
    assert "needs at least 10" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not out.exists() and not (tmp_path / "sub").exists()


def test_a_renderer_writing_invalid_rows_fails_the_build(tmp_path: Path, monkeypatch) -> None:
    """A deliberately broken renderer (the only way our own code writes an invalid row)."""
    export = tmp_path / "e.json"
    dump_export(generate_export(30, 4), export)
    good = TARGETS["sharegpt"]

    def broken(record, opts):
        rows = good.render(record, opts)
        rows[0]["conversations"].append({"from": "human", "value": "dangling"})
        return rows

    monkeypatch.setitem(TARGETS, "sharegpt", dataclasses.replace(good, render=broken))
    out = tmp_path / "out"
    cfg = load_config(overrides={"agent": "a", "input": str(export), "out": str(out),
                                 "output.target": "sharegpt", "pii.enabled": False,
                                 "card.plots": False}, env={})
    with pytest.raises(InvalidOutput, match=r"not_ending_on_gpt x\d+ \(line 1\)"):
        build(cfg)
    assert not out.exists() and list(tmp_path.iterdir()) == [export]


def test_kto_implies_keep_and_any_unless_set(tmp_path: Path) -> None:
    cfg = load_config(overrides={"output.target": "kto"}, env={})
    assert cfg.select.negative_turns == "keep"
    assert cfg.select.feedback == ["positive", "negative", "unset"]
    conf = tmp_path / "c.yaml"
    conf.write_text("select:\n  negative_turns: drop\n")
    cfg = load_config(conf, overrides={"output.target": "kto", "select.feedback": ["positive"]},
                      env={})
    assert cfg.select.negative_turns == "drop" and cfg.select.feedback == ["positive"]
    cfg = load_config(overrides={"output.target": "messages"}, env={})
    assert cfg.select.negative_turns == "truncate"


def test_manifest_records_the_resolved_options(build) -> None:
    manifest = json.loads((build("--target", "openai") / "manifest.json").read_text())
    assert manifest["config"]["select"]["negative_turns"] == "keep"
    assert manifest["config"]["output"] == {"format": "jsonl", "target": "openai", "turns": "all"}


def test_turns_last_only_where_it_means_something(tmp_path: Path, sample_export: Path) -> None:
    r = run_dsbuild("make", "--agent", "a", "--input", str(sample_export),
                    "--out", str(tmp_path / "o"), "--target", "kto", "--turns", "last")
    assert r.returncode == 2 and "not available for target kto" in r.stderr
