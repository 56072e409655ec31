"""Business-text protection: what a detector finds but is not personal, and must survive.

Rules (applied to pattern and NER finds; known values are never filtered):

* never detected at all: DATE_TIME (opening hours, weekdays, "next Tuesday"), ORGANIZATION,
  NRP, money and plan names: we do not ask for them;
* the config allow list (brand, product and persona names, support email and phone) and the
  placeholder domains (example.com, ...) are dropped wherever found;
* a PERSON find made only of weekdays, months, greetings, plan/product words or stop words, or
  holding a digit, is dropped;
* a LOCATION from NER is kept only when it is the person's place: a cue such as "I live in",
  "based in", "moved to", "my address" precedes it. "Do you ship to Canada?" keeps Canada;
* a URL is kept only with a path or query beyond the host: bare domains are not personal
  (the lead's own website is a known value and always redacted).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.spans import NER, Span

_BUSINESS_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
january february march april june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec today tomorrow yesterday tonight weekend weekday morning
afternoon evening night noon midnight am pm cet cest utc gmt est pst hi hello hey thanks thank
dear welcome pro team basic premium plus enterprise starter business plan plans trial free
settings billing data export support sales account invoice order help faq chat bot assistant
visa mastercard amex american express sepa paypal slack csv json api sso ok okay yes no
""".split()) | frozenset(STOP_WORDS)
# Words that are never a name or a place on their own (the NER tier skips text made only of them).
ORDINARY = _BUSINESS_WORDS | frozenset("""
wrong right good great fine sure okay thanks thank please sorry help need want know think like
get got make work works working worked use using used try tried pay paid buy bought cancel
login log password reset email mail question problem issue price cost much many long time
day days week weeks month months year years hour hours minute minutes number code app website
page button link card payment refund delivery shipping ship order orders item items product
products service services free new old more less still already just yet again soon later now
""".split())
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net", "test.com", "domain.com")
_PLACE_CUE = re.compile(r"(?i)\b(?:live|living|lives|based|moved|move|from|address|located|"
                        r"staying|stay|reside|residing|born|hometown|home in|grew up|near|"
                        r"come over to|visit me in|i'?m in|we'?re in|am in)\b[^.?!\n]{0,20}$")
_NOT_PLACE_CUE = re.compile(r"(?i)\b(?:ship|shipping|deliver|delivery|available|offices?|"
                            r"branch|store|warehouse|operate|sell|serve)\b[^.?!\n]{0,25}$")
_URL_PATH = re.compile(r"[^/]/[^/\s]+|\?")


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W\d_]+", text)]


class BusinessFilter:
    def __init__(self, allow: list[str]):
        self.allow = {a.strip().casefold() for a in allow if a.strip()}
        self.allow_words = {w for a in self.allow for w in _words(a)}

    def allowed(self, value: str) -> bool:
        v = value.strip(" .,!?:;'\"()").casefold()
        v = re.sub(r"['’]s$", "", v)
        if v in self.allow or v.endswith(PLACEHOLDER_DOMAINS) and "@" not in v:
            return True
        words = _words(v)
        return bool(words) and all(w in self.allow_words for w in words)

    def keep(self, span: Span, text: str) -> bool:
        value = text[span.start:span.end]
        if self.allowed(value):
            return False
        if span.type == "PERSON":
            words = _words(value)
            if any(c.isdigit() for c in value) or not words:
                return False
            if all(w in _BUSINESS_WORDS or w in self.allow_words for w in words):
                return False
            return len(value.strip()) >= 2
        if span.type == "LOCATION" and span.source == NER:
            before = text[max(0, span.start - 40):span.start]
            return bool(_PLACE_CUE.search(before)) and not _NOT_PLACE_CUE.search(before)
        if span.type == "URL":
            return bool(_URL_PATH.search(re.sub(r"^[a-z]+://", "", value, flags=re.I)))
        if span.type == "EMAIL_ADDRESS":
            return value.casefold() not in self.allow
        return True


def trim_person(span: Span, text: str) -> Span | None:
    """Cut greetings and stop words off the edges of a NER PERSON ("Hi John" → "John")."""
    words = list(re.finditer(r"\S+", text[span.start:span.end]))
    while words and _words(words[0].group(0)) and all(w in _BUSINESS_WORDS for w in _words(words[0].group(0))):
        words.pop(0)
    while words and _words(words[-1].group(0)) and all(w in _BUSINESS_WORDS for w in _words(words[-1].group(0))):
        words.pop()
    if not words:
        return None
    start, end = span.start + words[0].start(), span.start + words[-1].end()
    while end > start and text[end - 1] in ".,!?:;'\"":
        end -= 1
    return Span(start, end, span.type, span.score, span.source, span.key) if end > start else None
