"""Presidio's national recognizers for the conversation's language (``national:`` in the
language's data file): ES NIF/NIE, IT fiscal code, VAT code, identity card, DE tax id, ...

Built once per process and language, offline (pattern recognizers: no NLP engine). A find is
kept when the recognizer validated it (checksum: score 1.0) or when one of its own context words
(DNI, codice fiscale, Steuer-ID, ...) comes shortly before it; the unvalidated patterns alone
match too much ordinary text.
"""

from __future__ import annotations

import functools

from presidio_analyzer import EntityRecognizer
from presidio_analyzer import predefined_recognizers as predefined

from dsbuild.stages.pii.langdata import lang_data
from dsbuild.stages.pii.spans import PATTERN, Span

VALIDATED = 0.9


@functools.cache
def _recognizers(lang: str) -> tuple[EntityRecognizer, ...]:
    out = []
    for name in lang_data(lang).national:
        cls = getattr(predefined, name, None)
        if cls is None:  # an older Presidio without it: the language still works without
            continue
        out.append(cls())
    return tuple(out)


def national_ids(text: str, lang: str = "en") -> list[Span]:
    if not any(c.isdigit() for c in text):
        return []
    out: list[Span] = []
    lower = text.lower()
    for rec in _recognizers(lang):
        # pattern recognizers need no NLP artifacts (context is scored below, by us)
        results = rec.analyze(text, rec.supported_entities, None)  # type: ignore[arg-type]
        for r in results or []:
            before = lower[max(0, r.start - 50):r.start]
            cued = any(c.lower() in before for c in (getattr(rec, "context", None) or []))
            if r.score >= VALIDATED or cued:
                out.append(Span(r.start, r.end, r.entity_type, max(r.score, 0.6), PATTERN))
    return out
