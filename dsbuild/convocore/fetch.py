"""Download an agent's export into the raw cache: paginated, resumable, incremental.

:func:`fetch_to_cache` is ``dsbuild fetch``; :func:`source_for_make` is what ``dsbuild make``
without ``--input`` builds from (a fresh fetch by default, the cache alone with ``from_cache``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from dsbuild.config import Config
from dsbuild.convocore.cache import EXPORT, FetchRun, RawCache
from dsbuild.convocore.client import ConvocoreApiError, ConvocoreClient, ExportQuery, api_base_for
from dsbuild.convocore.retry import RetryPolicy
from dsbuild.convocore.source import RawSource
from dsbuild.errors import UsageError
from dsbuild.timeparse import parse_ts

API_KEY_ENV = "CONVOCORE_API_KEY"

_STOP_WARNINGS = {
    "has_more_without_cursor": "the server said hasMore but sent no nextCursor; stopped there,"
                               " the export may be incomplete",
    "repeated_cursor": "the server repeated a cursor; stopped to avoid a loop, the export may be"
                       " incomplete",
    "full_page_without_cursor": "the server sent a full page of source.page_limit conversations"
                                " with no nextCursor/hasMore; if it pages some other way the"
                                " export is incomplete: set source.page_limit to 0 to ask for"
                                " everything at once",
    "page_cap": "stopped at source.max_pages ({pages}) while the server had more; the cached"
                " export is incomplete: raise source.max_pages and fetch again",
}


@dataclass
class Window:
    since: str | None = None
    until: str | None = None
    incremental: bool = False


@dataclass
class FetchResult:
    agent: str
    export: Path
    pages: int
    resumed_pages: int
    bytes: int
    fetched: int
    conversations: int
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        resumed = f", resumed after page {self.resumed_pages}" if self.resumed_pages else ""
        pages = f"{self.pages:,} page{'s' if self.pages != 1 else ''}"
        return (f"fetched {self.fetched:,} conversations in {pages}"
                f" ({self.bytes / 1e6:,.1f} MB{resumed}); cached export: {self.conversations:,}"
                f" conversations in {self.export}")


def parse_when(value: str, flag: str, end_of_day: bool = False) -> int:
    """``--since``/``--until``: a date, an ISO time or Unix seconds, as Unix seconds (UTC)."""
    text = value.strip()
    date_only = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
    parsed = parse_ts(text)
    if parsed is None:
        raise UsageError(f"{flag} {value!r}: expected a date (2024-12-01), an ISO time"
                         " (2024-12-01T10:00:00Z) or Unix seconds")
    if date_only and end_of_day:
        parsed += timedelta(days=1, seconds=-1)  # --until a date includes that whole day
    return int(parsed.timestamp())


def _query(cfg: Config, cache: RawCache, window: Window,
           server: str) -> tuple[ExportQuery, bool]:
    if window.incremental and window.since:
        raise UsageError("--incremental starts from the cached watermark; drop --since")
    since = parse_when(window.since, "--since") if window.since else None
    until = parse_when(window.until, "--until", end_of_day=True) if window.until else None
    incremental = window.incremental and cache.has_export()
    if incremental:
        if cache.last_server() not in (None, server):
            raise UsageError(f"the cached export of {cache.agent!r} came from"
                             f" {cache.last_server()}, not {server}; --incremental would merge"
                             " two servers' exports: fetch once without --incremental")
        since = cache.watermark()  # inclusive: the newest cached conversation comes again
    if since is not None and until is not None and since > until:
        raise UsageError("--since is after --until")
    return ExportQuery(since=since, until=until, limit=cfg.source.page_limit or None), incremental


def make_client(cfg: Config, env: Mapping[str, str] | None = None) -> ConvocoreClient:
    env = os.environ if env is None else env
    src = cfg.source
    policy = RetryPolicy(max_attempts=src.max_attempts, base_delay=src.backoff_base,
                         max_delay=src.backoff_max, total_seconds=src.retry_budget)
    return ConvocoreClient(api_base_for(src.region, src.api_base), env.get(API_KEY_ENV, ""),
                           connect_timeout=src.connect_timeout, read_timeout=src.read_timeout,
                           retry=policy)


def fetch_to_cache(cfg: Config, window: Window, *, env: Mapping[str, str] | None = None,
                   progress: DownloadProgress | None = None) -> FetchResult:
    agent = cfg.agent or ""
    cache = RawCache(Path(cfg.source.cache_dir), agent)
    with make_client(cfg, env) as client, cache.lock():
        query, incremental = _query(cfg, cache, window, client.api_base)
        run = cache.begin(client.api_base, query, resume=cfg.source.resume)
        if progress:
            client.on_retry = progress.retry
        try:
            why = _download(client, run, agent, query, cfg.source.max_pages, progress)
        except ConvocoreApiError as exc:
            run.discard_if_empty()
            if exc.status == 400 and run.resumed_pages == len(run.pages) > 0:
                run.abandon()  # the server no longer accepts the saved cursor
                raise ConvocoreApiError(f"{exc}; the saved cursor of an interrupted fetch was"
                                        " rejected, rerun to start the fetch over",
                                        status=400, code=exc.code) from exc
            if run.pages:
                raise ConvocoreApiError(
                    f"{exc}; {len(run.pages)} complete page(s) are cached in {run.path},"
                    " rerun the same command to resume", status=exc.status, code=exc.code) from exc
            raise
        finally:
            run.index.retries += client.retries
            if progress:
                progress.done()
        state = run.finish(why, incremental)
    warnings = []
    if why in _STOP_WARNINGS:
        warnings.append(_STOP_WARNINGS[why].format(pages=cfg.source.max_pages))
    if window.incremental and not incremental:
        warnings.append("no cached export yet: --incremental fetched everything")
    last = state["fetches"][-1]
    return FetchResult(agent=agent, export=cache.dir / EXPORT, pages=len(run.pages),
                       resumed_pages=run.resumed_pages, bytes=last["bytes"],
                       fetched=last["conversations"], conversations=state["export"]["conversations"],
                       warnings=warnings)


def _download(client: ConvocoreClient, run: FetchRun, agent: str, query: ExportQuery,
              max_pages: int, progress: DownloadProgress | None) -> str:
    """Download pages into ``run`` until the server has no more; return why it stopped."""
    more, cursor, why = run.continuation()
    while more:
        if len(run.pages) >= max_pages:
            return "page_cap"
        if progress:
            progress.page(len(run.pages) + 1)
        tmp = run.tmp_page()
        try:
            page = client.download_page(agent, query, cursor, tmp,
                                        progress.add_bytes if progress else None)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        run.commit_page(tmp, page, cursor)
        more, cursor, why = run.continuation()
    return why or "no_more"


def source_for_make(cfg: Config, window: Window, *, from_cache: bool,
                    env: Mapping[str, str] | None = None,
                    progress: DownloadProgress | None = None,
                    notify: Callable[[str], None] | None = None, quiet: bool = False) -> RawSource:
    """The raw items ``make`` builds from when there is no ``--input``."""
    cache = RawCache(Path(cfg.source.cache_dir), cfg.agent or "")
    if from_cache:
        if window.since or window.until or window.incremental:
            raise UsageError("--from-cache makes no request; drop --since/--until/--incremental")
    else:
        result = fetch_to_cache(cfg, window, env=env, progress=progress)
        if notify:
            for w in result.warnings:
                notify(f"dsbuild: warning: {w}")
            if not quiet:
                notify(result.line())
    return cache.newest_export()


def protect_cache(out: Path, cfg: Config) -> None:
    """Refuse an output directory that is, or holds, the raw cache: replacing it would delete
    exports that were paid for. (Builds from a file only care when the cache exists.)"""
    cache, target = Path(cfg.source.cache_dir).resolve(), out.resolve()
    if cfg.input and not cache.exists():
        return
    if cache == target or target in cache.parents:
        raise UsageError(f"--out {out}: holds the raw export cache ({cfg.source.cache_dir});"
                         " choose another output directory")


class DownloadProgress(Protocol):
    """What a fetch reports as it goes (the CLI draws it: :mod:`dsbuild.cli_progress`)."""

    def page(self, n: int) -> None: ...

    def add_bytes(self, n: int) -> None: ...

    def retry(self, problem: ConvocoreApiError, wait: float) -> None: ...

    def done(self) -> None: ...
