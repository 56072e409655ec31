"""Which language a conversation is written in: detected offline, once per conversation.

The detector is Lingua (``lingua-language-detector``): its models are compiled into the wheel
(nothing is downloaded), it can be restricted to the configured languages, and it is the most
accurate of the offline detectors on short text (see the README's PII section for the side by
side with py3langid). It looks at the user's messages only: the assistant's texts are the
agent's own and often in one language whatever the customer writes.

Two detectors, both built once per process:

- the *routing* one knows only the configured languages (``pii.languages``) in high-accuracy
  mode, so every conversation gets the closest configured language;
- the *wide* one also knows the other EU languages and a few more, in low-accuracy mode
  (trigram models only), on every conversation with enough letters; a wide guess
  outside the configured set is confirmed by a high-accuracy choice between the two languages
  before the conversation is counted as "other" (routed to its closest configured language).

Loading their models costs about 2 s of CPU per process (the routing detector's five n-gram
models of six languages are most of it), in Lingua's Rust code, which holds the GIL while it
loads them. So the process's detector (:func:`detector_for`) is built in a process of its own
(:mod:`dsbuild.stages.language_service`), while the PII stage imports Presidio and spaCy and
loads the NER model (~2-3 s): on two cores the load costs no wall time, and the pool workers
forked later ask that process too instead of holding the models. Where it cannot run, the
models load in a thread (which then only overlaps the imports' file reads). The first detection
waits for them; the PII stage waits at the end of its construction, before a pool forks. Same
models, same results.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from dsbuild.errors import UsageError
from dsbuild.stages import language_service

if TYPE_CHECKING:
    from lingua import ConfidenceValue, Language
    from lingua import LanguageDetector as LinguaDetector
    from lingua import LanguageDetectorBuilder as LingualBuilder

    from dsbuild.counters import Tally
    from dsbuild.records import ChatRecord

DEFAULT_LANGUAGES = ("en", "de", "fr", "es", "nl", "it")
# Enough user text for the detector; more costs time and changes nothing.
MAX_CHARS = 1000
# Below this many letters of user text the wide detector guesses ("I'm Freya, I wrote
# yesterday" → Turkish): no "other" count.
MIN_LETTERS_FOR_OTHER = 40
# The wide guess must be this many times as likely as the best configured language. Lingua's
# confidences are products over the text's n-grams, so a real other language is far ahead on 40
# letters (Portuguese 3e3 to 2e7 times, Polish, Finnish, Turkish 1e10 and more), while English chat
# with a foreign name or address that the wide guess calls Romanian or Danish is 2 to 250 times
# ahead. Below the margin no pair is checked: each pair loads the other language's
# high-accuracy models first (~0.3 s CPU per language per process; on an English export, ~2 s
# per process spent to confirm nothing).
OTHER_MARGIN = 1000.0
# A conversation that looks most like a language other than the first configured one, with the
# first at least TIE_RATIO of the winner's confidence, is judged again without its names (capital
# words inside a sentence), e-mail addresses and numbers: it goes to the first language when
# what is left has MIN_LETTERS_WITHOUT_NAMES letters or more and is that language at
# MIN_CONFIDENCE_WITHOUT_NAMES or more. English chat that a company or street name made German
# or Spanish ("... from Nordlicht GmbH", "ship it to Calle Alcalá 93"): 18 of 2,290 English
# conversations of bench_pii's sets before, 6 after; no conversation of the tuning sets and no
# single user line of them in another language changed (3,595 lines of 5 seeds, and 3,040 of 4
# fresh ones).
TIE_RATIO = 0.1
MIN_LETTERS_WITHOUT_NAMES = 10
MIN_CONFIDENCE_WITHOUT_NAMES = 0.5
_NOT_WORDS = re.compile(r"\S*[\d@＠]\S*")  # numbers, identifiers, e-mail addresses
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
# The process that preloaded Lingua's models (its Rust thread pool runs there only); see _load.
_preloaded_in: int | None = None
# Texts whose language each detector remembers (at most MAX_CHARS each: a few MB at most).
SEEN_SIZE = 4096
# What a conversation outside pii.languages is checked against: the other EU languages and the
# most common ones beyond (each script-distinct one is nearly free: Lingua filters by script).
OTHER_CANDIDATES = ("pt", "pl", "sv", "da", "fi", "cs", "sk", "ro", "hu", "el", "bg", "hr", "sl",
                    "lt", "lv", "et", "ga", "ca", "tr", "ru", "uk", "ar", "zh", "ja", "ko")


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


def without_names(text: str) -> str:
    """``text`` without what says nothing of its language: numbers, identifiers, e-mail
    addresses, and capitalised words inside a sentence (names, companies, streets; "I" stays).
    A word that starts the text, a line or a sentence stays."""
    text = _NOT_WORDS.sub(" ", text)
    out: list[str] = []
    last = 0
    for m in _WORDS.finditer(text):
        word = m.group()
        if word[0].isupper() and word != "I" and not _starts_sentence(text, m.start()):
            out += (text[last:m.start()], " ")
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def _starts_sentence(text: str, i: int) -> bool:
    i -= 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?\n"


def conversation_text(record: ChatRecord) -> str:
    """What the language is judged on: the user's messages, or every message if none."""
    from dsbuild.records import Role

    user = [m.content for m in record.messages if m.role is Role.USER]
    texts = user if any(t.strip() for t in user) else [m.content for m in record.messages]
    return "\n".join(texts)[:MAX_CHARS]


