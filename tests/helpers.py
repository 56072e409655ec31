"""Small builders for export items in tests."""

from __future__ import annotations

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
