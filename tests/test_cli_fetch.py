"""``dsbuild fetch`` and ``dsbuild make`` without ``--input``, through the installed console
script, against the fake Convocore API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pty
import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dsbuild.samples.generate import dump_export, generate_export
from tests.conftest import DSBUILD, run_dsbuild
from tests.fake_convocore import FakeConvocore, load_items

KEY = "ck-live-93be0c5d1a7f"
AGENT = "agent7"
FAST = """\
source:
  page_limit: 25
  backoff_base: 0.001
  backoff_max: 0.01
  read_timeout: 5
card:
  plots: false
"""
# For the tests that build a dataset: they are about fetching and caching, and the PII stage
# (most of a build's time) has its own tests.
FAST_NO_PII = FAST + "pii:\n  enabled: false\n"


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    dump_export(generate_export(110, seed=5), path)
    return path


@pytest.fixture
def fake(export_file: Path) -> Iterator[FakeConvocore]:
    with FakeConvocore(load_items(export_file), agents=(AGENT,), api_key=KEY) as server:
        yield server


@pytest.fixture
def work(tmp_path: Path) -> Path:
    d = tmp_path / "work"
    d.mkdir()
    (d / "fast.yaml").write_text(FAST)
    (d / "fast-no-pii.yaml").write_text(FAST_NO_PII)
    return d


def dsbuild(work: Path, *args: str, key: str | None = KEY, pii: bool = True, **env: str):
    full_env = {"CONVOCORE_API_BASE": "", "CONVOCORE_API_KEY": key or "", **env}
    config = "fast.yaml" if pii else "fast-no-pii.yaml"
    return run_dsbuild(*args, "--config", config, cwd=work, env=full_env)


def all_bytes_under(path: Path) -> Iterator[tuple[Path, bytes]]:
    for p in path.rglob("*"):
        if p.is_file():
            yield p, p.read_bytes()


def splits(out: Path) -> dict[str, str]:
    found = {}
    for split in ("train", "test"):
        for line in (out / f"{split}.jsonl").read_text().splitlines():
            found[json.loads(line)["conversation_id"]] = split
    return found


def test_make_from_the_api_equals_make_from_the_file(work: Path, fake: FakeConvocore,
                                                     export_file: Path) -> None:
    fake.page_faults = {2: ["429"], 3: ["502", "500"], 4: ["cutoff"]}
    api = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, "--out", "api", pii=False)
    assert api.returncode == 0, api.stderr
    assert f"fetched {len(fake.conversations)} conversations in 5 pages" in api.stderr
    assert "downloading" not in api.stderr  # no progress bar off a terminal
    local = dsbuild(work, "make", "--agent", AGENT, "--input", str(export_file), "--out", "file", pii=False)
    assert local.returncode == 0, local.stderr
    for name in ("train.jsonl", "test.jsonl"):
        assert (work / "api" / name).read_bytes() == (work / "file" / name).read_bytes()
    assert (work / "api" / "train.jsonl").stat().st_size > 0

    source = json.loads((work / "api" / "manifest.json").read_text())["input"]
    assert source["agent"] == AGENT and source["fetches"][0]["pages"] == 5
    assert source["fetches"][0]["retries"] == 4
    assert source["fetches"][0]["server"] == fake.base_url
    assert len(fake.export_requests()) == 5 + 4  # four injected faults, each retried once
    for path, data in all_bytes_under(work):
        assert KEY.encode() not in data, path


def test_from_cache_builds_again_without_any_request(work: Path, fake: FakeConvocore) -> None:
    first = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, "--out", "one", pii=False)
    assert first.returncode == 0, first.stderr
    fake.stop()  # no server at all now
    again = dsbuild(work, "make", "--agent", AGENT, "--from-cache", "--out", "two", key=None, pii=False)
    assert again.returncode == 0, again.stderr
    for name in ("train.jsonl", "test.jsonl"):
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes()


def test_fetch_only_downloads_and_make_from_cache_uses_it(work: Path, fake: FakeConvocore) -> None:
    r = dsbuild(work, "fetch", "--agent", AGENT, "--api-base", fake.base_url)
    assert r.returncode == 0, r.stderr
    export = Path(r.stdout.strip().splitlines()[-1])
    assert (work / export).is_file() and not (work / "data" / AGENT).exists()
    n = len(fake.requests)
    made = dsbuild(work, "make", "--agent", AGENT, "--from-cache", "--out", "out", pii=False)
    assert made.returncode == 0, made.stderr
    assert len(fake.requests) == n


def test_api_base_from_the_environment(work: Path, fake: FakeConvocore) -> None:
    r = dsbuild(work, "fetch", "--agent", AGENT, CONVOCORE_API_BASE=fake.base_url)
    assert r.returncode == 0, r.stderr
    assert len(fake.export_requests()) == 5


@pytest.mark.parametrize("command", [["fetch"], ["make"], ["make", "--debug"], ["fetch", "--debug"]])
def test_wrong_key_exits_4_with_a_hint_and_never_echoes_the_key(work: Path, fake: FakeConvocore,
                                                                command: list[str]) -> None:
    wrong = "ck-live-WRONG-5e1f0aa9"
    r = dsbuild(work, *command, "--agent", AGENT, "--api-base", fake.base_url, key=wrong)
    assert r.returncode == 4
    assert "HTTP 401" in r.stderr and "check CONVOCORE_API_KEY" in r.stderr
    if "--debug" not in command:
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("dsbuild: error: ")
    assert wrong not in r.stdout + r.stderr
    assert all(wrong.encode() not in data for _, data in all_bytes_under(work))
    assert not (work / "data" / AGENT).exists()
    assert len(fake.export_requests()) == 1


def test_missing_key_is_a_usage_error(work: Path, fake: FakeConvocore) -> None:
    r = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, key=None)
    assert r.returncode == 2 and "CONVOCORE_API_KEY is not set" in r.stderr
    assert fake.requests == []


def test_from_cache_without_a_cache_says_how_to_fill_it(work: Path) -> None:
    r = dsbuild(work, "make", "--agent", AGENT, "--from-cache")
    assert r.returncode == 2 and "dsbuild fetch --agent agent7" in r.stderr


def test_nonempty_out_is_refused_before_spending_quota(work: Path, fake: FakeConvocore) -> None:
    (work / "out").mkdir()
    (work / "out" / "keep.txt").write_text("x")
    r = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, "--out", "out")
    assert r.returncode == 2 and "--overwrite" in r.stderr
    assert fake.requests == []


def test_input_and_api_flags_do_not_mix(work: Path, export_file: Path) -> None:
    r = dsbuild(work, "make", "--agent", AGENT, "--input", str(export_file), "--from-cache")
    assert r.returncode == 2 and "--from-cache" in r.stderr


def _ts(item: Any) -> int:
    meta = item["metadata"]
    return (meta.get("convo") or meta)["ts"]


def test_incremental_make_adds_new_conversations_and_keeps_the_split(work: Path,
                                                                      fake: FakeConvocore) -> None:
    everything = [i for i in fake.conversations if isinstance(i, dict) and "turns" in i
                  and isinstance(i.get("metadata", {}).get("convo", i.get("metadata", {})).get("ts"), int)]
    everything.sort(key=_ts)
    fake.conversations = everything[:80]
    first = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, "--out", "out",
                    pii=False)
    assert first.returncode == 0, first.stderr
    before = splits(work / "out")

    fake.conversations = everything
    fake.requests.clear()
    second = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, "--out", "out",
                     "--incremental", "--overwrite", pii=False)
    assert second.returncode == 0, second.stderr
    assert fake.export_requests()[0].query["fromTs"] == [str(_ts(everything[79]))]
    after = splits(work / "out")
    assert len(after) > len(before)
    assert all(after[cid] == split for cid, split in before.items())


@pytest.mark.parametrize("out", ["data/raw", "data"])
def test_out_may_not_replace_the_paid_for_cache(work: Path, fake: FakeConvocore, out: str) -> None:
    assert dsbuild(work, "fetch", "--agent", AGENT, "--api-base", fake.base_url).returncode == 0
    r = dsbuild(work, "make", "--agent", AGENT, "--from-cache", "--out", out, "--overwrite")
    assert r.returncode == 2 and "raw export cache" in r.stderr
    assert (work / "data" / "raw" / AGENT / "export.json").is_file()


def test_progress_bar_only_on_a_terminal(work: Path, fake: FakeConvocore) -> None:
    master, slave = pty.openpty()
    env = {**os.environ, "CONVOCORE_API_BASE": "", "CONVOCORE_API_KEY": KEY}
    proc = subprocess.Popen([DSBUILD, "fetch", "--agent", AGENT, "--api-base", fake.base_url,
                             "--config", "fast.yaml"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    shown = b""
    try:  # read while it runs: a full terminal buffer would block the child
        while True:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed its end
                    break
                if not chunk:
                    break
                shown += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.wait(timeout=60)
    assert proc.returncode == 0
    text = shown.decode()
    assert "downloading agent7" in text and "page 5" in text and "B/s" in text  # a tqdm bar
    assert "fetched" in text


def test_make_from_the_api_into_a_parent_of_the_cache_is_refused(work: Path,
                                                                fake: FakeConvocore) -> None:
    r = dsbuild(work, "make", "--agent", AGENT, "--api-base", fake.base_url, "--out", ".")
    assert r.returncode == 2 and "raw export cache" in r.stderr and fake.requests == []


def test_the_fake_server_runs_by_hand(work: Path, export_file: Path) -> None:
    """``python -m tests.fake_convocore`` is how anyone tries dsbuild without Convocore."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen([sys.executable, "-m", "tests.fake_convocore", "--port", str(port),
                               "--export", str(export_file), "--fault", "502", "--legacy"],
                              cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        assert f"http://127.0.0.1:{port}/v3" in server.stdout.readline()
        r = dsbuild(work, "fetch", "--agent", "any-agent", "--api-base",
                    f"http://127.0.0.1:{port}/v3", key="test-key")
        assert r.returncode == 0, r.stderr
        assert f"fetched {len(load_items(export_file))} conversations in 1 page " in r.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
