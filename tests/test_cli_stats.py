"""``dsbuild stats`` through the installed console script."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from dsbuild.report.plots import CHARTS
from tests.conftest import run_dsbuild
from tests.report_fixtures import write_small_dataset


def test_table_shows_the_numbers(tmp_path: Path) -> None:
    out = write_small_dataset(tmp_path / "out")
    r = run_dsbuild("stats", str(out))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "records: train 3, test 2  (total 5)"
    row = next(line.split() for line in lines if line.strip().startswith("messages / record"))
    assert row[3:] == ["train", "2", "2", "5", "5", "3"]  # min median p90 max mean
    assert "labels train: positive 2 (67%), unset 1 (33%)" in lines
    assert "PII entities: PERSON 5, EMAIL_ADDRESS 2  (by source: known 3, ner 2, pattern 2)" in lines
    assert "dropped: feedback_negative 4, duplicate 2, over_max_tokens 1" in lines
    assert not (out / "plots").exists()  # read-only unless --plots


def test_json_parses_and_matches_the_files(tmp_path: Path, make_export) -> None:
    out = tmp_path / "out"
    assert run_dsbuild("make", "--agent", "a", "--input", str(make_export(n=50)), "--out", str(out),
                       "-q").returncode == 0
    r = run_dsbuild("stats", str(out), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    manifest = json.loads((out / "manifest.json").read_text())
    for split in ("train", "test"):
        rows = [json.loads(line) for line in (out / f"{split}.jsonl").read_text().splitlines()]
        s = doc["splits"][split]
        assert s["records"] == len(rows) == manifest["counts"]["records"][split]
        assert s["messages"]["max"] == max(len(r["messages"]) for r in rows)
        assert s["assistant_chars"]["max"] == max(
            sum(len(m["content"]) for m in r["messages"] if m["role"] == "assistant") for r in rows)
        labels: dict[str, int] = {}
        for row in rows:
            labels[row["feedback"]] = labels.get(row["feedback"], 0) + 1
        assert s["labels"] == labels
    dropped = sum(manifest["counts"]["dropped"].values()) + manifest["counts"]["duplicates"]
    assert sum(doc["drops"].values()) == dropped > 0
    assert doc["warnings"] == []


def test_plots_default_inside_out_or_given_dir(tmp_path: Path) -> None:
    out = write_small_dataset(tmp_path / "out")
    r = run_dsbuild("stats", str(out), "--plots")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (out / "plots").iterdir()) == sorted(f"{k}.png" for k in CHARTS)
    r = run_dsbuild("stats", str(out), "--plots", str(tmp_path / "charts"), "--json")
    assert r.returncode == 0, r.stderr
    plots = json.loads(r.stdout)["plots"]
    assert set(plots) == set(CHARTS)
    with Image.open(plots["label_balance"]) as img:
        assert img.text["Title"] == "Label balance per split"


def test_not_a_dataset_is_one_line_and_exit_3(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    r = run_dsbuild("stats", str(tmp_path / "empty"))
    assert r.returncode == 3
    assert r.stderr.strip().count("\n") == 0 and "no train/test files" in r.stderr
    assert "Traceback" not in r.stderr
