"""Issue 12 §1: dsbuild writes and replaces only what it owns (through the CLI, in process)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dsbuild.errors import UsageError
from dsbuild.fs import remove_stale_temps
from dsbuild.safepaths import check_agent_id, check_out_dir
from tests.safety_helpers import dsbuild, fast_config, small_export, tree, write_json


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory with an export in it, as the current directory."""
    proj = tmp_path / "proj"
    write_json(proj / "export.json", small_export())
    monkeypatch.chdir(proj)
    return proj


@pytest.mark.parametrize("agent", ["../sibling", "/abs/path", "a/b", ".hidden", "..", "", "a b",
                                   "x" * 129])
def test_agent_must_be_an_id_not_a_path(work: Path, agent: str) -> None:
    sibling = work.parent / "sibling"
    sibling.mkdir(exist_ok=True)
    (sibling / "keep.txt").write_text("mine")
    before = tree(work.parent)
    r = dsbuild("make", "--agent", agent, "--input", "export.json", "--overwrite")
    assert r.exit_code == 2
    assert "agent id" in r.output and "Traceback" not in r.output
    assert tree(work.parent) == before and not Path("/abs/path").exists()


@pytest.mark.parametrize("command", [
    ["fetch"], ["fetch", "--incremental"], ["make"], ["make", "--from-cache"],
    ["make", "--engine", "ray"], ["make", "--input", "export.json", "--engine", "ray", "--workers", "2"],
], ids=["fetch", "fetch-incremental", "make-api", "make-from-cache", "make-api-ray", "make-input-ray"])
@pytest.mark.parametrize("agent", ["../sibling", "/abs/path", ""])
def test_a_path_as_agent_is_one_line_exit_2_on_every_path(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                          command: list[str], agent: str) -> None:
    # A server that would answer, were it asked: the refusal comes before any request or engine.
    monkeypatch.setenv("CONVOCORE_API_KEY", "k")
    monkeypatch.setenv("CONVOCORE_API_BASE", "http://127.0.0.1:9/v3")
    before = tree(work.parent)
    r = dsbuild(command[0], "--agent", agent, *command[1:])
    assert r.exit_code == 2, r.output
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "agent id" in r.stderr and "Traceback" not in r.stderr
    assert tree(work.parent) == before and not (work / "data").exists()


def test_a_valid_agent_writes_under_data(work: Path, tmp_path: Path) -> None:
    r = dsbuild("make", "--agent", "shop-bot_2.eu", "--input", "export.json",
                config=fast_config(tmp_path))
    assert r.exit_code == 0, r.output
    assert (work / "data" / "shop-bot_2.eu" / "manifest.json").is_file()


def test_overwrite_refuses_a_directory_holding_the_input_and_notes(work: Path, tmp_path: Path) -> None:
    (work / "notes.txt").write_text("my notes")
    os.chdir(tmp_path)
    before = tree(work)
    r = dsbuild("make", "--agent", "a", "--input", "proj/export.json", "--out", "proj",
                "--overwrite", config=fast_config(tmp_path))
    assert r.exit_code == 2 and "holds the input" in r.stderr
    assert tree(work) == before


def test_overwrite_refuses_a_directory_dsbuild_did_not_write(work: Path, tmp_path: Path) -> None:
    theirs = work / "work"
    theirs.mkdir()
    (theirs / "draft.md").write_text("keep me")
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "work", "--overwrite",
                config=fast_config(tmp_path))
    assert r.exit_code == 2 and "only replaces an empty directory or one dsbuild wrote" in r.stderr
    assert (theirs / "draft.md").read_text() == "keep me"


def test_overwrite_replaces_dsbuild_output_but_not_files_added_to_it(work: Path, tmp_path: Path) -> None:
    cfg = fast_config(tmp_path)
    assert dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "o",
                   config=cfg).exit_code == 0
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "o", "--overwrite", config=cfg)
    assert r.exit_code == 0, r.output  # dsbuild's own output: replaced
    (work / "o" / "notes.txt").write_text("added by hand")
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "o", "--overwrite", config=cfg)
    assert r.exit_code == 2 and "did not write" in r.stderr
    assert (work / "o" / "notes.txt").read_text() == "added by hand"
    assert json.loads((work / "o" / "manifest.json").read_text())["agent"] == "a"


def test_overwrite_of_an_empty_directory_is_fine(work: Path, tmp_path: Path) -> None:
    (work / "empty").mkdir()
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "empty", "--overwrite",
                config=fast_config(tmp_path))
    assert r.exit_code == 0, r.output


def test_current_directory_is_refused_and_nothing_is_left(work: Path, tmp_path: Path) -> None:
    before = tree(work.parent)
    for out in (".", str(work), ".."):
        r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", out, "--overwrite",
                    config=fast_config(tmp_path))
        assert r.exit_code == 2 and "current directory" in r.stderr, r.output
    after = tree(work.parent)
    after.pop("fast.yaml")
    assert after == {k: v for k, v in before.items() if k != "fast.yaml"}
    assert not [p for p in work.parent.rglob("*tmp-*")]


