"""One raw export item → a typed :class:`Conversation`, tolerant of every known variant.

A structurally broken item raises :class:`MalformedConversation` with a short reason; the
pipeline skips and counts it. Messages that carry no text are dropped and counted by type in
``stats`` (section ``message_types_dropped``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from dsbuild.convocore.messages import RICH_TYPES, message_text
from dsbuild.convocore.vocabulary import channel, message_type, role_name
from dsbuild.counters import Tally
from dsbuild.hashing import bytes_sha256
from dsbuild.records import Conversation, Feedback, Lead, Message, Role, Turn
from dsbuild.textnorm import normalize_text
from dsbuild.timeparse import parse_ts, plausible

ROLES = {"user": Role.USER, "human": Role.USER, "bot": Role.ASSISTANT, "assistant": Role.ASSISTANT,
         "system": Role.SYSTEM}
_FEEDBACK = {"positive": Feedback.POSITIVE, "negative": Feedback.NEGATIVE, "unset": Feedback.UNSET,
             "true": Feedback.POSITIVE, "false": Feedback.NEGATIVE, "": Feedback.UNSET,
             "none": Feedback.UNSET, "null": Feedback.UNSET}
_LEAD_FIELDS = {"userName": "name", "userEmail": "email", "userPhone": "phone",
                "userCompany": "company", "userAddress": "address", "userWebsite": "website",
                "notes": "notes"}
# Metadata strings that may identify the person beyond the documented lead fields (§4 #17, #18).
_OTHER_PERSONAL = ("userID", "socialHandle", "userImage", "userProfilePic", "summary", "note")


class MalformedConversation(ValueError):
    def __init__(self, reason: str, source_id: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.source_id = source_id


@dataclass(frozen=True, slots=True)
class ParseOptions:
    rich_messages: str = "skip"  # skip | text
    strip_html: bool = True
    max_message_chars: int = 0  # 0: no limit; longer messages drop the conversation


def parse_feedback(value: Any) -> Feedback:
    if value is True:
        return Feedback.POSITIVE
    if value is False:
        return Feedback.NEGATIVE
    if value is None:
        return Feedback.UNSET
    if isinstance(value, str):
        return _FEEDBACK.get(value.strip().lower(), Feedback.UNSET)
    return Feedback.UNSET


def _timestamp(value: Any, stats: Tally) -> datetime | None:
    """A plausible time, or None; a value that is present but not finite, before 2000 or more
    than a day ahead is dropped and counted (it would skew the manifest's date window)."""
    if value is None or value == "":
        return None
    ts = parse_ts(value)
    if plausible(ts):
        return ts
    if ts is not None or isinstance(value, (int, float)):
        stats.add("warnings", "bad_timestamp")
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        v = normalize_text(value, html_to_text=False)
        return v or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _raw_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _lead(convo: dict[str, Any], as_text: Callable[[Any], str | None] = _str) -> Lead:
    fields: dict[str, Any] = {attr: as_text(convo.get(key)) for key, attr in _LEAD_FIELDS.items()}
    tags = convo.get("tags")
    fields["tags"] = tuple(t for t in (map(as_text, tags) if isinstance(tags, list) else []) if t)
    other = [v for k in _OTHER_PERSONAL if (v := as_text(convo.get(k)))]
    captured = convo.get("capturedVariables")
    if isinstance(captured, dict):
        other += [v for v in map(as_text, captured.values()) if v and len(v) >= 3]
    vapi = convo.get("vapi")
    if isinstance(vapi, dict):
        other += [v for k in ("callerPhoneNumber", "calleePhoneNumber") if (v := as_text(vapi.get(k)))]
    fields["other"] = tuple(dict.fromkeys(other))
    return Lead(**fields)


def _source_id(item: dict[str, Any], convo: dict[str, Any]) -> str | None:
    for container in (convo, item):
        for key in ("id", "ID", "convoId", "convo_id"):
            v = container.get(key)
            if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
                return str(v).strip()
    return None


class MessageTooLong(Exception):
    """A message over ``convert.max_message_chars``: its conversation is dropped, counted."""


def _parse_message(raw: Any, opts: ParseOptions, stats: Tally) -> Message | None:
    if not isinstance(raw, dict):
        stats.add("message_types_dropped", "non_object")
        return None
    mtype = raw.get("type")
    mtype = mtype if isinstance(mtype, str) and mtype else "missing_type"
    if raw.get("isLoading") is True or raw.get("sendError"):
        stats.add("message_types_dropped", "loading_or_failed")
        return None
    payload = raw.get("payload", raw.get("item"))
    if isinstance(payload, dict) and "payload" in payload and "message" not in payload:
        payload = payload["payload"]  # stored shape: item.payload.message
    text = message_text(mtype, payload, rich=opts.rich_messages == "text")
    if text is None:
        stats.add("message_types_dropped", message_type(mtype))
        return None
    if opts.max_message_chars and len(text) > opts.max_message_chars:
        raise MessageTooLong()  # before any per-character work on it
    text = normalize_text(text, html_to_text=opts.strip_html)
    if not text:
        stats.add("message_types_dropped", f"{message_type(mtype)}:empty")
        return None
    if mtype in RICH_TYPES:
        stats.add("message_types_rendered", mtype)
    fb_src = payload if isinstance(payload, dict) else {}
    feedback = parse_feedback(fb_src.get("feedback", raw.get("feedback")))
    ai = fb_src.get("aiGenerated", raw.get("isAIGenerated", raw.get("aiGenerated")))
    ts_raw = raw.get("ts", fb_src.get("ts"))
    return Message(
        type=mtype,
        text=text,
        feedback=feedback,
        ai_generated=ai if isinstance(ai, bool) else None,
        ts=_timestamp(ts_raw, stats),
        ts_raw=ts_raw if isinstance(ts_raw, str) else None,
    )


def parse_conversation(item: Any, opts: ParseOptions, stats: Tally) -> Conversation:
    """Parse one export item. Raises :class:`MalformedConversation`."""
    if not isinstance(item, dict):
        raise MalformedConversation("not_an_object")
    metadata = item.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise MalformedConversation("bad_metadata")
    convo = metadata.get("convo")
    if not isinstance(convo, dict):
        convo = metadata  # v2 exports put the row fields directly in metadata
    source_id = _source_id(item, convo)
    turns_raw = item.get("turns")
    if turns_raw is None:
        raise MalformedConversation("missing_turns", source_id)
    if not isinstance(turns_raw, list):
        raise MalformedConversation("bad_turns", source_id)
    if source_id is None:
        # Deterministic stand-in so the conversation still splits and dedups stably.
        source_id = "noid-" + bytes_sha256(_canonical(turns_raw))[:24]
        stats.add("warnings", "missing_id")

    turns: list[Turn] = []
    for t in turns_raw:
        if not isinstance(t, dict):
            stats.add("message_types_dropped", "bad_turn")
            continue
        frm = t.get("from")
        role = ROLES.get(frm.strip().lower()) if isinstance(frm, str) else None
        msgs_raw = t.get("messages")
        if not isinstance(msgs_raw, list):
            msgs_raw = [] if msgs_raw is None else [msgs_raw]
        if role is None:
            stats.add("unknown_roles", role_name(frm), max(len(msgs_raw), 1))
            continue
        msgs = [m for raw in msgs_raw if (m := _parse_message(raw, opts, stats)) is not None]
        if msgs:
            turns.append(Turn(role=role, messages=msgs))

    fb = metadata.get("feedback", convo.get("feedback"))
    if fb is None:
        feedback = _derived_feedback(turns)
    else:
        feedback = parse_feedback(fb)
    return Conversation(
        id=source_id,
        turns=turns,
        lead=_lead(convo),
        feedback=feedback,
        origin=channel(convo.get("origin")),
        ts=_timestamp(convo.get("ts", convo.get("firstMessageTS")), stats),
        is_test=any(convo.get(k) is True for k in ("isTest", "isLLMStudio", "kbPreview", "isBlocked")),
        state=convo.get("state") if isinstance(convo.get("state"), str) else None,
    )


def _canonical(doc: Any) -> bytes:
    """Sorted-key JSON bytes of a raw value, for a stable stand-in id."""
    try:
        return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # lone surrogates or nesting orjson refuses
        try:
            return json.dumps(doc, sort_keys=True, ensure_ascii=True).encode("ascii")
        except RecursionError:
            raise MalformedConversation("too_deep") from None


def _derived_feedback(turns: list[Turn]) -> Feedback:
    """No conversation label: Positive if any reply is rated up, else Negative if any is rated
    down (the rule the vendor's own v2 exporter uses, convocore-api.md §3.3)."""
    seen = {m.feedback for t in turns for m in t.messages}
    if Feedback.POSITIVE in seen:
        return Feedback.POSITIVE
    if Feedback.NEGATIVE in seen:
        return Feedback.NEGATIVE
    return Feedback.UNSET


def _convo_of(item: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if not isinstance(item, dict):
        return None
    metadata = item.get("metadata")
    if not isinstance(metadata, dict):
        return item, {}
    convo = metadata.get("convo")
    return item, convo if isinstance(convo, dict) else metadata


def item_source_id(item: Any) -> str | None:
    """The export's own id of a raw item (``metadata.convo.id``, v2 ``metadata.ID``…), if any.

    Used by the fetch cache to dedupe conversations across pages and incremental fetches.
    """
    found = _convo_of(item)
    return _source_id(*found) if found else None


def item_lead(item: Any) -> Lead | None:
    """A raw item's lead fields, the ones :func:`parse_conversation` reads, as written (not
    normalised: a cheap look for the first pass); None if the item is not an object."""
    found = _convo_of(item)
    return _lead(found[1], _raw_str) if found else None


def item_timestamp(item: Any) -> int | None:
    """A raw item's conversation time (``metadata.convo.ts``) in Unix seconds, if any."""
    found = _convo_of(item)
    if not found:
        return None
    parsed = parse_ts(found[1].get("ts"))
    return int(parsed.timestamp()) if parsed and plausible(parsed) else None
