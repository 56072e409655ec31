"""The raw export cache: ``<cache_dir>/<agent>/`` (default ``data/raw/<agent>/``).

Exports are billed, so every downloaded page is kept and a rebuild needs no new export::

    export.json                  the newest merged export (a normal export envelope)
    state.json                   watermark for --incremental, what export.json was built from
    fetches/<fetch_id>/index.json    one fetch: time, server, params, pages (bytes, sha256)
    fetches/<fetch_id>/page-00001.json   page bodies exactly as received

A page is streamed into a hidden temporary file and renamed when complete; the index is
rewritten atomically after each page, so an interrupted fetch resumes after its last complete
page. This is the one place, besides ``--quarantine``, where unredacted conversations are
written: directories are 0700 and files 0600. The API key is never written here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout

from dsbuild.convocore.client import ExportQuery, Page, next_cursor
from dsbuild.convocore.export_file import read_export
from dsbuild.convocore.fetch_index import INDEX, FetchIndex, FetchStatus, PageEntry, read_index
from dsbuild.convocore.parser import item_source_id, item_timestamp
from dsbuild.convocore.source import RawSource
from dsbuild.errors import UsageError
from dsbuild.fs import private_mkdir, write_private_file
from dsbuild.hashing import bytes_sha256, file_sha256

EXPORT = "export.json"
STATE = "state.json"
_ENVELOPE_HEAD = (b'{"success":true,"message":"Conversations exported successfully'
                  b' (merged by dsbuild)","data":[\n')


def agent_dirname(agent: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", agent).lstrip(".") or "_"
    return safe if safe == agent else f"{safe}-{bytes_sha256(agent.encode())[:8]}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dump(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def _item_bytes(item: Any) -> bytes:
    try:
        return orjson.dumps(item)
    except TypeError:  # lone surrogates: keep them as \\udXXX escapes, as the server sent them
        return json.dumps(item, ensure_ascii=True, separators=(",", ":")).encode()


def _content_key(item: Any) -> str:
    return "content:" + bytes_sha256(_item_bytes(item))


class FetchRun:
    """One fetch being written: pages so far, and the cursor to continue from."""

    def __init__(self, cache: RawCache, path: Path, index: FetchIndex):
        self.cache = cache
        self.path = path
        self.index = index
        self._parsed: dict[int, list[Any]] = {}  # pages downloaded by this process: parse once

    @property
    def pages(self) -> list[PageEntry]:
        return self.index.pages

    @property
    def resumed_pages(self) -> int:
        return self.index.resumed_from_page

    def continuation(self) -> tuple[bool, str | None, str]:
        """(whether to request another page, its cursor, why we stop otherwise)."""
        if not self.pages:
            return True, None, ""
        last = self.pages[-1]
        page = Page([], last.next_cursor, last.has_more, 0, "")
        cursor, why = next_cursor(page, [p.cursor for p in self.pages])
        limit = self.index.params.get("limit")
        if why == "no_more" and last.has_more is None and limit and last.items == limit:
            why = "full_page_without_cursor"  # maybe a server paginating some other way
        return cursor is not None, cursor, why

    def tmp_page(self) -> Path:
        tmp = self.path / f".page-{len(self.pages) + 1:05d}.json.part"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        return tmp

    def commit_page(self, tmp: Path, page: Page, cursor: str | None) -> None:
        n = len(self.pages) + 1
        name = f"page-{n:05d}.json"
        os.replace(tmp, self.path / name)
        self.pages.append(PageEntry(n=n, file=name, cursor=cursor, next_cursor=page.next_cursor,
                                    has_more=page.has_more, items=len(page.items),
                                    bytes=page.nbytes, sha256=page.sha256))
        self._parsed[n] = page.items
        self.save()

    def discard_if_empty(self) -> None:
        """Forget a fetch that failed before its first page: nothing to resume."""
        if not self.pages:
            shutil.rmtree(self.path, ignore_errors=True)

    def abandon(self) -> None:
        """Never resume this fetch again (its cursor was rejected)."""
        self.index.status = FetchStatus.ABANDONED
        self.save()

    def save(self) -> None:
        self.index.save(self.path)

    def items(self) -> Iterable[Any]:
        for p in self.pages:
            if p.n in self._parsed:
                yield from self._parsed[p.n]
            else:  # a page of the interrupted run this one resumed
                yield from read_export(self.path / p.file)[1]

    def finish(self, stop_reason: str, incremental: bool) -> dict[str, Any]:
        """Merge the pages into ``export.json``, store the watermark, mark the fetch complete."""
        fetched, dups = _dedupe_by_id(self.items())
        previous = self.cache.read_state() if incremental else {}
        base: list[Any] = []
        if incremental and (self.cache.dir / EXPORT).exists():
            base = list(read_export(self.cache.dir / EXPORT)[1])
        merged, replaced = _merge(base, fetched)
        export_sha = self.cache.write_export(merged)
        stamps = [t for t in map(item_timestamp, fetched) if t is not None]
        marks = [m for m in (previous.get("watermark"), max(stamps, default=None)) if m is not None]
        ix = self.index
        ix.finished_at, ix.stop_reason, ix.duplicates_across_pages = _now(), stop_reason, dups
        ix.items = sum(p.items for p in self.pages)
        history = (previous.get("fetches", []) if incremental else [])[-49:]
        state = {
            "agent": ix.agent,
            "watermark": max(marks) if marks else None,
            "export": {"file": EXPORT, "sha256": export_sha, "conversations": len(merged),
                       "updated_at": _now()},
            "fetches": history + [self.summary(incremental, len(fetched), replaced)],
        }
        write_private_file(self.cache.dir / STATE, _dump(state))
        # Complete only now: a crash before this line resumes and finishes again (idempotent).
        ix.status = FetchStatus.COMPLETE
        self.save()
        self.cache.prune(keep=self.path)
        return state

    def summary(self, incremental: bool, fetched: int, replaced: int) -> dict[str, Any]:
        ix = self.index
        return {"fetch_id": ix.fetch_id, "server": ix.server, "params": ix.params,
                "incremental": incremental, "started_at": ix.started_at,
                "finished_at": ix.finished_at, "pages": len(self.pages),
                "resumed_from_page": ix.resumed_from_page,
                "bytes": sum(p.bytes for p in self.pages), "retries": ix.retries,
                "conversations": fetched, "duplicates_across_pages": ix.duplicates_across_pages,
                "replaced": replaced, "stop_reason": ix.stop_reason}


def _dedupe_by_id(items: Iterable[Any]) -> tuple[list[Any], int]:
    """Keep the first copy of each id (pages may overlap); items without an id are all kept."""
    seen: set[str] = set()
    out: list[Any] = []
    dups = 0
    for item in items:
        sid = item_source_id(item)
        if sid is not None:
            if sid in seen:
                dups += 1
                continue
            seen.add(sid)
        out.append(item)
    return out, dups


def _merge(base: list[Any], newer: list[Any]) -> tuple[list[Any], int]:
    """Cached items in their order, each replaced by its newer copy; new items appended."""
    if not base:
        return newer, 0
    keys = [item_source_id(i) or _content_key(i) for i in base]
    pos = {k: n for n, k in enumerate(keys)}
    merged = list(base)
    replaced = 0
    for item in newer:
        k = item_source_id(item) or _content_key(item)
        if k in pos:
            merged[pos[k]] = item
            replaced += 1
        else:
            pos[k] = len(merged)
            merged.append(item)
    return merged, replaced


class RawCache:
    """The cache of one agent's raw exports."""

    def __init__(self, root: Path, agent: str):
        if not agent:
            raise UsageError("--agent is required")
        self.root = root
        self.agent = agent
        self.dir = root / agent_dirname(agent)

    def read_state(self) -> dict[str, Any]:
        try:
            state = orjson.loads((self.dir / STATE).read_bytes())
        except (FileNotFoundError, orjson.JSONDecodeError):
            return {}
        return state if isinstance(state, dict) else {}

    def watermark(self) -> int | None:
        mark = self.read_state().get("watermark")
        return mark if isinstance(mark, int) else None

    def has_export(self) -> bool:
        return (self.dir / EXPORT).is_file() and bool(self.read_state())

    def last_server(self) -> str | None:
        fetches = self.read_state().get("fetches") or [{}]
        server = fetches[-1].get("server")
        return server if isinstance(server, str) else None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One fetch per agent at a time: two would interleave pages and indexes."""
        private_mkdir(self.dir)
        lock = FileLock(self.dir / ".lock", timeout=0, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise UsageError(f"another dsbuild fetch of agent {self.agent!r} is running"
                             f" (lock {self.dir / '.lock'}); wait for it to finish") from None
        try:
            yield
        finally:
            lock.release()

    def begin(self, server: str, query: ExportQuery, resume: bool = True) -> FetchRun:
        """A new fetch, or the interrupted one with the same server and params to resume."""
        fetches = self.dir / "fetches"
        private_mkdir(fetches)
        params = query.as_dict()
        if resume:
            for path in sorted(fetches.iterdir(), reverse=True):
                found = read_index(path)
                if found is not None and found.resumable_for(server, params):
                    found.resumed_from_page = len(found.pages)
                    return FetchRun(self, path, found)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = fetches / stamp
        private_mkdir(path)
        index = FetchIndex(agent=self.agent, fetch_id=stamp, server=server, params=params,
                           started_at=_now())
        run = FetchRun(self, path, index)
        run.save()
        return run

    def write_export(self, items: list[Any]) -> str:
        body = _ENVELOPE_HEAD + b",\n".join(map(_item_bytes, items)) + b"\n]}\n"
        write_private_file(self.dir / EXPORT, body)
        return bytes_sha256(body)

    def prune(self, keep: Path) -> None:
        """Drop the page bodies of older fetches (now merged into export.json); keep indexes."""
        for path in (self.dir / "fetches").iterdir():
            if path == keep or not path.is_dir():
                continue
            for f in path.iterdir():
                if f.name != INDEX:
                    f.unlink(missing_ok=True)
            index = read_index(path)
            if index is not None and not index.pages_pruned:
                if index.status is FetchStatus.PARTIAL:
                    index.status = FetchStatus.SUPERSEDED  # never resumed: its pages are gone
                index.pages_pruned = True
                index.save(path)

    def newest_export(self) -> RawSource:
        """The newest cached export as raw items, for a build without the network."""
        path = self.dir / EXPORT
        state = self.read_state()
        if not path.is_file() or not state:
            raise UsageError(f"no cached export for agent {self.agent!r} under {self.root};"
                             f" run `dsbuild fetch --agent {self.agent}` first (or drop --from-cache)")
        sha = file_sha256(path)
        recorded = state.get("export", {}).get("sha256")
        if recorded and recorded != sha:
            raise UsageError(f"{path}: changed since dsbuild wrote it (sha256 mismatch);"
                             " fetch again without --from-cache")
        _, items = read_export(path)
        fetches = state.get("fetches", [])
        info = {"agent": self.agent, "cache": EXPORT, "sha256": sha,
                "conversations": state.get("export", {}).get("conversations"),
                "watermark": state.get("watermark"),
                "fetches": [{k: f.get(k) for k in ("fetch_id", "server", "params", "incremental",
                                                    "finished_at", "pages", "retries",
                                                    "conversations")}
                            for f in fetches[-10:]]}
        return RawSource(items, info)
