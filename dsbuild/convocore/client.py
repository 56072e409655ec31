"""HTTP client for ``GET /v3/agents/{agentId}/convos/export`` (convocore-api.md §2).

One call, :meth:`ConvocoreClient.download_page`, streams one export page to a file and returns
its items and pagination fields; :func:`next_cursor` decides whether to ask for another page.
The cache (:mod:`dsbuild.convocore.cache`) owns where pages live; :mod:`dsbuild.convocore.fetch`
drives the loop.

Errors are :class:`ConvocoreApiError` (a :class:`~dsbuild.errors.RemoteError`, exit 4), built
from a response with :meth:`ConvocoreApiError.from_response`: one line with the server's
``message``, ``code`` and ``issues`` and what to do. The API key is sent only in the
``Authorization`` header and is redacted from anything the server echoes back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson

from dsbuild import __version__
from dsbuild.config import check_api_base
from dsbuild.convocore.retry import (
    RetryPolicy,
    RetryState,
    is_quota_message,
    parse_retry_after,
    retryable_status,
)
from dsbuild.errors import RemoteError, UsageError
from dsbuild.jsonio import loads as loads_json

if TYPE_CHECKING:
    import httpx  # imported where a request is made: a build from a file never loads it

REGIONS = {"eu": "https://eu-gcp-api.vg-stuff.com/v3", "na": "https://na-gcp-api.vg-stuff.com/v3"}
USER_AGENT = f"dsbuild/{__version__}"
_ERROR_BODY_LIMIT = 64 * 1024
_CHUNK = 64 * 1024


def api_base_for(region: str, api_base: str | None = None) -> str:
    """The API root (ending in ``/v3``): ``api_base`` when given, else the region's server."""
    if api_base:
        return check_api_base(api_base)
    if region not in REGIONS:
        raise UsageError(f"--region {region!r}: expected one of {', '.join(REGIONS)}")
    return REGIONS[region]


@dataclass(frozen=True)
class ExportQuery:
    """What to ask for. Timestamps are Unix seconds, inclusive, filtering ``metadata.convo.ts``."""

    since: int | None = None
    until: int | None = None
    limit: int | None = None  # conversations per page; None: let the server decide

    def params(self, cursor: str | None) -> httpx.QueryParams:
        import httpx

        p: list[tuple[str, str | int | float | bool | None]] = [("format", "json")]
        if self.limit:
            p.append(("limit", str(self.limit)))
        if self.since is not None:
            p.append(("fromTs", str(self.since)))
        if self.until is not None:
            p.append(("toTs", str(self.until)))
        if cursor is not None:
            p.append(("cursor", cursor))
        return httpx.QueryParams(p)

    def as_dict(self) -> dict[str, Any]:
        return {"format": "json", "limit": self.limit, "fromTs": self.since, "toTs": self.until}


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
    has_more: bool | None
    nbytes: int
    sha256: str


