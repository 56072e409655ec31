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

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import orjson
from filelock import FileLock, Timeout

from dsbuild.convocore.client import ExportQuery, Page, next_cursor
from dsbuild.convocore.export_file import iter_file
from dsbuild.convocore.fetch_index import INDEX, FetchIndex, FetchStatus, PageEntry, read_index
from dsbuild.convocore.parser import item_source_id, item_timestamp
from dsbuild.convocore.source import RawSource
from dsbuild.errors import UsageError
from dsbuild.fs import private_mkdir, private_writer, write_private_file
from dsbuild.hashing import bytes_sha256, file_sha256

if TYPE_CHECKING:
    from typing_extensions import Self

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


class FetchRun:
    """One fetch being written: pages so far, and the cursor to continue from."""

    def __init__(self, cache: RawCache, path: Path, index: FetchIndex):
        self.cache = cache
        self.path = path
        self.index = index

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

    def items(self) -> Iterator[Any]:
        """The fetched items, read back one page file at a time (never all pages at once)."""
        for p in self.pages:
            yield from iter_file(self.path / p.file)

    def finish(self, stop_reason: str, incremental: bool) -> dict[str, Any]:
        """Merge the pages into ``export.json``, store the watermark, mark the fetch complete.

        Streams: the pages go once through an on-disk store (id → item), then the cached export
        is read item by item and written back with each newer copy in its place, then the new
        items are appended. Memory holds the keys of this fetch, not the conversations.
        """
        previous = self.cache.read_state() if incremental else {}
        base = self.cache.dir / EXPORT
        with _Fetched(self.path) as fetched:
            for item in self.items():
                fetched.add(item)
            with _ExportWriter(base) as out:
                replaced = 0
                if incremental and base.exists():
                    replaced = _merge_into(out, iter_file(base), fetched)
                else:
                    for data in fetched.in_order():
                        out.write(data)
            export_sha, conversations = out.sha256, out.count
        marks = [m for m in (previous.get("watermark"), fetched.newest) if m is not None]
        ix = self.index
        ix.finished_at, ix.stop_reason, ix.duplicates_across_pages = _now(), stop_reason, fetched.duplicates
        ix.items = sum(p.items for p in self.pages)
        history = (previous.get("fetches", []) if incremental else [])[-49:]
        state = {
            "agent": ix.agent,
            "watermark": max(marks) if marks else None,
            "export": {"file": EXPORT, "sha256": export_sha, "conversations": conversations,
                       "updated_at": _now()},
            "fetches": history + [self.summary(incremental, fetched.count, replaced)],
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


def _key(item: Any) -> bytes:
    """A compact merge key: the item's id, else its content (16-byte digest either way)."""
    sid = item_source_id(item)
    raw = b"id:" + sid.encode("utf-8", "surrogatepass") if sid else b"content:" + _item_bytes(item)
    return hashlib.blake2b(raw, digest_size=16).digest()


class _Fetched:
    """This fetch's items, deduped by id (the first copy wins; pages may overlap), on disk.

    ``dir/.fetched.tmp`` holds their serialised bytes; memory holds, per item, its key and where
    its bytes are. Items without an id are all kept.
    """

    def __init__(self, directory: Path):
        self.path = directory / ".fetched.tmp"
        self._ids: set[bytes] = set()
        self.spans: list[tuple[bytes, int, int]] = []  # (key, offset, length) in fetch order
        self.duplicates = 0
        self.newest: int | None = None
        self._f: IO[bytes] | None = None

    def __enter__(self) -> Self:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        self._f = os.fdopen(fd, "w+b")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._f is not None
        self._f.close()
        self.path.unlink(missing_ok=True)

    @property
    def count(self) -> int:
        return len(self.spans)

    def add(self, item: Any) -> None:
        assert self._f is not None
        sid = item_source_id(item)
        if sid is not None:
            digest = hashlib.blake2b(sid.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            if digest in self._ids:
                self.duplicates += 1
                return
            self._ids.add(digest)
        ts = item_timestamp(item)
        if ts is not None:
            self.newest = ts if self.newest is None else max(self.newest, ts)
        data = _item_bytes(item)
        offset = self._f.seek(0, os.SEEK_END)
        self._f.write(data)
        self.spans.append((_key(item), offset, len(data)))

    def read(self, offset: int, length: int) -> bytes:
        assert self._f is not None
        self._f.seek(offset)
        return self._f.read(length)

    def in_order(self) -> Iterator[bytes]:
        for _, offset, length in self.spans:
            yield self.read(offset, length)


def _merge_into(out: _ExportWriter, base: Iterator[Any], fetched: _Fetched) -> int:
    """Cached items in their order, each replaced by its newer copy; new items appended.

    With an empty cached export the fetched items are written as they are. Returns how many
    fetched items replaced a cached one (or an earlier fetched copy of the same content).
    """
    first = next(base, _NOTHING)
    if first is _NOTHING:
        for data in fetched.in_order():
            out.write(data)
        return 0
    last: dict[bytes, tuple[int, int]] = {}  # key → the last fetched copy
    copies: dict[bytes, int] = {}
    for key, offset, length in fetched.spans:
        last[key] = (offset, length)
        copies[key] = copies.get(key, 0) + 1
    replaced = 0
    for item in chain([first], base):
        key = _key(item)
        span = last.pop(key, None)
        if span is None:
            out.write(_item_bytes(item))
        else:
            out.write(fetched.read(*span))
            replaced += copies[key]
    for key, _, _ in fetched.spans:  # the new ones, at their first copy, with the last copy's bytes
        span = last.pop(key, None)
        if span is not None:
            out.write(fetched.read(*span))
            replaced += copies[key] - 1
    return replaced


_NOTHING = object()


class _ExportWriter:
    """Writes ``export.json`` (a normal export envelope) item by item, atomically, mode 0600."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self.sha256 = ""
        self._hash = hashlib.sha256()
        self._writer = private_writer(path)
        self._f: IO[bytes] | None = None

    def __enter__(self) -> Self:
        self._f = self._writer.__enter__()
        self._put(_ENVELOPE_HEAD)
        return self

    def _put(self, data: bytes) -> None:
        assert self._f is not None
        self._f.write(data)
        self._hash.update(data)

    def write(self, data: bytes) -> None:
        self._put(b",\n" + data if self.count else data)
        self.count += 1

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self._put(b"\n]}\n")
            self.sha256 = self._hash.hexdigest()
        self._writer.__exit__(exc_type, exc, tb)


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
        fetches = state.get("fetches", [])
        info = {"agent": self.agent, "cache": EXPORT, "sha256": sha,
                "conversations": state.get("export", {}).get("conversations"),
                "watermark": state.get("watermark"),
                "fetches": [{k: f.get(k) for k in ("fetch_id", "server", "params", "incremental",
                                                    "finished_at", "pages", "retries",
                                                    "conversations")}
                            for f in fetches[-10:]]}
        return RawSource(lambda: iter_file(path), info)
