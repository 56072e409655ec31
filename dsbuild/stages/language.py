"""Which language a conversation is written in: detected offline, once per conversation.

The detector is Lingua (``lingua-language-detector``): its models are compiled into the wheel
(nothing is downloaded), it can be restricted to the configured languages, and it is the most
accurate of the offline detectors on short text (see the README's PII section for the side by
side with py3langid). It looks at the user's messages only: the assistant's texts are the
agent's own and often in one language whatever the customer writes.

Two detectors, both built once per process:

- the *routing* one knows only the configured languages (``pii.languages``) in high-accuracy
  mode, so every conversation gets the closest configured language;
- the *wide* one knows every language Lingua has, in low-accuracy mode (trigram models only,
  ~70 MB), and only counts conversations that look like none of the configured languages, so
  the summary can say how many were routed to their closest neighbour.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from dsbuild.errors import UsageError

if TYPE_CHECKING:
    from lingua import Language
    from lingua import LanguageDetector as LinguaDetector

    from dsbuild.records import ChatRecord
    from dsbuild.stats import Stats

DEFAULT_LANGUAGES = ("en", "de", "fr", "es", "nl", "it")
# Enough user text for the detector; more costs time and changes nothing.
MAX_CHARS = 1000
# Below this many letters the wide detector guesses (“thanks” → Afrikaans): no "other" count.
MIN_LETTERS_FOR_OTHER = 25


def check_languages(codes: Sequence[str]) -> tuple[str, ...]:
    """Lower-cased ISO 639-1 codes that Lingua knows, in order, without repeats."""
    from lingua import IsoCode639_1

    out: list[str] = []
    for code in codes:
        c = str(code).strip().lower()
        if not hasattr(IsoCode639_1, c.upper()) or len(c) != 2:
            raise UsageError(f"pii.languages: {code!r} is not an ISO 639-1 language code that the"
                             " language detector knows (e.g. en, de, fr, es, nl, it)")
        if c not in out:
            out.append(c)
    if not out:
        raise UsageError("pii.languages: give at least one language (e.g. en)")
    return tuple(out)


def conversation_text(record: ChatRecord) -> str:
    """What the language is judged on: the user's messages, or every message if none."""
    from dsbuild.records import Role

    user = [m.content for m in record.messages if m.role is Role.USER]
    texts = user if any(t.strip() for t in user) else [m.content for m in record.messages]
    return "\n".join(texts)[:MAX_CHARS]


class LanguageDetector:
    """``detect(text)`` → (configured language, the other language it looked like or None)."""

    def __init__(self, languages: Sequence[str]):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        self.languages = check_languages(languages)
        self.default = self.languages[0]
        codes = [getattr(IsoCode639_1, c.upper()) for c in self.languages]
        self._route: LinguaDetector | None = None
        if len(codes) > 1:  # Lingua needs two languages to choose between
            self._route = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                           .with_preloaded_language_models().build())
        self._wide = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
        self._pairs: dict[tuple[str, str], LinguaDetector] = {}

    def detect(self, text: str) -> tuple[str, str | None]:
        text = text[:MAX_CHARS]
        lang = self.default
        if self._route is not None:
            found = self._route.detect_language_of(text)
            if found is not None:
                lang = found.iso_code_639_1.name.lower()
        return lang, self._other(text, lang)

    def _other(self, text: str, lang: str) -> str | None:
        """The unconfigured language ``text`` is in, if any: the cheap wide guess, confirmed by
        a high-accuracy choice between it and ``lang`` (the wide guess alone says Danish for
        "can i change my plan?")."""
        if sum(c.isalpha() for c in text) < MIN_LETTERS_FOR_OTHER:
            return None
        found = self._wide.detect_language_of(text)
        if found is None or found.iso_code_639_1.name.lower() in self.languages:
            return None
        return found.iso_code_639_1.name.lower() if self._pair(found, lang).detect_language_of(text) == found else None

    def _pair(self, other: Language, lang: str) -> LinguaDetector:
        """High accuracy between two languages; built the first time ``other`` shows up (Lingua
        shares loaded models between detectors, so this costs one language's models)."""
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        key = (other.iso_code_639_1.name.lower(), lang)
        if key not in self._pairs:
            self._pairs[key] = LanguageDetectorBuilder.from_languages(
                other, Language.from_iso_code_639_1(getattr(IsoCode639_1, lang.upper()))).build()
        return self._pairs[key]

    def detect_record(self, record: ChatRecord) -> tuple[str, str | None]:
        return self.detect(conversation_text(record))


@lru_cache(maxsize=4)
def detector_for(languages: tuple[str, ...]) -> LanguageDetector:
    """One detector per process and language set (the PII stage and the processor share it)."""
    return LanguageDetector(languages)


def assign_language(record: ChatRecord, detector: LanguageDetector, stats: Stats) -> str:
    """Set ``record.language`` (once) and count the conversations that looked like a language
    outside the configured ones (``languages_other``); returns the language."""
    if record.language is None or record.language not in detector.languages:
        record.language, other = detector.detect_record(record)
        if other is not None:
            stats.add("languages_other", other)
    return record.language
