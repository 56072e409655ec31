"""The known words of the export: channels, message types, turn roles.

Only these ever reach a row, a manifest key, the card or the summary. Anything else in those
fields is free text (a channel with the user's phone number, a role holding a person's name, a
message type holding an email) and is reported as ``other`` (convocore-api.md §4 #6, #16).
"""

from __future__ import annotations

import re

OTHER = "other"

CHANNELS = frozenset({
    "web", "web-chat", "webchat", "widget", "api", "whatsapp", "messenger", "facebook",
    "instagram", "telegram", "discord", "slack", "sms", "email", "voice", "phone", "twilio",
    "vapi", "gb-chat", "line", "viber", "wechat", "teams", "google-business", "zapier",
    "make", "n8n", "playground", "studio", "test",
})

# Message types of Convocore, the UI Engine and Voiceflow traces (convocore-api.md §3, §4 #5-#6).
MESSAGE_TYPES = frozenset({
    "text", "speak", "choice", "cardV2", "carousel", "visual", "iFrame", "form", "input",
    "VoiceNote", "file", "image", "audio", "video", "launch", "request", "trace", "debug",
    "stealth", "SetRuntime", "SetConvoData", "VGVF_Channel", "VFVG_Channel", "VG_Response",
    "no-reply", "end", "path", "flow", "block", "log", "browser_capture", "GetBrowserData",
    "knowledgeBase", "entity-filling", "exit", "card", "buttons", "non_object", "missing_type",
    "loading_or_failed", "bad_turn", "human_handoff_line", "debug:tell", "debug:error",
    "debug:success", "info:default", "context:form_submission",
})
# Families whose suffix is free text: reported by family (``debug:*``).
_TYPE_FAMILIES = ("debug:", "info:", "context:")

_WORDS = re.compile(r"[a-z0-9]+")


def channel(origin: object) -> str | None:
    """``whatsapp:+4915123456789`` → ``whatsapp``; an unknown channel → ``other``; none → None."""
    if not isinstance(origin, str) or not origin.strip():
        return None
    s = origin.strip().lower()
    if s in CHANNELS:
        return s
    words = _WORDS.findall(s[:64])[:3]
    for n in range(len(words), 0, -1):  # the longest known prefix: web-chat-v2 → web-chat
        head = "-".join(words[:n])
        if head in CHANNELS:
            return head
    return OTHER


def message_type(mtype: str) -> str:
    """A message type as it may be reported: known, its family (``debug:*``) or ``other``."""
    if mtype in MESSAGE_TYPES:
        return mtype
    for family in _TYPE_FAMILIES:
        if mtype.startswith(family):
            return family + "*"
    return OTHER


# Turn senders that are not a chat role dsbuild trains on, but are worth naming in a report.
ROLE_NAMES = frozenset({"agent", "operator", "human_agent", "livechat", "tool", "function", "ai",
                        "model", "assistant_human", "none", "null"})


def role_name(frm: object) -> str:
    """An unmapped turn sender as it may be reported: a known name, ``missing``, or ``other``."""
    if frm is None:
        return "missing"
    if isinstance(frm, str) and frm.strip().lower() in ROLE_NAMES:
        return frm.strip().lower()
    return OTHER