class ConvocoreApiError(RemoteError):
    """The Convocore API refused or failed. ``retryable`` marks transient failures."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 retryable: bool = False, retry_after: float | None = None):
        super().__init__(" ".join(message.split()))
        self.status = status
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after

    @classmethod
    def from_response(cls, response: httpx.Response, body: bytes, *, agent: str,
                      secret: str = "", region: str | None = None) -> ConvocoreApiError:
        status = response.status_code
        doc = _json_or_none(body)
        if isinstance(doc, dict):
            message = _redact(str(doc.get("message") or doc.get("error") or ""), secret)
            code = doc.get("code") if isinstance(doc.get("code"), str) else None
            issues = _issues_text(doc.get("issues"), secret)
        else:
            summary = _text_summary(body, response.headers.get("content-type", ""))
            message, code, issues = _redact(summary, secret), None, ""
        quota = is_quota_message(message, code)
        retryable = retryable_status(status) and not quota
        detail = f"HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
        if issues:
            detail += f" ({issues})"
        verb = "failed on" if status >= 500 else "refused"
        what = f"Convocore API {verb} the export of agent {agent!r}: {detail}"
        if status == 401:
            hint = "check CONVOCORE_API_KEY (a workspace secret, or this agent's own secret)"
        elif quota:
            hint = ("the export quota or plan does not allow this export; not retried because"
                    " exports are billed. Check the workspace plan and quota, or rebuild from the"
                    " cached export with --from-cache")
        elif status == 403:
            hint = f"the key has no access to agent {agent!r}; use the workspace secret that owns it"
        elif status == 404:
            other = {"eu": "--region na", "na": "--region eu"}.get(region or "", "--region eu|na")
            hint = (f"check the agent id {agent!r}, and try the other region ({other});"
                    " an agent's data lives in one region")
        elif status == 400:
            hint = ("the request was rejected; if the issues name limit, lower source.page_limit"
                    " (0 asks for everything at once)")
        elif retryable:
            hint = ""  # the retry loop says how often it tried
        else:
            hint = "unexpected answer; rerun with --debug for details"
        return cls(f"{what}; {hint}" if hint else what, status=status, code=code,
                   retryable=retryable, retry_after=parse_retry_after(response.headers.get("retry-after")))


def _json_or_none(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def _issues_text(issues: Any, secret: str) -> str:
    if not isinstance(issues, list) or not issues:
        return ""
    parts = []
    for issue in issues[:5]:
        if isinstance(issue, dict):
            path = issue.get("path")
            where = ".".join(map(str, path)) if isinstance(path, list) and path else ""
            msg = str(issue.get("message") or "")
            parts.append(f"{where}: {msg}" if where else msg)
        else:
            parts.append(str(issue))
    more = f"; +{len(issues) - 5} more" if len(issues) > 5 else ""
    return _redact("issues: " + "; ".join(parts) + more, secret)


def _text_summary(body: bytes, content_type: str) -> str:
    text = body[:4096].decode("utf-8", errors="replace")
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        words = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
        return f"an HTML page, not JSON ({' '.join(words.split())[:120]!r})"
    text = " ".join(text.split())
    return f"a non-JSON body ({text[:120]!r})" if text else "an empty body"


def _redact(text: str, secret: str) -> str:
    return text.replace(secret, "<CONVOCORE_API_KEY>") if secret and len(secret) >= 4 else text


def parse_page(body: bytes, *, agent: str, where: str,
               secret: str = "") -> tuple[list[Any], str | None, bool | None]:
    """Items, ``nextCursor`` and ``hasMore`` of one 200 response body."""
    stripped = body.lstrip()
    if not stripped:
        raise ConvocoreApiError(f"{where}: the server sent an empty body for agent {agent!r}",
                                retryable=True)
    if stripped[:1] not in (b"{", b"["):
        raise ConvocoreApiError(
            f"{where}: the server answered with {_redact(_text_summary(body, ''), secret)}"
            " instead of the JSON export; check that --api-base points at the Convocore API (ending in /v3)")
    try:
        doc = loads_json(body)
    except ValueError:
        raise ConvocoreApiError(f"{where}: the response body was cut off or is not valid"
                                " JSON", retryable=True) from None
    if isinstance(doc, list):
        return doc, None, None
    if not isinstance(doc, dict):
        raise ConvocoreApiError(f"{where}: expected a JSON object, got {type(doc).__name__}")
    message = _redact(str(doc.get("message") or "no message")[:200], secret)
    if doc.get("success") is False:
        raise ConvocoreApiError(f"{where}: the server reported failure: {message}")
    if "data" not in doc:
        raise ConvocoreApiError(f"{where}: the answer has no 'data' ({message}); expected the"
                                " export envelope {success, message, data}")
    data = doc.get("data")
    if isinstance(data, str):
        raise ConvocoreApiError(
            f"{where}: the export's 'data' is a string (CSV), not conversations; dsbuild asks for"
            " format=json, so the server ignored it. Export as JSON and use --input FILE")
    if data is None:
        items: list[Any] = []
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        raise ConvocoreApiError(f"{where}: the export's 'data' is a {type(data).__name__},"
                                " expected a list of conversations")
    # Top level, as the MCP client reads them; a nested "pagination" object as a fallback.
    pagination = doc.get("pagination")
    nested: dict[str, Any] = pagination if isinstance(pagination, dict) else {}
    cursor = doc.get("nextCursor", nested.get("nextCursor"))
    if isinstance(cursor, int) and not isinstance(cursor, bool):
        cursor = str(cursor)  # an offset-like cursor; sent back as text anyway
    has_more = doc.get("hasMore", nested.get("hasMore"))
    return (items, cursor if isinstance(cursor, str) and cursor else None,
            has_more if isinstance(has_more, bool) else None)


def next_cursor(page: Page, seen: Iterable[str | None]) -> tuple[str | None, str]:
    """The cursor of the next page, or None and why pagination stops."""
    if page.has_more is False:
        return None, "no_more"
    if page.next_cursor is None:
        return None, "no_more" if page.has_more is None else "has_more_without_cursor"
    if page.next_cursor in set(seen):
        return None, "repeated_cursor"
    return page.next_cursor, ""


class ConvocoreClient:
    """An httpx client bound to one API root and key, with retries."""

    def __init__(self, api_base: str, api_key: str, *, connect_timeout: float = 10.0,
                 read_timeout: float = 300.0, retry: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None):
        api_key = api_key.strip()
        if not api_key:
            raise UsageError("CONVOCORE_API_KEY is not set; export your Convocore workspace"
                             " secret in the environment (never pass it as a flag)")
        if not re.fullmatch(r"[\x21-\x7e]+", api_key):
            # Checked here because httpx/h11 would put the bad header value in its error text.
            raise UsageError("CONVOCORE_API_KEY contains spaces, control or non-ASCII characters;"
                             " check how it was copied")
        self.api_base = api_base.rstrip("/")
        self.region = next((r for r, url in REGIONS.items() if url == self.api_base), None)
        self._secret = api_key
        self.retry = retry or RetryPolicy()
        import httpx

        self._http = httpx.Client(
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=30.0,
                                  pool=connect_timeout),
            headers={"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT,
                     "Accept": "application/json"},
            transport=transport, follow_redirects=False)
        self.read_timeout = read_timeout
        self.retries = 0  # transient failures retried so far, for the fetch index
        self.on_retry: Callable[[ConvocoreApiError, float], None] | None = None

    def __enter__(self) -> ConvocoreClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def export_url(self, agent: str) -> str:
        return f"{self.api_base}/agents/{quote(agent, safe='')}/convos/export"

    def download_page(self, agent: str, query: ExportQuery, cursor: str | None, dest: Path,
                      on_bytes: Callable[[int], None] | None = None) -> Page:
        """Stream one export page into ``dest`` (overwritten on each attempt) and parse it."""
        import httpx

        state = RetryState(self.retry)
        where = f"{self.api_base} agent {agent!r}" + (" (next page)" if cursor else "")
        while True:
            state.attempt += 1
            try:
                return self._attempt(agent, query, cursor, dest, on_bytes, where)
            except ConvocoreApiError as exc:
                if not exc.retryable:
                    raise
                problem, retry_after = exc, exc.retry_after
            except httpx.TransportError as exc:
                problem, retry_after = self._transport_error(exc, where), None
            wait = state.next_wait(retry_after)
            if wait is None:
                raise ConvocoreApiError(f"{problem}; {state.gave_up_reason}; try again later",
                                        status=problem.status, code=problem.code) from problem
            self.retries += 1
            if self.on_retry:
                self.on_retry(problem, wait)
            state.wait(wait)

    def _attempt(self, agent: str, query: ExportQuery, cursor: str | None, dest: Path,
                 on_bytes: Callable[[int], None] | None, where: str) -> Page:
        digest = hashlib.sha256()
        nbytes = 0
        with self._http.stream("GET", self.export_url(agent), params=query.params(cursor)) as r:
            if r.status_code != 200:
                raise ConvocoreApiError.from_response(r, _read_capped(r), agent=agent,
                                                      secret=self._secret, region=self.region)
            with open(dest, "wb") as f:
                for chunk in r.iter_bytes(_CHUNK):
                    f.write(chunk)
                    digest.update(chunk)
                    nbytes += len(chunk)
                    if on_bytes:
                        on_bytes(len(chunk))
        items, nxt, has_more = parse_page(dest.read_bytes(), agent=agent, where=where,
                                          secret=self._secret)
        return Page(items, nxt, has_more, nbytes, digest.hexdigest())

    def _transport_error(self, exc: httpx.TransportError, where: str) -> ConvocoreApiError:
        import httpx

        if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
            what = (f"{where}: cannot connect ({type(exc).__name__}); check --region/--api-base"
                    " and the network")
        elif isinstance(exc, httpx.ReadTimeout):
            what = (f"{where}: no data within the {self.read_timeout:g}s read timeout (large"
                    " exports take long to produce: raise source.read_timeout)")
        elif isinstance(exc, httpx.TimeoutException):
            what = f"{where}: timed out ({type(exc).__name__})"
        else:
            what = f"{where}: the connection dropped mid-response ({type(exc).__name__})"
        return ConvocoreApiError(_redact(what, self._secret), retryable=True)


def _read_capped(r: httpx.Response) -> bytes:
    buf = bytearray()
    for chunk in r.iter_bytes(_CHUNK):
        buf += chunk
        if len(buf) >= _ERROR_BODY_LIMIT:
            break
    return bytes(buf)
