"""Push an output directory to a Hugging Face Hub dataset repo, safely.

* Private by default. The Hub ignores ``private`` for a repo that already exists, so we say so.
* One commit: ``data/<split>.parquet`` for each non-empty split, ``manifest.json``, the card
  (merged into the remote one, see :mod:`dsbuild.sinks.card_merge`) and the charts it shows
  (``plots/*.png``). Only files of our own making are ever deleted (a split empty now but pushed
  before, a chart no longer drawn); nothing else in the repo is touched, unlike
  ``DatasetDict.push_to_hub`` which replaces everything under ``data/``.
* A build that does not record PII scrubbing is never pushed public, and warned about.
* The token comes from ``HF_TOKEN`` or the saved ``hf auth login``; it is never printed.
  ``HF_ENDPOINT`` (read by huggingface_hub at import) selects another Hub, e.g. the test fake.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from dsbuild import __version__
from dsbuild.errors import RemoteError, UsageError
from dsbuild.sinks.hub_files import SplitUpload, check_output_dir, parquet_splits
from dsbuild.sinks.layout import CARD, MANIFEST, PLOTS_DIR, SPLITS, hub_split_file

REPO_TYPE = "dataset"
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")

Warn = Callable[[str], None]


@dataclass
class PushOptions:
    repo: str
    private: bool = True
    revision: str | None = None
    create_pr: bool = False
    commit_message: str | None = None


@dataclass
class PushResult:
    repo: str
    url: str
    commit_url: str
    pr_url: str | None
    created: bool
    private: bool | None
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def resolve_token() -> str:
    """The Hub token from ``HF_TOKEN`` or the saved login; a :class:`UsageError` if there is none."""
    from huggingface_hub import get_token

    token = get_token()
    if not token:
        raise UsageError("no Hugging Face token: set HF_TOKEN or run `hf auth login`"
                         " (a write token for the target namespace)")
    return token


def check_repo_id(repo: str) -> None:
    if not _REPO_ID.match(repo) or ".." in repo or repo.endswith((".git", ".")):
        raise UsageError(f"--repo {repo!r}: expected namespace/name, e.g. my-org/support-chats")


def push(out: Path, opts: PushOptions, *, warn: Warn = lambda _: None) -> PushResult:
    check_repo_id(opts.repo)
    check_output_dir(out)
    token = resolve_token()
    check_pii(out, opts, warn)
    try:
        return _push(out, opts, token, warn)
    except _remote_errors() as exc:
        raise _remote_error(exc, opts.repo) from exc


def _push(out: Path, opts: PushOptions, token: str, warn: Warn) -> PushResult:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
    from huggingface_hub.errors import RepositoryNotFoundError

    from dsbuild.report.plots import CHARTS, chart_file
    from dsbuild.sinks.card_merge import merge_card  # imports huggingface_hub: only when pushing

    # Convert first: a bad output must fail before anything is created on the Hub.
    with parquet_splits(out) as uploads:
        api = HfApi(token=token)
        try:
            info = api.repo_info(opts.repo, repo_type=REPO_TYPE)
            existed = True
        except RepositoryNotFoundError:
            info, existed = None, False
        if existed:
            _check_existing(opts, getattr(info, "private", None), warn)
        url = api.create_repo(opts.repo, repo_type=REPO_TYPE, private=opts.private, exist_ok=True)
        if opts.revision and not opts.revision.startswith("refs/pr/") and not opts.create_pr:
            api.create_branch(opts.repo, branch=opts.revision, repo_type=REPO_TYPE, exist_ok=True)

        base = opts.revision or "main"
        siblings = getattr(api.repo_info(opts.repo, repo_type=REPO_TYPE, revision=base),
                           "siblings", None) if existed else None
        remote_files = {f.rfilename for f in siblings or []}
        remote_card = _remote_card(api, opts.repo, base) if CARD in remote_files else None

        data_files = {u.split: u.path_in_repo for u in uploads}
        card = merge_card(_local_card(out, data_files), remote_card, data_files)
        ops: list[Any] = [CommitOperationAdd(u.path_in_repo, str(u.local)) for u in uploads]
        ops.append(CommitOperationAdd(MANIFEST, str(out / MANIFEST)))
        ops.append(CommitOperationAdd(CARD, card.encode()))
        plots = plot_files(out)
        ops += [CommitOperationAdd(p, str(out / p)) for p in plots]
        # Only files of our own making are deleted: a split empty in this build, a chart not drawn.
        ours = {hub_split_file(s) for s in SPLITS} | {f"{PLOTS_DIR}/{chart_file(k)}" for k in CHARTS}
        stale = (ours & remote_files) - set(data_files.values()) - set(plots)
        ops += [CommitOperationDelete(p) for p in sorted(stale)]
        commit = api.create_commit(
            opts.repo, ops, repo_type=REPO_TYPE, revision=opts.revision, create_pr=opts.create_pr,
            commit_message=opts.commit_message or f"Upload dataset (dsbuild {__version__})")
    return PushResult(repo=opts.repo, url=str(url), commit_url=commit.commit_url,
                      pr_url=commit.pr_url, created=not existed,
                      private=opts.private if not existed else getattr(info, "private", None),
                      files=[u.path_in_repo for u in uploads] + [MANIFEST, CARD, *plots],
                      rows=_rows(uploads))


def check_pii(out: Path, opts: PushOptions, warn: Warn) -> None:
    """Refuse a public push of a build that does not record PII scrubbing; warn for a private one."""
    from dsbuild.report.dataset_stats import PII_SCRUBBED, pii_report

    status, _ = pii_report(orjson.loads((out / MANIFEST).read_bytes()))
    if status == PII_SCRUBBED:
        return
    what = "PII scrubbing was switched off" if status == "disabled" else "no PII scrubbing is recorded"
    if not opts.private:
        raise UsageError(f"{out}: {what} for this build; refusing a PUBLIC push of customer"
                         " conversations (rebuild with PII scrubbing on)")
    warn(f"{what} for this build; it goes to a private repo, review it before sharing")


def plot_files(out: Path) -> list[str]:
    """The card's charts (``plots/*.png``), as repo paths."""
    d = out / PLOTS_DIR
    return sorted(f"{PLOTS_DIR}/{p.name}" for p in d.glob("*.png")) if d.is_dir() else []


