"""Hand-off announcements of human agents: "Hi, this is Sam from the Acme team, I'm taking over."

A human agent's reply that only says a person is taking over (or will join) is not an answer a
bot should learn: a model trained on it announces colleagues who never come. Such sentences are
removed from replies written by a human agent (``aiGenerated: false``), with a greeting or an
introduction left alone in the same line; the rest of the reply is kept, and a reply left empty
is dropped. Bot replies are never touched ("I'll connect you with a colleague" is a bot's
legitimate answer to "can I talk to a human?").
"""

from __future__ import annotations

import re

from dsbuild.records import ChatMessage, Role

_CUES = [
    r"(?:i'?m|i am|i'?ll be|i will be) taking over",
    r"taking over (?:from here|this (?:chat|conversation))",
    r"i'?ll take (?:it|this|over) from here",
    (r"(?:a|one of our|my) (?:colleague|agent|team ?mate|specialist|team member)s? "
     r"(?:will|is going to|'?ll) (?:join|be with you|take over|pick (?:this|it) up|"
     r"get back to you|contact you)"),
    (r"(?:an?|our) (?:human |live |support )?(?:agent|colleague|representative|specialist) will"
     r" (?:join|be with you|take over)"),
    (r"(?:i'?m |i am |i'?ll be |let me )?(?:connect|transferr?|hand|pass)(?:ing)? you (?:over )?"
     r"(?:to|with) (?:a|an|one of our|my|our) (?:colleague|agent|human|specialist|team)"),
    r"you(?:'re| are) now (?:chatting|speaking|talking) (?:with|to)",
    (r"(?:ich übernehme|je prends le relais|tomo el relevo|neem het (?:gesprek )?over|"
     r"prendo in carico)"),
]
_CUE = re.compile(r"\b(?:" + "|".join(_CUES) + r")", re.IGNORECASE)
_GREETING_ONLY = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hallo|bonjour|hola|ciao|good (?:morning|afternoon|evening))"
    r"(?:\s+(?:there|again|all))?\b\W*)?"
    r"(?:(?:this is|it'?s|i'?m|i am|my name is|hier ist|ich bin|je suis|c'est|soy|me llamo|sono|"
    r"ik ben)\s+[^,.!?]{1,40}?(?:\s+(?:from|with|at|of)\s+[^,.!?]{1,40})?)?"
    r"\W*$", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def strip_handoff(text: str) -> tuple[str, int]:
    """The text without its hand-off sentences, and how many lines had one."""
    lines_out: list[str] = []
    hits = 0
    for line in text.split("\n"):
        sentences = _SENTENCE.findall(line)
        if not any(_CUE.search(s) for s in sentences):
            lines_out.append(line)
            continue
        hits += 1
        kept = [s for s in sentences if not _CUE.search(s) and not _GREETING_ONLY.match(s)]
        rest = "".join(kept).strip()
        if rest:
            lines_out.append(rest)
    out = "\n".join(lines_out).strip()
    return re.sub(r"\n{3,}", "\n\n", out), hits


def drop_handoff_lines(msgs: list[ChatMessage]) -> tuple[list[ChatMessage], int]:
    """Human agents' replies without hand-off announcements; the number of lines removed."""
    out: list[ChatMessage] = []
    removed = 0
    for m in msgs:
        if m.role is Role.ASSISTANT and m.human_agent:
            text, n = strip_handoff(m.content)
            removed += n
            if not text:
                continue
            if n:
                m = ChatMessage(m.role, text, m.feedback, m.human_agent)
        out.append(m)
    return out, removed
