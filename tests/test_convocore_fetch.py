"""The Convocore client and raw cache against the fake API on 127.0.0.1 (real HTTP).

Only the retry *clock* is replaced, in the Retry-After tests, to read the waits it asks for; and
the real EU host, which cannot be reached from here, is answered by an httpx transport once.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dsbuild.cli import source_overrides
from dsbuild.config import Config, load_config
from dsbuild.convocore.cache import RawCache
from dsbuild.convocore.client import REGIONS, ConvocoreApiError, ConvocoreClient, ExportQuery
from dsbuild.convocore.fetch import Window, fetch_to_cache
from dsbuild.convocore.retry import RetryPolicy
from dsbuild.errors import RemoteError, UsageError
from dsbuild.samples.generate import generate_export
from tests.fake_convocore import FakeConvocore

KEY = "ck-test-4f9a1c2e7b"
AGENT = "agent7"
ENV = {"CONVOCORE_API_KEY": KEY}


def conversations(n: int = 40, seed: int = 3) -> list[Any]:
    items = generate_export(n, seed)["data"]
    return [i for i in items if isinstance(i, dict) and "turns" in i][:n]


def ids(items: list[Any]) -> list[str]:
    out = []
    for i in items:
        meta = i["metadata"]
        out.append((meta.get("convo") or meta).get("id") or meta.get("ID"))
    return out


@pytest.fixture
def fake() -> Iterator[FakeConvocore]:
    with FakeConvocore(conversations(), agents=(AGENT,), api_key=KEY) as server:
        yield server


def config(tmp_path: Path, base: str, **source: Any) -> Config:
    settings = {"page_limit": 10, "backoff_base": 0.001, "backoff_max": 0.005, "read_timeout": 2.0,
                "connect_timeout": 2.0, "cache_dir": str(tmp_path / "raw"), "api_base": base,
                **source}
    return load_config(None, {"agent": AGENT, **{f"source.{k}": v for k, v in settings.items()}},
                       env={})


def cached_items(cfg: Config) -> list[Any]:
    return list(RawCache(Path(cfg.source.cache_dir), AGENT).newest_export().items)


def test_follows_cursor_pages_and_sends_documented_request(tmp_path: Path, fake: FakeConvocore) -> None:
    cfg = config(tmp_path, fake.base_url)
    result = fetch_to_cache(cfg, Window(), env=ENV)
    reqs = fake.export_requests()
    assert len(reqs) == 4 == result.pages  # 40 conversations, 10 per page
    assert all(r.query["format"] == ["json"] and r.query["limit"] == ["10"] for r in reqs)
    assert all(r.authorization == f"Bearer {KEY}" for r in reqs)
    assert all(r.user_agent and r.user_agent.startswith("dsbuild/") for r in reqs)
    assert "cursor" not in reqs[0].query and all("cursor" in r.query for r in reqs[1:])
    assert cached_items(cfg) == fake.conversations
    assert result.fetched == result.conversations == 40


def test_legacy_server_returns_everything_in_one_envelope(tmp_path: Path, fake: FakeConvocore) -> None:
    fake.paginate = False
    cfg = config(tmp_path, fake.base_url)
    result = fetch_to_cache(cfg, Window(), env=ENV)
    assert len(fake.export_requests()) == 1 and result.pages == 1
    assert cached_items(cfg) == fake.conversations


@pytest.mark.parametrize("anomaly", ["repeat", "no_cursor"])
def test_stops_on_a_looping_or_missing_cursor_and_warns(tmp_path: Path, fake: FakeConvocore,
                                                         anomaly: str) -> None:
    fake.cursor_anomaly = anomaly
    result = fetch_to_cache(config(tmp_path, fake.base_url), Window(), env=ENV)
    assert len(fake.export_requests()) == (2 if anomaly == "repeat" else 1)
    assert result.warnings and "incomplete" in result.warnings[0]


def test_pagination_fields_in_a_nested_object_are_followed(tmp_path: Path,
                                                           fake: FakeConvocore) -> None:
    fake.cursor_anomaly = "nested"
    cfg = config(tmp_path, fake.base_url)
    result = fetch_to_cache(cfg, Window(), env=ENV)
    assert result.pages == 4 and not result.warnings
    assert cached_items(cfg) == fake.conversations


def test_a_full_page_without_pagination_fields_is_flagged(tmp_path: Path,
                                                          fake: FakeConvocore) -> None:
    fake.cursor_anomaly = "silent"
    result = fetch_to_cache(config(tmp_path, fake.base_url), Window(), env=ENV)
    assert result.pages == 1 and result.conversations == 10
    assert "page_limit to 0" in result.warnings[0]
    fake.paginate = False  # a legacy server: everything, no fields, no warning
    result = fetch_to_cache(config(tmp_path, fake.base_url), Window(), env=ENV)
    assert result.conversations == 40 and not result.warnings


def test_overlapping_pages_are_deduplicated_by_id(tmp_path: Path, fake: FakeConvocore) -> None:
    fake.cursor_anomaly = "overlap"
    cfg = config(tmp_path, fake.base_url)
    fetch_to_cache(cfg, Window(), env=ENV)
    assert len(fake.export_requests()) > 4
    assert ids(cached_items(cfg)) == ids(fake.conversations)
    last = RawCache(Path(cfg.source.cache_dir), AGENT).read_state()["fetches"][-1]
    assert last["duplicates_across_pages"] == len(fake.export_requests()) - 1


def test_page_cap_stops_and_says_the_export_is_incomplete(tmp_path: Path, fake: FakeConvocore) -> None:
    result = fetch_to_cache(config(tmp_path, fake.base_url, max_pages=2), Window(), env=ENV)
    assert len(fake.export_requests()) == 2 and result.conversations == 20
    assert "source.max_pages" in result.warnings[0]


@pytest.mark.parametrize("fault", ["429", "429:0", "500", "502", "cutoff", "slow"])
def test_transient_faults_are_retried(tmp_path: Path, fake: FakeConvocore, fault: str) -> None:
    fake.slow_seconds = 1.5
    fake.page_faults = {2: [fault]}
    cfg = config(tmp_path, fake.base_url, read_timeout=0.5)
    fetch_to_cache(cfg, Window(), env=ENV)
    statuses = [r.status for r in fake.export_requests()]
    assert len(statuses) == 5
    assert cached_items(cfg) == fake.conversations


@pytest.mark.parametrize("header, expected", [("429:3", (3.0, 3.0)), ("429:date", (0.5, 2.0))])
def test_retry_after_is_honoured(fake: FakeConvocore, tmp_path: Path, header: str,
                                 expected: tuple[float, float]) -> None:
    fake.faults = [header]
    waits: list[float] = []
    policy = RetryPolicy(base_delay=0.001, sleep=waits.append)
    with ConvocoreClient(fake.base_url, KEY, retry=policy) as client:
        page = client.download_page(AGENT, ExportQuery(limit=10), None, tmp_path / "p.json")
    assert len(page.items) == 10 and len(waits) == 1
    assert expected[0] <= waits[0] <= expected[1]


def test_retry_after_beyond_the_budget_gives_up_without_waiting(fake: FakeConvocore,
                                                                 tmp_path: Path) -> None:
    fake.faults = ["429:3600"]
    waits: list[float] = []
    policy = RetryPolicy(total_seconds=60, sleep=waits.append)
    with ConvocoreClient(fake.base_url, KEY, retry=policy) as client, \
            pytest.raises(ConvocoreApiError, match="retry budget"):
        client.download_page(AGENT, ExportQuery(limit=10), None, tmp_path / "p.json")
    assert waits == [] and len(fake.export_requests()) == 1


def test_attempts_are_bounded(tmp_path: Path, fake: FakeConvocore) -> None:
    fake.faults = ["500"] * 10
    with pytest.raises(RemoteError, match=r"HTTP 500 INTERNAL_SERVER_ERROR: Something went wrong.*"
                                          r"gave up after 3 attempts"):
        fetch_to_cache(config(tmp_path, fake.base_url, max_attempts=3), Window(), env=ENV)
    assert len(fake.export_requests()) == 3
    assert not (tmp_path / "raw" / AGENT / "fetches").exists() or \
        not any((tmp_path / "raw" / AGENT / "fetches").iterdir())


@pytest.mark.parametrize("setup, pattern", [
    ({"faults": ["quota"]}, r"HTTP 403 FORBIDDEN: Monthly export quota exceeded.*not retried"),
    ({"faults": ["quota429"]}, r"HTTP 429 TOO_MANY_REQUESTS: Monthly export quota.*not retried"),
    ({"api_key": "another"}, r"HTTP 401 UNAUTHORIZED.*check CONVOCORE_API_KEY"),
    ({"agents": ("someone-else",)}, r"HTTP 404 NOT_FOUND: Agent not found.*other region"),
    ({"max_limit": 5}, r"HTTP 400 BAD_REQUEST: Input validation failed \(issues: limit: Number"),
    ({"faults": ["html200"]}, r"HTML page, not JSON \('Sign in'\).*--api-base"),
    ({"faults": ["csv"]}, r"'data' is a string \(CSV\)"),
])
def test_client_errors_are_not_retried_and_say_what_to_do(tmp_path: Path, fake: FakeConvocore,
                                                          setup: dict[str, Any], pattern: str) -> None:
    for k, v in setup.items():
        setattr(fake, k, v)
    with pytest.raises(RemoteError, match=pattern) as err:
        fetch_to_cache(config(tmp_path, fake.base_url), Window(), env=ENV)
    assert len(fake.export_requests()) == 1
    assert "\n" not in str(err.value) and KEY not in str(err.value)


def test_missing_key_is_a_usage_error_before_any_request(tmp_path: Path, fake: FakeConvocore) -> None:
    with pytest.raises(UsageError, match="CONVOCORE_API_KEY is not set"):
        fetch_to_cache(config(tmp_path, fake.base_url), Window(), env={})
    bad = "ck-pasted\nck-twice"
    with pytest.raises(UsageError, match="control or non-ASCII") as err:
        fetch_to_cache(config(tmp_path, fake.base_url), Window(), env={"CONVOCORE_API_KEY": bad})
    assert "ck-" not in str(err.value)
    assert fake.requests == []
    fetch_to_cache(config(tmp_path, fake.base_url), Window(), env={"CONVOCORE_API_KEY": KEY + "\n"})
    assert fake.export_requests()[0].authorization == f"Bearer {KEY}"


def test_interrupted_fetch_resumes_after_the_last_complete_page(tmp_path: Path,
                                                                fake: FakeConvocore) -> None:
    fake.page_faults = {3: ["cutoff"] * 2}
    cfg = config(tmp_path, fake.base_url, max_attempts=2)
    with pytest.raises(RemoteError, match="2 complete page.*rerun the same command to resume"):
        fetch_to_cache(cfg, Window(), env=ENV)
    assert len(fake.export_requests()) == 4  # pages 1, 2, then page 3 cut off twice
    third_cursor = fake.export_requests()[-1].query["cursor"]
    assert not list((tmp_path / "raw").rglob("*.part"))

    fake.requests.clear()
    result = fetch_to_cache(cfg, Window(), env=ENV)
    reqs = fake.export_requests()
    assert [r.query.get("cursor") for r in reqs][0] == third_cursor  # pages 1-2 not bought again
    assert len(reqs) == 2 and result.resumed_pages == 2 and result.pages == 4
    assert cached_items(cfg) == fake.conversations


def test_since_until_map_to_fromts_tots(tmp_path: Path, fake: FakeConvocore) -> None:
    stamps = sorted(i["metadata"].get("convo", i["metadata"])["ts"] for i in fake.conversations)
    lo, hi = stamps[5], stamps[14]
    cfg = config(tmp_path, fake.base_url)
    fetch_to_cache(cfg, Window(since=str(lo), until=str(hi)), env=ENV)
    req = fake.export_requests()[0]
    assert req.query["fromTs"] == [str(lo)] and req.query["toTs"] == [str(hi)]
    assert len(cached_items(cfg)) == 10


def test_since_accepts_a_date_and_until_a_whole_day(tmp_path: Path, fake: FakeConvocore) -> None:
    fetch_to_cache(config(tmp_path, fake.base_url), Window(since="2024-12-01", until="2024-12-01"),
                   env=ENV)
    q = fake.export_requests()[0].query
    assert q["fromTs"] == ["1733011200"] and q["toTs"] == ["1733097599"]
    with pytest.raises(UsageError, match="--since 'yesterday'"):
        fetch_to_cache(config(tmp_path, fake.base_url), Window(since="yesterday"), env=ENV)


def _ts(item: dict[str, Any]) -> int:
    meta = item["metadata"]
    return (meta.get("convo") or meta)["ts"]


def test_incremental_fetches_only_newer_and_newer_copy_wins(tmp_path: Path, fake: FakeConvocore) -> None:
    cfg = config(tmp_path, fake.base_url)
    old = sorted(fake.conversations, key=_ts)
    fake.conversations = old[:30]
    fetch_to_cache(cfg, Window(), env=ENV)
    watermark = max(map(_ts, old[:30]))

    updated = copy.deepcopy(old[29])  # the newest cached conversation got another message
    extra = {"type": "text", "payload": {"message": "one more"}}
    updated["turns"].append({"from": "user", "messages": [extra]})
    fake.conversations = old[:29] + [updated] + old[30:]
    fake.requests.clear()
    result = fetch_to_cache(cfg, Window(incremental=True), env=ENV)

    q = fake.export_requests()[0].query
    assert q["fromTs"] == [str(watermark)]
    assert result.fetched == 11 and result.conversations == 40
    merged = cached_items(cfg)
    assert ids(merged) == ids(old)
    assert merged[29] == json.loads(json.dumps(updated))
    state = RawCache(Path(cfg.source.cache_dir), AGENT).read_state()
    assert state["watermark"] == max(map(_ts, old)) and len(state["fetches"]) == 2
    first, second = sorted((tmp_path / "raw" / AGENT / "fetches").iterdir())
    assert [p.name for p in first.iterdir()] == ["index.json"]  # merged pages pruned, index kept
    assert len(list(second.glob("page-*.json"))) == 2


def test_incremental_without_a_cache_fetches_everything(tmp_path: Path, fake: FakeConvocore) -> None:
    result = fetch_to_cache(config(tmp_path, fake.base_url), Window(incremental=True), env=ENV)
    assert "fromTs" not in fake.export_requests()[0].query
    assert result.conversations == 40 and "fetched everything" in result.warnings[0]


def test_cache_holds_no_key_and_is_private(tmp_path: Path, fake: FakeConvocore) -> None:
    fetch_to_cache(config(tmp_path, fake.base_url), Window(), env=ENV)
    files = [p for p in (tmp_path / "raw").rglob("*") if p.is_file()]
    assert len(files) >= 6
    for p in files:
        assert KEY.encode() not in p.read_bytes()
        assert p.stat().st_mode & 0o077 == 0, p
    index = json.loads(next((tmp_path / "raw").rglob("index.json")).read_text())
    assert index["status"] == "complete" and len(index["pages"]) == 4
    assert all(len(p["sha256"]) == 64 and p["bytes"] > 0 for p in index["pages"])


def test_a_rejected_saved_cursor_starts_the_fetch_over(tmp_path: Path, fake: FakeConvocore) -> None:
    fake.page_faults = {3: ["cutoff"]}
    cfg = config(tmp_path, fake.base_url, max_attempts=1)
    with pytest.raises(RemoteError, match="resume"):
        fetch_to_cache(cfg, Window(), env=ENV)
    fake.cursor_generation += 1  # the server forgot the saved cursor
    with pytest.raises(RemoteError, match="Invalid cursor.*rejected, rerun to start the fetch over"):
        fetch_to_cache(cfg, Window(), env=ENV)
    fake.requests.clear()
    result = fetch_to_cache(cfg, Window(), env=ENV)
    assert result.resumed_pages == 0 and result.pages == 4
    assert "cursor" not in fake.export_requests()[0].query
    assert cached_items(cfg) == fake.conversations


@pytest.mark.parametrize("text, message", [
    ("source:\n  region: mars\n", "source.region: 'mars' is not one of eu, na"),
    ("source:\n  read_timeout: 0\n", "source.read_timeout: must be a positive number"),
    ("source:\n  max_attempts: 0\n", "source.max_attempts: must be >= 1"),
])
def test_bad_source_config_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(text)
    with pytest.raises(UsageError) as err:
        load_config(f, env={})
    assert message in str(err.value)


def test_api_base_comes_from_the_environment_unless_a_flag_says_otherwise() -> None:
    cfg = load_config(None, {}, env={"CONVOCORE_API_BASE": "http://127.0.0.1:9/v3"})
    assert cfg.source.api_base == "http://127.0.0.1:9/v3"
    cfg = load_config(None, source_overrides("na", None), env={"CONVOCORE_API_BASE": "http://x/v3"})
    assert (cfg.source.region, cfg.source.api_base) == ("na", "")


def test_a_404_on_a_known_region_names_the_other_one() -> None:
    def not_found(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "Agent not found", "code": "NOT_FOUND"})

    # The real servers cannot be reached from tests: a transport answers for the EU host.
    with ConvocoreClient(REGIONS["eu"], KEY, transport=httpx.MockTransport(not_found)) as client, \
            pytest.raises(ConvocoreApiError, match=r"try the other region \(--region na\)"):
        client.download_page(AGENT, ExportQuery(), None, Path("/nonexistent/never-written"))


@pytest.mark.parametrize("base", ["ftp://host/v3", "http://user:secret@host/v3",
                                  "https://host/v3?token=secret", "not a url"])
def test_api_base_must_be_a_plain_http_url(tmp_path: Path, base: str) -> None:
    with pytest.raises(UsageError, match="--api-base") as err:
        fetch_to_cache(config(tmp_path, base), Window(), env=ENV)
    assert "secret" not in str(err.value)


def test_incremental_refuses_to_merge_exports_of_two_servers(tmp_path: Path,
                                                             fake: FakeConvocore) -> None:
    cfg = config(tmp_path, fake.base_url)
    fetch_to_cache(cfg, Window(), env=ENV)
    with FakeConvocore(conversations(), agents=(AGENT,), api_key=KEY) as other:
        with pytest.raises(UsageError, match="would merge two servers' exports"):
            fetch_to_cache(config(tmp_path, other.base_url), Window(incremental=True), env=ENV)
        assert other.requests == []


def test_one_fetch_per_agent_at_a_time(tmp_path: Path, fake: FakeConvocore) -> None:
    cfg = config(tmp_path, fake.base_url)
    with RawCache(Path(cfg.source.cache_dir), AGENT).lock(), \
            pytest.raises(UsageError, match="another dsbuild fetch of agent 'agent7' is running"):
        fetch_to_cache(cfg, Window(), env=ENV)
    assert fake.requests == []
    fetch_to_cache(cfg, Window(), env=ENV)  # the lock is released with its holder
