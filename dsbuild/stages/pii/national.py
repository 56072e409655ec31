"""Presidio's national recognizers for the conversation's language (``national:`` in the
language's data file): ES NIF/NIE, IT fiscal code, VAT code, identity card, DE tax id, ...

Built once per process and language, offline (pattern recognizers: no NLP engine). A find is
kept when the recognizer validated it (checksum: score 1.0) or when one of its own context words
(DNI, codice fiscale, Steuer-ID, ...) comes shortly before it; the unvalidated patterns alone
match too much ordinary text. Presidio has none for France and the Netherlands: the FR NIR (key
= 97 - number mod 97) and the NL BSN (the 11-test) are checked here (``FrNir``, ``NlBsn``).
"""

from __future__ import annotations

import functools
import re

from presidio_analyzer import EntityRecognizer
from presidio_analyzer import predefined_recognizers as predefined

from dsbuild.stages.pii.langdata import lang_data
from dsbuild.stages.pii.spans import PATTERN, Span

VALIDATED = 0.9
CUE_WINDOW = 50  # characters before a number where one of its recognizer's context words counts
_NIR = re.compile(r"(?<![\w])[12][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?\d{3}"
                  r"[ .]?\d{3}[ .]?\d{2}(?![\w])")
_BSN = re.compile(r"(?<![\w.+-])\d{4}[ .]?\d{2}[ .]?\d{3}(?![\w])|(?<![\w.+-])\d{3}[ .]?\d{3}[ .]?\d{3}(?![\w])")


def _nir_ok(value: str) -> bool:
    v = re.sub(r"[ .]", "", value).upper().replace("2A", "19").replace("2B", "18")
    return len(v) == 15 and v.isdigit() and 97 - int(v[:13]) % 97 == int(v[13:])


def _bsn_ok(value: str) -> bool:
    v = re.sub(r"[ .]", "", value)
    return (len(v) == 9 and v.isdigit() and v[0] != "0"
            and sum(int(c) * w for c, w in zip(v, (9, 8, 7, 6, 5, 4, 3, 2, -1))) % 11 == 0)


_OWN = {"FrNir": (_NIR, _nir_ok, "FR_NIR"), "NlBsn": (_BSN, _bsn_ok, "NL_BSN")}


@functools.cache
def _recognizers(lang: str) -> tuple[EntityRecognizer, ...]:
    out = []
    for name in lang_data(lang).national:
        if name in _OWN:
            continue
        cls = getattr(predefined, name, None)
        if cls is None:  # an older Presidio without it: the language still works without
            continue
        out.append(cls())
    return tuple(out)


# Written in its official grouping, a number whose format has no checksum is still unmistakable:
# a UK NINO "QQ 12 34 56 C" (no other chat text is two letters and three pairs and a letter),
# also with a prefix that is never issued ("NT 60 14 32 D", which Presidio's pattern leaves out).
_CANONICAL = {"UK_NINO": re.compile(r"[A-Za-z]{2} \d{2} \d{2} \d{2} [A-Da-d]")}
_CANONICAL_TOKEN = {k: re.compile(r"(?<![\w])" + rx.pattern + r"(?![\w])") for k, rx in _CANONICAL.items()}


def _canonical(entity: str, value: str) -> bool:
    rx = _CANONICAL.get(entity)
    return rx is not None and rx.fullmatch(value) is not None


# a number written in groups ("90 234 949 015", "1234.5678.9012"): single spaces, dots, dashes or
# slashes between digit groups; Presidio's patterns want the digits in one run
_GROUPED = re.compile(r"(?<![\w.+-])\d+(?:[ ./-]\d+){2,}(?![\w]|[.,/-]\d)")


def _grouped_runs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each digit run written in groups, for the recognizers to read
    as one number; the span found covers the whole run as written."""
    return [(m.start(), m.end(), re.sub(r"\D", "", m.group(0))) for m in _GROUPED.finditer(text)]


def national_ids(text: str, lang: str = "en") -> list[Span]:
    if not any(map(str.isdigit, text)):
        return []
    out: list[Span] = []
    grouped = _grouped_runs(text) if lang_data(lang).national else []
    for name in lang_data(lang).national:
        if name in _OWN:
            rx, ok, entity = _OWN[name]
            out += [Span(m.start(), m.end(), entity, 0.9, PATTERN) for m in rx.finditer(text)
                    if ok(m.group(0))]
    lower = text.lower()
    for rec in _recognizers(lang):
        # pattern recognizers need no NLP artifacts (context is scored below, by us)
        results = rec.analyze(text, rec.supported_entities, None)  # type: ignore[arg-type]
        for r in results or []:
            before = lower[max(0, r.start - CUE_WINDOW):r.start]
            cued = any(c.lower() in before for c in (getattr(rec, "context", None) or []))
            if r.score >= VALIDATED or cued or _canonical(r.entity_type, text[r.start:r.end]):
                out.append(Span(r.start, r.end, r.entity_type, max(r.score, 0.6), PATTERN))
        for start, end, digits in grouped:  # validated only: the grouping is no context
            for r in rec.analyze(digits, rec.supported_entities, None) or []:  # type: ignore[arg-type]
                if r.score >= VALIDATED and r.start == 0 and r.end == len(digits):
                    out.append(Span(start, end, r.entity_type, r.score, PATTERN))
        out += _cued_invalid(rec, text, lower, grouped)
        for entity in rec.supported_entities:
            if entity in _CANONICAL_TOKEN:
                seen = {(s.start, s.end) for s in out}
                out += [Span(m.start(), m.end(), entity, 0.6, PATTERN) for m in _CANONICAL_TOKEN[entity].finditer(text)
                        if (m.start(), m.end()) not in seen]
    return out


def _cued_invalid(rec: EntityRecognizer, text: str, lower: str,
                  grouped: list[tuple[int, int, str]]) -> list[Span]:
    """Numbers of the recognizer's patterns (in one run or in groups) that one of its context
    words comes shortly before, also where the checksum fails, which Presidio drops: "IdNr
    10 731 506 119" is somebody's tax id written with a typo, or an invalid one, and is personal
    all the same."""
    context = [c.lower() for c in getattr(rec, "context", None) or []]
    if not any(c in lower for c in context):
        return []
    out = []
    for pattern in getattr(rec, "patterns", None) or []:
        # compiled by rec.analyze just before, with the recognizer's flags (Presidio's regex)
        rx = getattr(pattern, "compiled_regex", None) or _pattern(pattern.regex)
        found = [(m.start(), m.end()) for m in rx.finditer(text)]
        found += [(start, end) for start, end, digits in grouped if rx.fullmatch(digits)]
        out += [Span(start, end, rec.supported_entities[0], 0.6, PATTERN) for start, end in found
                if any(c in lower[max(0, start - CUE_WINDOW):start] for c in context)]
    return out


@functools.lru_cache(maxsize=256)
def _pattern(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE | re.MULTILINE | re.DOTALL)  # Presidio's default flags