class LanguageDetector:
    """``detect(text)`` → (configured language, the other language it looked like or None)."""

    def __init__(self, languages: Sequence[str], background: bool = False):
        """``background``: load the models in a thread of its own (see the module's note);
        :meth:`wait` (or the first detection) joins it."""
        self.languages = check_languages(languages)
        self.default = self.languages[0]
        self._route: LinguaDetector | None = None
        self._wide: LinguaDetector | None = None
        self._pairs: dict[tuple[str, str], LinguaDetector] = {}
        self._seen: dict[str, tuple[str, str | None]] = {}
        self._failed: BaseException | None = None
        self._loading: threading.Thread | None = None
        if background:
            self._loading = threading.Thread(target=self._load_guarded, name="dsbuild-lingua",
                                             daemon=True)
            self._loading.start()
        else:
            self._load()

    def _load(self) -> None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        global _preloaded_in
        # preloaded: ~30 lazy first-use loads would otherwise land inside the first batches. Not
        # in a process forked after a preload: Lingua preloads on a pool of Rust threads, which
        # the fork did not copy, and would wait for them forever (lazy loads use none; the same
        # models, the same results)
        preload = _preloaded_in in (None, os.getpid())

        def build(builder: LingualBuilder) -> LinguaDetector:
            return (builder.with_preloaded_language_models() if preload else builder).build()

        codes = [getattr(IsoCode639_1, c.upper()) for c in self.languages]
        if preload:
            _preloaded_in = os.getpid()
        if len(codes) > 1:  # Lingua needs two languages to choose between
            self._route = build(LanguageDetectorBuilder.from_iso_codes_639_1(*codes))
        others = [getattr(IsoCode639_1, c.upper()) for c in OTHER_CANDIDATES if c not in self.languages]
        self._wide = build(LanguageDetectorBuilder.from_iso_codes_639_1(*codes, *others)
                           .with_low_accuracy_mode())

    def _load_guarded(self) -> None:
        try:
            self._load()
        except BaseException as e:  # raised again where the detector is first needed
            self._failed = e

    def wait(self) -> LanguageDetector:
        """The models are loaded (joins the loading thread, once); returns the detector."""
        if self._loading is not None:
            self._loading.join()
            self._loading = None
        if self._failed is not None:
            raise self._failed
        return self

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, str | None]]:
        return [self.detect(t) for t in texts]

    def detect(self, text: str) -> tuple[str, str | None]:
        """Remembered per text: short conversations repeat ("hi", "I can't log in"), and each
        detection costs about 0.5 ms of CPU."""
        if self._loading is not None or self._failed is not None:
            self.wait()
        text = text[:MAX_CHARS]
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= SEEN_SIZE:  # drop the oldest half: bounded memory
                for k in list(self._seen)[: SEEN_SIZE // 2]:
                    del self._seen[k]
            found = self._seen[text] = self._detect(text)
        return found

    def _detect(self, text: str) -> tuple[str, str | None]:
        if self._route is None:
            return self.default, self._other(text, self.default)
        values = self._route.compute_language_confidence_values(text)
        if not values or values[0].value == 0:  # no letters, or nothing to go on
            return self.default, None
        lang = str(values[0].language.iso_code_639_1.name.lower())
        if lang != self.default and self._default_without_names(text, values):
            lang = self.default
        # no shortcut on a confident winner: Portuguese is Spanish at 0.99 among the six
        return lang, self._other(text, lang)

    def _default_without_names(self, text: str, values: list[ConfidenceValue]) -> bool:
        """Whether a text that looks most like another language is in the first configured
        one once its names are set aside: "hi, this is ingrid from Nordlicht GmbH. How do I
        export my data?" is German at 0.54 to English's 0.25, because of a company name.
        Only near ties are looked at again (the first language within TIE_RATIO of the winner),
        and the text without names must be clearly that language, so a short non-English line
        whose own words decide ("hallo, hier ist Gertrud", "mon NIR est ...") keeps its
        language. Depends on the text alone: the same conversation always gets the same."""
        assert self._route is not None
        default = next((v.value for v in values
                        if v.language.iso_code_639_1.name.lower() == self.default), 0.0)
        if default < TIE_RATIO * values[0].value:
            return False
        rest = without_names(text)
        if sum(map(str.isalpha, rest)) < MIN_LETTERS_WITHOUT_NAMES:
            return False
        again = self._route.compute_language_confidence_values(rest)
        return bool(again) and (again[0].language.iso_code_639_1.name.lower() == self.default
                                and again[0].value >= MIN_CONFIDENCE_WITHOUT_NAMES)

    def _other(self, text: str, lang: str) -> str | None:
        """The unconfigured language ``text`` is in, if any: the cheap wide guess, confirmed by
        a high-accuracy choice between it and ``lang`` (the wide guess alone says Danish for
        "can i change my plan?")."""
        if sum(map(str.isalpha, text)) < MIN_LETTERS_FOR_OTHER:
            return None
        assert self._wide is not None  # loaded (detect waits)
        values = self._wide.compute_language_confidence_values(text)
        if not values or values[0].language.iso_code_639_1.name.lower() in self.languages:
            return None
        found = values[0].language
        best_configured = next((v.value for v in values
                                if v.language.iso_code_639_1.name.lower() in self.languages), 0.0)
        if values[0].value < OTHER_MARGIN * best_configured:  # a near tie: not worth a check
            return None
        if self._pair(found, lang).detect_language_of(text) != found:
            return None
        return str(found.iso_code_639_1.name.lower())

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


class Detector(Protocol):
    """What the build asks of a detector: :class:`LanguageDetector` or :class:`ServedDetector`."""

    languages: tuple[str, ...]
    default: str

    def wait(self) -> Detector: ...

    def detect(self, text: str) -> tuple[str, str | None]: ...

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, str | None]]: ...

    def detect_record(self, record: ChatRecord) -> tuple[str, str | None]: ...


