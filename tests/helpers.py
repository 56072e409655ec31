"""Small builders for export items in tests, and a reader of what a build wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


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
