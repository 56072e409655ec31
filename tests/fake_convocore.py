"""A fake Convocore V3 export API serving real HTTP on 127.0.0.1 (convocore-api.md §2, §5).

It follows the documented shapes (and the undocumented cursor parameters as the MCP client
uses them), independent of dsbuild's own code:

* ``GET /v3/agents/{agentId}/convos/export?format=json|csv`` with ``Authorization: Bearer KEY``;
  success envelope ``{success, message, data}``; errors ``{message, code, issues?}``, always JSON
  (except the injected gateway page).
* Pagination (default on): ``limit`` + opaque ``cursor`` → top-level ``nextCursor``/``hasMore``;
  without ``limit``, or with ``paginate=False`` (legacy), everything in one envelope.
* ``fromTs``/``toTs`` (inclusive, Unix seconds) filter on ``metadata.convo.ts`` (v2: ``metadata.ts``).
* Faults, consumed one per export request: ``faults`` (any request) or ``page_faults[n]`` (the
  request for page n): ``429``, ``429:SECONDS`` / ``429:date`` (with ``Retry-After``), ``500``
  (JSON), ``502`` (HTML), ``slow`` (sleeps ``slow_seconds`` first), ``cutoff`` (body cut
  mid-stream), ``quota`` (403), ``quota429``, ``html200``, ``csv``.
* Pagination anomalies: ``cursor_anomaly`` = ``repeat`` | ``no_cursor`` | ``overlap`` |
  ``nested`` (fields in a ``pagination`` object) | ``silent`` (pages, but no fields); bumping
  ``cursor_generation`` expires the cursors handed out so far (400 "Invalid cursor").

By hand::

    python -m tests.fake_convocore --port 8080 --export dsbuild/samples/demo_export.json
    CONVOCORE_API_KEY=test-key dsbuild make --agent demo --api-base http://127.0.0.1:8080/v3
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

_EXPORT = re.compile(r"^/v3/agents/([^/]+)/convos/export$")


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    user_agent: str | None
    status: int = 0


@dataclass
class FakeConvocore:
    conversations: list[Any]
    agents: tuple[str, ...] = ("agent7",)
    api_key: str = "test-key"
    paginate: bool = True
    max_limit: int | None = None
    cursor_anomaly: str | None = None
    slow_seconds: float = 2.0
    cursor_generation: int = 0  # bump to expire every cursor handed out so far
    faults: list[str] = field(default_factory=list)
    page_faults: dict[int, list[str]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        server.daemon_threads = True
        server.block_on_close = False
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self.base_url

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v3"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeConvocore:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers for tests ---------------------------------------------------------------------
    def export_requests(self) -> list[Request]:
        return [r for r in self.requests if _EXPORT.match(r.path)]

    def _take_fault(self, page: int) -> str | None:
        with self._lock:
            queue = self.page_faults.get(page)
            if queue:
                return queue.pop(0)
            return self.faults.pop(0) if self.faults else None

    # -- the API -------------------------------------------------------------------------------
    def respond(self, req: Request) -> tuple[int, dict[str, str], bytes, str | None]:
        """(status, headers, body, fault) for one request."""
        m = _EXPORT.match(req.path)
        if not m:
            return _error(404, "NOT_FOUND", f"No procedure found on path {req.path!r}")
        if req.authorization != f"Bearer {self.api_key}":
            return _error(401, "UNAUTHORIZED", "Invalid or missing API key")
        if m.group(1) not in self.agents:
            return _error(404, "NOT_FOUND", "Agent not found")
        q = {k: v[0] for k, v in req.query.items()}  # trpc-openapi keeps the first value
        issues = []
        fmt = q.get("format", "json")
        if fmt not in ("json", "csv"):
            issues.append(_issue(["format"], "invalid_enum_value",
                                 f"Invalid enum value. Expected 'csv' | 'json', received '{fmt}'"))
        nums: dict[str, int] = {}
        for name in ("limit", "fromTs", "toTs"):
            if name in q:
                try:
                    nums[name] = int(float(q[name]))
                except ValueError:
                    issues.append(_issue([name], "invalid_type", "Expected number, received nan"))
        if "limit" in nums and (nums["limit"] < 1 or (self.max_limit and nums["limit"] > self.max_limit)):
            issues.append(_issue(["limit"], "too_big",
                                 f"Number must be between 1 and {self.max_limit or 'inf'}"))
        offset = 0
        if self.paginate and "cursor" in q:
            try:
                decoded = json.loads(base64.urlsafe_b64decode(q["cursor"].encode()))
                if decoded["g"] != self.cursor_generation:
                    raise ValueError("expired")
                offset = int(decoded["o"])
            except (ValueError, KeyError, TypeError):
                issues.append(_issue(["cursor"], "custom", "Invalid cursor"))
        if issues:
            return _error(400, "BAD_REQUEST", "Input validation failed", issues)

        rows = [c for c in self.conversations if _in_window(c, nums.get("fromTs"), nums.get("toTs"))]
        limit = nums.get("limit") if self.paginate else None
        page_no = offset // limit + 1 if limit else 1
        fault = self._take_fault(page_no)
        if fault == "quota":
            return _error(403, "FORBIDDEN", "Monthly export quota exceeded for this workspace;"
                          " upgrade your plan")
        if fault == "quota429":
            return _error(429, "TOO_MANY_REQUESTS", "Monthly export quota exceeded")
        if fault and fault.startswith("429"):
            headers = {}
            arg = fault.partition(":")[2]
            if arg == "date":
                headers["Retry-After"] = formatdate(time.time() + 2, usegmt=True)
            elif arg:
                headers["Retry-After"] = arg
            status, h, body, _ = _error(429, "TOO_MANY_REQUESTS", "Rate limit exceeded")
            return status, {**h, **headers}, body, fault
        if fault == "500":
            return (*_error(500, "INTERNAL_SERVER_ERROR", "Something went wrong")[:3], fault)
        if fault == "502":
            return 502, {"Content-Type": "text/html"}, (
                b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad"
                b" Gateway</h1></center><hr><center>nginx</center></body></html>"), fault
        if fault == "html200":
            return 200, {"Content-Type": "text/html"}, b"<!doctype html><title>Sign in</title>", fault

        env: dict[str, Any] = {"success": True, "message": "Conversations exported successfully"}
        if limit:
            chunk = rows[offset:offset + limit]
            step = limit - 1 if self.cursor_anomaly == "overlap" and limit > 1 else limit
            nxt = offset + step
            has_more = nxt < len(rows) and offset + limit < len(rows)
            if self.cursor_anomaly == "repeat" and has_more:
                nxt = limit  # always "page 2": the client must notice the loop
            env["data"] = chunk
            env["hasMore"] = has_more
            if has_more and self.cursor_anomaly != "no_cursor":
                env["nextCursor"] = _cursor(nxt, self.cursor_generation)
            if self.cursor_anomaly == "nested":
                env["pagination"] = {k: env.pop(k) for k in ("hasMore", "nextCursor") if k in env}
            elif self.cursor_anomaly == "silent":
                del env["hasMore"]
                env.pop("nextCursor", None)
        else:
            env["data"] = rows
        if fmt == "csv" or fault == "csv":
            env["data"] = "convo_id,ts\n" + "\n".join(f"{i},0" for i in range(len(env["data"])))
        body = json.dumps(env, ensure_ascii=True).encode()  # \\udXXX escapes, as JavaScript writes
        return 200, {"Content-Type": "application/json; charset=utf-8"}, body, fault


def _issue(path: list[str], code: str, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "path": path}


def _error(status: int, code: str, message: str,
           issues: list[dict[str, Any]] | None = None) -> tuple[int, dict[str, str], bytes, None]:
    doc: dict[str, Any] = {"message": message, "code": code}
    if issues:
        doc["issues"] = issues
    return status, {"Content-Type": "application/json"}, json.dumps(doc).encode(), None


def _cursor(offset: int, generation: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "g": generation}).encode()).decode()


def _in_window(item: Any, lo: int | None, hi: int | None) -> bool:
    if lo is None and hi is None:
        return True
    meta = item.get("metadata") if isinstance(item, dict) else None
    if not isinstance(meta, dict):
        return False
    convo = meta.get("convo")
    ts = (convo if isinstance(convo, dict) else meta).get("ts")
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return False
    return (lo is None or ts >= lo) and (hi is None or ts <= hi)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        fake: FakeConvocore = self.server.fake  # type: ignore[attr-defined]
        split = urlsplit(self.path)
        req = Request(split.path, parse_qs(split.query, keep_blank_values=True),
                      self.headers.get("Authorization"), self.headers.get("User-Agent"))
        with fake._lock:
            fake.requests.append(req)
        status, headers, body, fault = fake.respond(req)
        req.status = status
        try:
            if fault == "slow":
                time.sleep(fake.slow_seconds)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            if fault == "cutoff":
                self.send_header("Connection", "close")
            self.end_headers()
            if fault == "cutoff":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its read timeout)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def load_items(path: Path) -> list[Any]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return doc["data"] if isinstance(doc, dict) else doc


def main() -> None:
    ap = argparse.ArgumentParser(description="Serve a fake Convocore export API on 127.0.0.1.")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--export", type=Path, required=True, help="export file whose data to serve")
    ap.add_argument("--agent", action="append", help="agent id(s) to accept [default: any]")
    ap.add_argument("--key", default="test-key", help="the bearer token to accept")
    ap.add_argument("--legacy", action="store_true", help="ignore limit/cursor: one envelope")
    ap.add_argument("--max-limit", type=int)
    ap.add_argument("--fault", action="append", default=[], help="inject a fault (repeatable)")
    args = ap.parse_args()
    fake = FakeConvocore(load_items(args.export), api_key=args.key, paginate=not args.legacy,
                         max_limit=args.max_limit, faults=list(args.fault))
    if args.agent:
        fake.agents = tuple(args.agent)
    else:
        fake.agents = _AnyAgent()  # type: ignore[assignment]
    url = fake.start(args.port)
    print(f"fake Convocore at {url} (key {args.key!r}); Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


class _AnyAgent(tuple):  # type: ignore[type-arg]
    def __contains__(self, item: object) -> bool:
        return True


if __name__ == "__main__":
    main()