class ServedDetector:
    """A :class:`LanguageDetector` of ``languages`` in the language service's process (see the
    module's note): the same answers. If the service stops answering, this process builds one
    of its own and asks it from then on."""

    def __init__(self, languages: Sequence[str], service: language_service.Service):
        self.languages = check_languages(languages)
        self.default = self.languages[0]
        self._service: language_service.Service | None = service
        self._local: LanguageDetector | None = None

    def _own(self) -> LanguageDetector:
        self._service = None
        if self._local is None:
            self._local = LanguageDetector(self.languages)
        return self._local

    def wait(self) -> ServedDetector:
        """The models are loaded (in the service, or here if it failed: raising its error)."""
        self.detect_many([])
        return self

    def detect_many(self, texts: Sequence[str]) -> list[tuple[str, str | None]]:
        if self._service is not None:
            found = self._service.detect_many([t[:MAX_CHARS] for t in texts])
            if found is not None:
                return found
        return self._own().detect_many(texts)

    def detect(self, text: str) -> tuple[str, str | None]:
        return self.detect_many([text])[0]

    def detect_record(self, record: ChatRecord) -> tuple[str, str | None]:
        return self.detect(conversation_text(record))


@lru_cache(maxsize=4)
def detector_for(languages: tuple[str, ...]) -> Detector:
    """One detector per process and language set (the PII stage and the processor share it),
    its models loading from the first call in the language service, or in a thread where the
    service cannot run (see the module's note). The pool workers forked later inherit it."""
    languages = check_languages(languages)
    service = language_service.start(f"{__name__}:LanguageDetector", languages)
    if service is None:
        return LanguageDetector(languages, background=True)
    return ServedDetector(languages, service)


def assign_language(record: ChatRecord, detector: Detector, stats: Tally) -> str:
    """Set ``record.language`` (once) and count the conversations that looked like a language
    outside the configured ones (``languages_other``); returns the language."""
    assign_languages([record], detector, stats)
    assert record.language is not None
    return record.language


def assign_languages(records: Sequence[ChatRecord], detector: Detector, stats: Tally) -> None:
    """:func:`assign_language` of each record, in order, asking the detector once."""
    todo = [r for r in records if r.language is None or r.language not in detector.languages]
    for record, (language, other) in zip(todo, detector.detect_many([conversation_text(r) for r in todo])):
        record.language = language
        if other is not None:
            stats.add("languages_other", other)
