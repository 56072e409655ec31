"""What text, if any, one export message carries.

``text`` (and VF ``speak``) messages carry ``payload.message``. Rich UI messages (``choice``,
``cardV2``, ``carousel``) become text only when asked (``rich_messages: text``). Everything else,
control messages (``launch``, ``debug*``, ``info:*``, ``end``, ``no-reply``, ``path``,
``SetRuntime``...), media and unknown types carries no training text and is counted by type.
"""

from __future__ import annotations

from typing import Any

import orjson

TEXT_TYPES = frozenset({"text", "speak"})
RICH_TYPES = frozenset({"choice", "cardV2", "carousel"})


def _message_of(payload: Any) -> str | None:
    if isinstance(payload, str):
        return payload
    if isinstance(payload, dict):
        msg = payload.get("message")
        if isinstance(msg, str):
            return msg
        if isinstance(msg, (int, float)) and not isinstance(msg, bool):
            return str(msg)
    return None


def _button_names(buttons: Any) -> list[str]:
    names = []
    for b in buttons if isinstance(buttons, list) else []:
        if isinstance(b, dict):
            name = b.get("name") or b.get("label")
            if isinstance(name, str) and name.strip():
                names.append(name.strip())
    return names


def _card_text(card: Any) -> str:
    if not isinstance(card, dict):
        return ""
    parts = []
    title = card.get("title")
    if isinstance(title, str) and title.strip():
        parts.append(title.strip())
    desc = card.get("description")
    if isinstance(desc, dict):
        desc = desc.get("text")
    if isinstance(desc, str) and desc.strip():
        parts.append(desc.strip())
    names = _button_names(card.get("buttons"))
    if names:
        parts.append("\n".join(f"- {n}" for n in names))
    return "\n".join(parts)


def render_rich(mtype: str, payload: Any) -> str:
    """A plain-text rendering of a rich message, or "" when it has no readable text."""
    if not isinstance(payload, dict):
        return ""
    if mtype == "choice":
        names = _button_names(payload.get("buttons"))
        return "\n".join(f"- {n}" for n in names)
    if mtype == "cardV2":
        return _card_text(payload)
    if mtype == "carousel":
        cards = payload.get("cards")
        return "\n\n".join(t for t in map(_card_text, cards if isinstance(cards, list) else []) if t)
    return ""


def unwrap_ui_json(text: str) -> str:
    """A UI-Engine reply whose JSON failed to parse upstream lands in ``message`` as raw JSON
    (convocore-api.md §4 #10). Keep its text parts; leave any other text alone."""
    s = text.strip()
    if not (s.startswith("[") and s.endswith("]") and '"type"' in s):
        return text
    try:
        items = orjson.loads(s)
    except orjson.JSONDecodeError:
        return text
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) and "type" in i for i in items):
        return text
    parts = [m for i in items if i.get("type") in TEXT_TYPES and (m := _message_of(i.get("payload")))]
    return "\n\n".join(parts)


def message_text(mtype: str, payload: Any, *, rich: bool) -> str | None:
    """Text of a message, or ``None`` when its type carries no training text."""
    if mtype in TEXT_TYPES:
        if mtype == "speak" and isinstance(payload, dict) and payload.get("type") == "audio":
            return None
        msg = _message_of(payload)
        return unwrap_ui_json(msg) if msg is not None else ""
    if mtype in RICH_TYPES and rich:
        return render_rich(mtype, payload)
    return None