def _check_existing(opts: PushOptions, private: bool | None, warn: Warn) -> None:
    if private is False and opts.private:
        # The Hub would ignore private=True and we would publish customer conversations.
        raise UsageError(f"{opts.repo} already exists and is PUBLIC; pass --public to push to it"
                         " anyway, or make it private on the Hub first")
    vis = {True: "private", False: "public", None: "visibility unknown"}[private]
    warn(f"{opts.repo} already exists ({vis}); the Hub ignores the visibility flag for an existing"
         " repo; adding a commit to it")


def _rows(uploads: list[SplitUpload]) -> dict[str, int]:
    return {u.split: u.rows for u in uploads}


def _local_card(out: Path, data_files: dict[str, str]) -> str:
    if (out / CARD).exists():
        return (out / CARD).read_text(encoding="utf-8")
    from dsbuild.sinks.card_merge import fallback_card

    agent = orjson.loads((out / MANIFEST).read_bytes()).get("agent")
    return fallback_card(agent, data_files)


def _remote_card(api: object, repo: str, revision: str) -> str | None:
    """The remote README.md, fetched directly (not through the download cache)."""
    from huggingface_hub import constants, hf_hub_url
    from huggingface_hub.utils import (  # type: ignore[attr-defined]
        build_hf_headers,
        get_session,
        hf_raise_for_status,
    )

    url = hf_hub_url(repo, CARD, repo_type=REPO_TYPE, revision=revision,
                     endpoint=constants.ENDPOINT)
    r = get_session().get(url, headers=build_hf_headers(token=api.token),  # type: ignore[attr-defined]
                          follow_redirects=True)
    if r.status_code == 404:
        return None
    hf_raise_for_status(r)
    return r.content.decode("utf-8")


def _remote_errors() -> tuple[type[Exception], ...]:
    """HTTP status errors and transport errors (huggingface_hub's HTTP client varies by version)."""
    from huggingface_hub.errors import HfHubHTTPError

    errors: list[type[Exception]] = [HfHubHTTPError, OSError]
    for module in ("httpx2", "httpx"):
        try:
            errors.append(importlib.import_module(module).HTTPError)
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


def _remote_error(exc: Exception, repo: str) -> RemoteError:
    from huggingface_hub.errors import HfHubHTTPError

    if isinstance(exc, HfHubHTTPError) and exc.response is not None:
        code = exc.response.status_code
        hint = {401: "the token was rejected; check HF_TOKEN or `hf auth login`",
                403: "the token may not write to this namespace (needs a write token)",
                404: "repo or revision not found (or the token cannot see it)"}.get(code, "")
        server = (exc.server_message or "").strip().splitlines()
        detail = hint or (server[0][:200] if server else type(exc).__name__)
        return RemoteError(f"Hub push to {repo} failed: HTTP {code}: {detail}")
    name = type(exc).__name__
    if "Connect" in name or "Timeout" in name or isinstance(exc, OSError):
        from huggingface_hub import constants
        return RemoteError(f"Hub push to {repo} failed: cannot reach {constants.ENDPOINT} ({name})")
    return RemoteError(f"Hub push to {repo} failed: {name}: {str(exc).splitlines()[0][:200]}")