@pytest.mark.parametrize("out", ["data/raw", "data/raw/a", "data"])
def test_the_raw_cache_is_refused(work: Path, tmp_path: Path, out: str) -> None:
    (work / "data" / "raw" / "a").mkdir(parents=True)
    (work / "data" / "raw" / "a" / "export.json").write_text("[]")
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", out, "--overwrite",
                config=fast_config(tmp_path))
    assert r.exit_code == 2 and "raw export cache" in r.stderr
    assert (work / "data" / "raw" / "a" / "export.json").read_text() == "[]"


def test_a_symlink_into_a_protected_directory_is_refused(work: Path, tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(work)
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", str(tmp_path / "link"),
                "--overwrite", config=fast_config(tmp_path))
    assert r.exit_code == 2 and ("holds the input" in r.stderr or "current directory" in r.stderr)
    assert (work / "export.json").is_file()


@pytest.mark.parametrize("option", ["--quarantine", "--pii-review"])
def test_private_files_never_replace_the_input(work: Path, tmp_path: Path, option: str) -> None:
    raw = (work / "export.json").read_bytes()
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "o", option,
                "export.json", config=fast_config(tmp_path))
    assert r.exit_code == 2 and "is the input" in r.stderr
    assert (work / "export.json").read_bytes() == raw and not (work / "o").exists()


@pytest.mark.parametrize("option", ["--quarantine", "--pii-review"])
def test_private_files_refuse_inside_out_the_cache_and_foreign_files(work: Path, tmp_path: Path,
                                                                     option: str) -> None:
    cfg = fast_config(tmp_path)
    base = ["make", "--agent", "a", "--input", "export.json", "--out", "o", option]
    r = dsbuild(*base, "o/q.jsonl", config=cfg)
    assert r.exit_code == 2 and "outside the output directory" in r.stderr
    (work / "data" / "raw" / "a").mkdir(parents=True)
    r = dsbuild(*base, "data/raw/a/q.jsonl", config=cfg)
    assert r.exit_code == 2 and "raw export cache" in r.stderr
    (work / "report.txt").write_text("quarterly numbers")
    r = dsbuild(*base, "report.txt", config=cfg)
    assert r.exit_code == 2 and "not written by dsbuild" in r.stderr
    assert (work / "report.txt").read_text() == "quarterly numbers"


def test_a_quarantine_file_dsbuild_wrote_is_replaced_on_rerun(work: Path, tmp_path: Path) -> None:
    doc = small_export()
    doc["data"].append({"metadata": {"convo": {"id": "bad"}}, "turns": "not a list"})
    write_json(work / "export.json", doc)
    cfg = fast_config(tmp_path)
    for out in ("o1", "o2"):
        r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", out,
                    "--quarantine", "q.jsonl", config=cfg)
        assert r.exit_code == 0, r.output
    lines = (work / "q.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["reason"] == "malformed:bad_turns"
    assert (work / "q.jsonl").stat().st_mode & 0o777 == 0o600


def test_quarantine_and_review_cannot_be_the_same_file(work: Path, tmp_path: Path) -> None:
    r = dsbuild("make", "--agent", "a", "--input", "export.json", "--out", "o", "--quarantine",
                "p.jsonl", "--pii-review", "p.jsonl", config=fast_config(tmp_path))
    assert r.exit_code == 2 and "same file" in r.stderr


# --- the pure rules ------------------------------------------------------------------------------

def test_agent_id_rule() -> None:
    for ok in ("a", "A-1", "shop_bot.v2", "0"):
        assert check_agent_id(ok) == ok
    for bad in (".a", "a/b", "a\\b", "a\x00", "ä", "a:b", "a\n"):
        with pytest.raises(UsageError):
            check_agent_id(bad)


def test_out_dir_rules_without_the_cli(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    inp = tmp_path / "in" / "x.json"
    inp.write_text("[]")
    for out in (tmp_path / "in", tmp_path):
        with pytest.raises(UsageError, match="holds the input"):
            check_out_dir(out, overwrite=True, input_path=inp, cwd=Path("/"))
    check_out_dir(tmp_path / "new", overwrite=False, input_path=inp, cwd=Path("/"))


def test_stale_temporaries_of_dead_runs_are_removed_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    dead = tmp_path / ".out.tmp-999999999-abc"  # no such pid
    live = tmp_path / f".out.tmp-{os.getppid()}-abc"
    other = tmp_path / ".other.tmp-999999999-abc"
    for d in (dead, live, other):
        d.mkdir()
        (d / "train.jsonl").write_text("partial")
    assert remove_stale_temps(target) == [dead]
    assert not dead.exists() and live.exists() and other.exists()
