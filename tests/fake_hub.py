"""A small Hugging Face Hub serving real HTTP on 127.0.0.1, for push tests.

It implements the endpoints ``huggingface_hub`` calls to create a dataset repo and commit to it:
``POST /api/repos/create``, ``GET /api/whoami-v2``, ``GET /api/datasets/{repo}[/revision/{rev}]``,
``POST /api/datasets/{repo}/branch/{branch}``, ``GET /api/datasets/{repo}/tree/{rev}``,
``POST /api/validate-yaml``,
``POST /api/datasets/{repo}/preupload/{rev}``, ``POST /api/datasets/{repo}/commit/{rev}`` (NDJSON)
and ``GET /datasets/{repo}/resolve/{rev}/{path}``.

Large and binary files: by default the preupload answer says ``regular`` for every file (a valid
answer of the protocol), so contents arrive inline (base64) in the commit. With ``lfs_suffixes``
set, matching files get ``lfs`` as on the real Hub, and the basic LFS flow is served (batch
endpoint, PUT to a "presigned" URL, ``lfsFile`` in the commit). What is NOT served is Xet, the
chunked content-addressed storage huggingface_hub uses for LFS files when ``hf_xet`` is installed
(it is, as a dependency): clients must run with ``HF_HUB_DISABLE_XET=1`` to take the LFS path.

Every request is recorded (method, path, query, and whether it carried the expected token) so
tests can assert what the client sent; tokens themselves are not recorded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

USER = "tester"


@dataclass
class Commit:
    oid: str
    revision: str
    summary: str
    description: str
    pr: int | None
    files: dict[str, bytes]
    deleted: list[str]


@dataclass
class Repo:
    repo_id: str
    private: bool
    branches: dict[str, dict[str, bytes]] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)
    prs: dict[int, dict[str, bytes]] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)  # branch -> commit oid
    snapshots: dict[str, dict[str, bytes]] = field(default_factory=dict)  # oid -> files

    def tree(self, rev: str) -> dict[str, bytes] | None:
        """Files at a branch name or a commit oid."""
        return self.branches.get(rev, self.snapshots.get(rev))

    def head(self, rev: str) -> str:
        return self.heads.get(rev, rev if rev in self.snapshots else "0" * 40)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    authorized: bool
    body: Any = None


class FakeHub:
    def __init__(self, token: str = "hf_fake_valid_token") -> None:
        self.token = token
        self.repos: dict[str, Repo] = {}
        self.requests: list[Request] = []
        self.fail: dict[str, int] = {}  # endpoint name -> HTTP status to answer with
        # Paths ending with these get uploadMode "lfs" (the real Hub: binary files such as parquet),
        # then the LFS batch + PUT flow; clients must run with HF_HUB_DISABLE_XET=1 (Xet is not served).
        self.lfs_suffixes: tuple[str, ...] = ()
        self.lfs_objects: dict[str, bytes] = {}  # sha256 -> content
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_repo(self, repo_id: str, private: bool, files: dict[str, bytes] | None = None) -> Repo:
        repo = Repo(repo_id, private, {"main": {".gitattributes": b"*.parquet filter=lfs\n"}})
        repo.branches["main"].update(files or {})
        self.repos[repo_id] = repo
        return repo

    def calls(self, name: str) -> list[Request]:
        return [r for r in self.requests if _endpoint_name(r.method, r.path) == name]


def _endpoint_name(method: str, path: str) -> str:
    parts = path.strip("/").split("/")
    if path == "/api/repos/create":
        return "create"
    if path == "/api/whoami-v2":
        return "whoami"
    if path == "/api/validate-yaml":
        return "validate-yaml"
    if parts[:2] == ["api", "datasets"] and len(parts) >= 5 and parts[4] in (
            "preupload", "commit", "branch", "tree"):
        return parts[4]
    if parts[:2] == ["api", "datasets"]:
        return "info"
    if parts[0] == "datasets" and "resolve" in parts:
        return "resolve"
    if parts[0] == "datasets" and path.endswith(".git/info/lfs/objects/batch"):
        return "lfs-batch"
    return "unknown"


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        # -- plumbing ------------------------------------------------------------------------
        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while (size := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _send(self, status: int, payload: Any = None, raw: bytes | None = None,
                  headers: dict[str, str] | None = None) -> None:
            data = raw if raw is not None else json.dumps(payload or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if raw is None else
                             "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _error(self, status: int, message: str, code: str | None = None) -> None:
            self._send(status, {"error": message},
                       headers={"X-Error-Code": code, "X-Error-Message": message} if code else
                       {"X-Error-Message": message})

        def _route(self) -> None:
            split = urlsplit(self.path)
            path, query = unquote(split.path), parse_qs(split.query)
            body = self._body() if self.command in ("POST", "PUT") else b""
            authorized = self.headers.get("Authorization") == f"Bearer {hub.token}"
            name = _endpoint_name(self.command, path)
            if path == "/api/agent-harnesses":  # huggingface_hub's public telemetry registry
                return self._send(200, {})
            if path.startswith("/lfs-storage/"):  # a presigned storage URL: no Authorization
                return self._lfs_put(path.rsplit("/", 1)[1], body)
            with hub._lock:
                hub.requests.append(Request(self.command, path, query, authorized,
                                            _decode(body, self.headers.get("Content-Type"))))
                if not authorized:
                    return self._error(401, "Invalid credentials in Authorization header")
                if name in hub.fail:
                    return self._error(hub.fail[name], f"fake hub: {name} fails on purpose")
                getattr(self, f"_do_{name.replace('-', '_')}")(path, query, body)

        do_GET = do_POST = do_HEAD = do_PUT = _route

        def _repo(self, path: str) -> tuple[Repo | None, list[str]]:
            parts = path.strip("/").split("/")
            repo_id = "/".join(parts[2:4])
            return hub.repos.get(repo_id), parts[4:]

        # -- endpoints -----------------------------------------------------------------------
        def _do_unknown(self, path: str, query: Any, body: bytes) -> None:
            self._error(404, f"fake hub: no route for {self.command} {path}")

        def _do_whoami(self, path: str, query: Any, body: bytes) -> None:
            self._send(200, {"type": "user", "name": USER, "orgs": [],
                             "auth": {"type": "access_token",
                                      "accessToken": {"displayName": "t", "role": "write"}}})

        def _do_create(self, path: str, query: Any, body: bytes) -> None:
            req = json.loads(body)
            repo_id = f"{req.get('organization') or USER}/{req['name']}"
            if req.get("type") != "dataset":
                return self._error(400, "fake hub only serves dataset repos")
            if repo_id in hub.repos:  # the Hub's 409 names the existing repo's url
                return self._send(409, {"error": "You already created this dataset repo",
                                        "url": f"{hub.url}/datasets/{repo_id}"})
            hub.add_repo(repo_id, req.get("visibility", "public") != "public")
            self._send(200, {"url": f"{hub.url}/datasets/{repo_id}", "name": repo_id,
                             "id": repo_id})

        def _do_info(self, path: str, query: Any, body: bytes) -> None:
            repo, rest = self._repo(path)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            rev = "/".join(rest[1:]) if rest[:1] == ["revision"] and len(rest) > 1 else "main"
            files = repo.tree(rev)
            if files is None:
                return self._error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
            sha = repo.head(rev)
            self._send(200, {"_id": repo.repo_id, "id": repo.repo_id, "private": repo.private,
                             "sha": sha, "author": repo.repo_id.split("/")[0],
                             "siblings": [{"rfilename": f} for f in sorted(files)],
                             "tags": [], "downloads": 0, "likes": 0})

        def _do_branch(self, path: str, query: Any, body: bytes) -> None:
            repo, rest = self._repo(path)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            branch = "/".join(rest[1:])
            if branch in repo.branches:
                return self._error(409, "Reference already exists")
            repo.branches[branch] = dict(repo.branches["main"])
            self._send(200, {})

        def _do_validate_yaml(self, path: str, query: Any, body: bytes) -> None:
            self._send(200, {"errors": [], "warnings": []})

        def _do_preupload(self, path: str, query: Any, body: bytes) -> None:
            repo, _ = self._repo(path)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            files = json.loads(body)["files"]
            self._send(200, {"files": [
                {"path": f["path"], "shouldIgnore": False, "oid": None,
                 "uploadMode": "lfs" if hub.lfs_suffixes and f["path"].endswith(hub.lfs_suffixes)
                 else "regular"} for f in files]})

        def _do_lfs_batch(self, path: str, query: Any, body: bytes) -> None:
            req = json.loads(body)
            if req.get("operation") != "upload" or "basic" not in req.get("transfers", []):
                return self._error(400, "fake hub: only basic LFS uploads are served")
            objects = []
            for o in req["objects"]:
                obj: dict[str, Any] = {"oid": o["oid"], "size": o["size"], "authenticated": True}
                if o["oid"] not in hub.lfs_objects:
                    obj["actions"] = {"upload": {"href": f"{hub.url}/lfs-storage/{o['oid']}"}}
                objects.append(obj)
            self._send(200, {"transfer": "basic", "objects": objects})

        def _lfs_put(self, oid: str, body: bytes) -> None:
            if self.command != "PUT" or hashlib.sha256(body).hexdigest() != oid:
                return self._error(400, "fake hub: LFS object does not match its oid")
            with hub._lock:
                hub.lfs_objects[oid] = body
            self._send(200, {})

        def _do_commit(self, path: str, query: Any, body: bytes) -> None:
            repo, rest = self._repo(path)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            rev = "/".join(rest[1:]) or "main"
            if rev not in repo.branches:
                return self._error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            header = next(x["value"] for x in lines if x["key"] == "header")
            added = {x["value"]["path"]: base64.b64decode(x["value"]["content"])
                     for x in lines if x["key"] == "file"}
            for x in lines:
                if x["key"] == "lfsFile":
                    if x["value"]["oid"] not in hub.lfs_objects:
                        return self._error(422, f"LFS object {x['value']['oid']} not uploaded")
                    added[x["value"]["path"]] = hub.lfs_objects[x["value"]["oid"]]
            deleted = [x["value"]["path"] for x in lines if x["key"] == "deletedFile"]
            tree = dict(repo.branches[rev])
            for p in deleted:
                if p not in tree:
                    return self._error(404, "A file with this name doesn't exist",
                                       "EntryNotFound")
                del tree[p]
            tree.update(added)
            oid = hashlib.sha1(body).hexdigest()
            pr = None
            if query.get("create_pr") == ["1"]:
                pr = len(repo.prs) + 1
                repo.prs[pr] = tree
            else:
                repo.branches[rev] = tree
                repo.heads[rev] = oid
            repo.snapshots[oid] = tree
            repo.commits.append(Commit(oid, rev, header["summary"], header.get("description", ""),
                                       pr, added, deleted))
            base = f"{hub.url}/datasets/{repo.repo_id}"
            self._send(200, {"commitUrl": f"{base}/commit/{oid}", "commitOid": oid,
                             "success": True,
                             "pullRequestUrl": f"{base}/discussions/{pr}" if pr else None})

        def _do_tree(self, path: str, query: Any, body: bytes) -> None:
            repo, rest = self._repo(path)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            tree = repo.tree(rest[1]) if len(rest) > 1 else None
            if tree is None:
                return self._error(404, "Invalid rev id", "RevisionNotFound")
            prefix = "/".join(rest[2:])
            entries = [{"type": "file", "path": f, "size": len(d),
                        "oid": hashlib.sha1(d).hexdigest()}
                       for f, d in sorted(tree.items()) if f.startswith(prefix)]
            self._send(200, entries)

        def _do_resolve(self, path: str, query: Any, body: bytes) -> None:
            parts = path.strip("/").split("/")
            repo = hub.repos.get("/".join(parts[1:3]))
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            rev, file = parts[4], "/".join(parts[5:])
            tree = repo.tree(rev)
            if tree is None:
                return self._error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
            if file not in tree:
                return self._error(404, "Entry not found", "EntryNotFound")
            data = tree[file]
            sha = repo.head(rev)
            self._send(200, raw=data, headers={"ETag": f'"{hashlib.sha1(data).hexdigest()}"',
                                                "X-Repo-Commit": sha})

    return Handler


def _decode(body: bytes, content_type: str | None) -> Any:
    if not body:
        return None
    if content_type and "ndjson" in content_type:
        return [json.loads(line) for line in body.splitlines() if line.strip()]
    try:
        return json.loads(body)
    except ValueError:
        return None
