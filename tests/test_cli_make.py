"""``dsbuild make`` end to end through the installed console script."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from dsbuild import __version__
from tests.conftest import SampleBuild, run_dsbuild, run_dsbuild_process


def make(tmp_path: Path, src: Path, out: Path, *extra: str):
    return run_dsbuild("make", "--agent", "a", "--input", str(src), "--out", str(out), *extra, cwd=tmp_path)


def test_make_builds_train_and_test_from_sample(sample_build: SampleBuild) -> None:
    out, r = sample_build.out, sample_build.result
    assert r.stdout.strip().splitlines()[-1] == str(out)
    for line in ("conversations read", "dropped: feedback_negative", "duplicates removed", "train records"):
        assert line in r.stdout
    train = (out / "train.jsonl").read_text().splitlines()
    test = (out / "test.jsonl").read_text().splitlines()
    assert train and test
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["records"] == {"train": len(train), "test": len(test)}
    assert manifest["counts"]["conversations_read"] == 412
    assert manifest["input"]["sha256"] and manifest["versions"]["dsbuild"] == __version__
    read = manifest["counts"]["conversations_read"]
    accounted = sum(manifest["counts"]["dropped"].values()) + manifest["counts"]["duplicates"] + len(train) + len(test)
    assert accounted == read  # nothing silently lost
    # every step, in run order, with its own counters and wall time
    steps = manifest["steps"]
    assert list(steps) == ["parse", "select", "convert", "pii", "engine", "quarantine", "review",
                           "length", "dedup", "render", "split", "write", "validate",
                           "convert_format", "manifest", "card", "private_files"]
    assert all(isinstance(s["seconds"], float) and s["seconds"] >= 0 for s in steps.values())
    # measured after the manifest was first written too: the manifest, the card and its charts
    assert steps["manifest"]["seconds"] > 0 and steps["card"]["seconds"] > 0
    assert steps["dedup"]["counts"] == {"conversations": {"duplicate": manifest["counts"]["duplicates"]}}
    assert steps["engine"]["counts"]["conversations"]["read"] == read
    assert steps["pii"]["counts"]["pii"] == manifest["stats"]["pii"]
    assert "seconds per step: parse " in r.stdout


def test_output_loads_with_datasets_and_is_trl_conversational(tmp_path: Path, make_export,
                                                              no_pii_config: Path) -> None:
    from datasets import load_dataset

    out = tmp_path / "out"
    r = make(tmp_path, make_export(150, seed=21), out, "--feedback", "any", "--config", str(no_pii_config))
    assert r.returncode == 0
    ds = load_dataset("json", data_files={s: str(out / f"{s}.jsonl") for s in ("train", "test")},
                      cache_dir=str(tmp_path / "hf-cache"))
    assert set(ds) == {"train", "test"} and ds["train"].num_rows > 0
    for split in ds.values():
        assert not {"prompt", "completion", "chosen", "rejected", "label"} & set(split.column_names)
        for row in split:
            msgs = row["messages"]
            assert msgs and isinstance(msgs[0], dict) and "role" in msgs[0]  # TRL is_conversational
            assert msgs[-1]["role"] == "assistant"
            assert all(m["role"] in ("system", "user", "assistant") and m["content"] for m in msgs)


def test_two_runs_give_byte_identical_files(tmp_path: Path, make_export, no_charts_config: Path) -> None:
    src = make_export(50, seed=22)  # PII on: its pseudonyms must be deterministic too
    for name in ("one", "two"):
        assert make(tmp_path, src, tmp_path / name, "--config", str(no_charts_config)).returncode == 0
    for f in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes()


@pytest.mark.parametrize("content, needle", [
    (b"this is not json", "not JSON"),
    (b'{"success": true, "data": [{"metadata": {"convo": {"id": "x"}}, "turns": [', "not valid JSON"),
    (b'{"success": false, "message": "Workspace quota exceeded", "code": "FORBIDDEN"}', "error response"),
    (b'{"success": true, "message": "ok", "data": "id,transcript\\n1,hi"}', "CSV"),
])
def test_bad_input_file_one_line_exit_3_nothing_written(tmp_path: Path, content: bytes, needle: str) -> None:
    src = tmp_path / "export.json"
    src.write_bytes(content)
    out = tmp_path / "nested" / "out"
    r = make(tmp_path, src, out)
    assert r.returncode == 3
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "nested").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    src = tmp_path / "export.json"
    src.write_text("nope")
    r = make(tmp_path, src, tmp_path / "out", "--debug")
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_missing_input_file_and_bad_flag_values(tmp_path: Path) -> None:
    r = make(tmp_path, tmp_path / "missing.json", tmp_path / "out")
    assert r.returncode == 3 and "no such file" in r.stderr
    r = make(tmp_path, tmp_path / "missing.json", tmp_path / "out", "--feedback", "great")
    assert r.returncode == 2 and "great" in r.stderr


def test_existing_output_needs_overwrite(tmp_path: Path, make_export, no_pii_config: Path) -> None:
    src, out = make_export(40, seed=23), tmp_path / "out"
    cfg = ("--config", str(no_pii_config))
    assert make(tmp_path, src, out, *cfg).returncode == 0
    first = (out / "manifest.json").read_text()
    r = make(tmp_path, src, out, *cfg, "--seed", "7")
    assert r.returncode == 2 and "--overwrite" in r.stderr
    assert (out / "manifest.json").read_text() == first  # untouched
    r = make(tmp_path, src, out, *cfg, "--seed", "7", "--overwrite")  # dsbuild's own output
    assert r.returncode == 0 and (out / "train.jsonl").exists()
    assert json.loads((out / "manifest.json").read_text())["seed"] == 7
    # a file dsbuild did not write: --overwrite refuses rather than delete it (issue 12)
    (out / "keep.txt").write_text("mine")
    r = make(tmp_path, src, out, *cfg, "--overwrite")
    assert r.returncode == 2 and (out / "keep.txt").read_text() == "mine"
    assert json.loads((out / "manifest.json").read_text())["seed"] == 7


def test_malformed_conversations_are_skipped_counted_and_quarantined(sample_build: SampleBuild) -> None:
    q = sample_build.quarantine
    rows = [json.loads(line) for line in q.read_text().splitlines()]
    reasons = {row["reason"] for row in rows}
    assert {"malformed:not_an_object", "malformed:missing_turns", "malformed:bad_turns"} <= reasons
    assert stat.S_IMODE(q.stat().st_mode) == 0o600
    dropped = json.loads((sample_build.out / "manifest.json").read_text())["counts"]["dropped"]
    assert sum(dropped.values()) == len(rows)


def test_feedback_filter(tmp_path: Path, sample_export: Path, sample_build: SampleBuild,
                         no_pii_config: Path) -> None:
    def kept(*flags: str) -> int:
        out = tmp_path / "o".join(flags).replace(",", "_")
        assert make(tmp_path, sample_export, out, *flags, "--config", str(no_pii_config)).returncode == 0
        return json.loads((out / "manifest.json").read_text())["counts"]["kept"]

    default = json.loads((sample_build.out / "manifest.json").read_text())["counts"]["kept"]
    every, negative_only = kept("--feedback", "any"), kept("--feedback", "negative")
    assert every > default > 0 and negative_only > 0
    # Negative conversations are truncated before their bad reply, so some survive the converter.
    assert every >= default + negative_only - 5


def test_help_lists_every_option_with_its_default_and_version() -> None:
    r = run_dsbuild("make", "--help")
    assert r.returncode == 0
    text_ = " ".join(r.stdout.split())
    for text in ("--feedback", "default: positive,unset", "--negative-turns", "default: truncate",
                 "--eval-ratio", "default: 0.1", "--seed", "--group-by", "--quarantine", "--overwrite",
                 "--quiet", "--debug", "--config", "default: data/<agent>"):
        assert text in text_, text
    # the installed console script, in its own process: the entry point itself works
    assert run_dsbuild_process("--version").stdout.strip().endswith(__version__)
