"""Business-text protection: what a detector finds but is not personal, and must survive.

Rules (applied to pattern and NER finds; known values are never filtered):

* never detected at all: DATE_TIME (opening hours, weekdays, "next Tuesday"), ORGANIZATION,
  NRP, money and plan names: we do not ask for them;
* the config allow list (brand, product and persona names, support email and phone) and the
  placeholder domains (example.com, ...) are dropped wherever found;
* a PERSON find made only of weekdays, months, holidays, greetings, plan/product words or stop
  words, or holding a digit, is dropped; so is one inside a product's name ("the Pro Max
  bundle"), a French verb before its pronoun ("Livrez-vous"), and a one-word NER find that is an
  ordinary word of the language that is no name and that the tagger does not call a proper noun
  ("Désolé pour la gêne");
* a PERSON find below a relation's score is dropped when it is a brand by its shape ("HubSpot",
  "iDEAL"; all capitals outside a cue) or by its frame (``brand_frames``, ``place_frames``: "pay
  with Lydia", "versand mit Evri", "spedite a Pordenone"), a typo of a list word ("Eastre") or of
  a dictionary word where the casing says nothing (NER's "Psoso pagare"), or a saint's day
  ("Santo Stefano");
* a LOCATION from NER is kept only when it is the person's place: a cue such as "I live in",
  "based in", "moved to", "my address" precedes it. "Do you ship to Canada?" keeps Canada;
* a URL is kept only with a path or query beyond the host: bare domains are not personal
  (the lead's own website is a known value and always redacted).
"""

from __future__ import annotations

import functools
import re

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES
from dsbuild.stages.pii.langdata import (
    business_words,
    city_names,
    holiday_names,
    lang_data,
    name_particles,
    product_nouns,
    product_words,
    saint_words,
    short_forms,
)
from dsbuild.stages.pii.names import is_name
from dsbuild.stages.pii.rare_names import at_start, common_word, known_word, typo_of_listed, typo_of_word
from dsbuild.stages.pii.spans import CUE_SCORE, NER, STRONG_CUE_SCORE, Span
from dsbuild.stages.pii.typos import repaired

# Weekdays, months, greetings, opening-hours and plan words of every language, and stop words.
_BUSINESS_WORDS = business_words() | frozenset(STOP_WORDS)
# Words that are never a name or a place on their own (the NER tier skips text made only of them).
ORDINARY = lang_data("en").ordinary | _BUSINESS_WORDS


@functools.cache
def ordinary(lang: str) -> frozenset[str]:
    """The ordinary words of a language (English mixed in): text made only of them needs no NER."""
    return lang_data(lang).ordinary | _BUSINESS_WORDS


PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net", "test.com", "domain.com")
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

    def keep(self, span: Span, text: str, lang: str = "en") -> bool:
        value = text[span.start:span.end]
        if self.allowed(value):
            return False
        if span.type == "PERSON":
            words = _words(value)
            if any(c.isdigit() for c in value) or not words:
                return False
            if all(w in _BUSINESS_WORDS or w in self.allow_words for w in words) and (
                    span.score < STRONG_CUE_SCORE or all(w in self.allow_words for w in words)
            ) and not _short_form_name(span, value):
                return False  # a relation's name stands: "mon mari Noël", "my wife April"
            if all(w in name_particles() for w in words):  # "van", "de", "von" alone
                return False
            if all(w.casefold() in city_names() for w in words) and (
                    span.source == NER or lang_data(lang).place_preposition.search(
                        text, max(0, span.start - 64), span.start)):
                return False  # "including Manchester and Leeds", "une agence à Lyon", "à Nancy"
            if lang_data(lang).clitic.match(text, span.end):
                return False  # "Livrez-vous", "Pouvez-vous": a verb and its pronoun
            if in_product_name(text, span, words):
                return False
            if span.score < STRONG_CUE_SCORE and not_a_person(text, span, lang):
                return False
            return len(value.strip()) >= 2
        if span.type == "LOCATION" and span.source == NER:
            d = lang_data(lang)
            before = text[max(0, span.start - 40):span.start]
            return bool(d.place_cue.search(before)) and not d.not_place_cue.search(before)
        if span.type == "URL":
            return bool(_URL_PATH.search(re.sub(r"^[a-z]+://", "", value, flags=re.IGNORECASE)))
        if span.type == "EMAIL_ADDRESS":
            return value.casefold() not in self.allow
        return True


_TOKENS = re.compile(r"[^\W\d_]+")
# the lower-case start of a name written with an inner capital: "McDonald", "DeShawn", "LaToya"
_NAME_PREFIXES = frozenset("mc mac o d de di da du la le lo van von ter ten fitz jo mary ann lee ray".split())


def not_a_person(text: str, span: Span, lang: str) -> bool:
    """A PERSON find below a relation's score that is a brand, a typo or a saint's day, by its
    shape or its frame: every word written like a brand ("HubSpot", "iDEAL", "PayPal"; all in
    capitals, "DPD", outside a cue), inside a ``brand_frames`` slot of the language ("pay with
    Lydia", "versand mit Evri", "il tecnico di Bosch"), only typos of dictionary words and
    dictionary words where the casing says nothing, outside a cue (opening a sentence, or in
    German: "Psoso pagare", "Kmomt es"), or right after a saint's title ("Santo
    Stefano", "San Juan": a holiday or a place) or a holiday named like one (``holiday_names``:
    "antes de Reyes") outside a cue."""
    value = text[span.start:span.end]
    toks = _TOKENS.findall(value)
    if not toks:
        return False
    weak = span.score < CUE_SCORE or span.source == NER
    if all(_brand_shaped(t, weak) for t in toks):
        return True
    for frame_start, frame_end, start, end in brand_slots(text, lang):
        if start < span.end and span.start < end and all(
                _plain(t, lang) for t in _TOKENS.findall(text[span.start:max(span.start, frame_start)] + " "
                                                          + text[min(frame_end, span.end):span.end])):
            return True  # the find is the slot's brand, or the brand and words of the frame
    # (a typo of a dictionary word: NER's guesses only; the rare-word rules weigh their own)
    typo = (typo_of_word if span.source == NER and (lang_data(lang).nouns_capitalised or at_start(text, span.start))
            else lambda t, lang: False)
    if any(typo(t, lang) or typo_of_listed(t, lang) for t in toks) and all(
            typo(t, lang) or typo_of_listed(t, lang) or _plain(t, lang) for t in toks):
        return True
    if weak:
        if all(t.casefold() in holiday_names() for t in toks):
            return True  # "antes de Reyes"
        prev = _PREV_WORD.search(text, max(0, span.start - 40), span.start)
        first = toks[0] if len(toks) > 1 else ""
        return (prev is not None and prev.group(1) in saint_words()) or first in saint_words()
    return False


def _plain(word: str, lang: str) -> bool:
    """A dictionary word of the language (or English) that is no name."""
    return known_word(word, lang) and not is_name(word) and word.casefold() not in COMMON_WORD_NAMES


def _brand_shaped(tok: str, weak: bool) -> bool:
    if len(tok) < 2:
        return False
    if tok[0].islower():
        return any(c.isupper() for c in tok[1:])  # "iPhone", "eBay"
    if tok.isupper():
        return weak and len(tok) >= 3
    for i in range(1, len(tok)):
        if tok[i].isupper() and tok[i - 1].islower():
            return tok[:i].casefold() not in _NAME_PREFIXES  # "HubSpot", not "McDonald"
    return False


@functools.lru_cache(maxsize=4096)
def brand_slots(text: str, lang: str) -> tuple[tuple[int, int, int, int], ...]:
    """Where the language's ``brand_frames`` and ``place_frames`` match in ``text`` and put a
    brand or a place: (frame start, frame end, slot start, slot end)."""
    fixed = repaired(text, lang)  # "pgaar con X": a frame word's swapped letters put back (same offsets)
    out = []
    for frame in lang_data(lang).brand_frames:
        for m in frame.finditer(fixed):
            out.append((m.start(), m.end(), m.start("brand"), m.end("brand")))
            # the slot's list goes on: "payer par carte, PayPal, Lydia ou virement"; an item is
            # one word standing between separators ("paid with Visa, Maria paid cash" has none)
            pos = m.end("brand")
            while (item := _LIST_ITEM.match(fixed, pos)) is not None:
                out.append((item.start("brand"), item.end("brand"), item.start("brand"), item.end("brand")))
                pos = item.end("brand")
    return tuple(out)


_CONJ = r"(?:or|and|ou|et|oder|und|o|y|e|of|en)"
_LIST_ITEM = re.compile(r"(?:[ \t]*,[ \t]*(?:" + _CONJ + r"[ \t]+)?|[ \t]+" + _CONJ + r"[ \t]+|[ \t]*/[ \t]*)"
                        r"(?P<brand>[^\W\d_][\w'’&+-]*)(?=[ \t]*(?:[,/.!?;:)]|$)|[ \t]+" + _CONJ + r"[ \t])",
                        re.IGNORECASE)


def _short_form_name(span: Span, value: str) -> bool:
    """A weekday's or month's short form found by a cue (which takes a name only where it ends
    the clause) and capitalised is a name: "ciao sono Gio", "Nessun problema Gio, altro?",
    "Grazie, Dic." ("Lun-Ven 9-18" is in no cue's place)."""
    return (span.source != NER and span.score >= CUE_SCORE and value[:1].isupper() and value[1:].islower()
            and value.casefold() in short_forms())


_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


def in_product_name(text: str, span: Span, words: list[str]) -> bool:
    """A plan or product name, not a person: made only of tier words that are not names ("the
    Lite version", "Standard package"), right after a capitalised tier word ("the Pro Max
    bundle"), or a single word right before a product noun ("the Max plan")."""
    products = product_words()
    if all(w in products and not is_name(w) for w in words):
        return True
    prev = _PREV_WORD.search(text, max(0, span.start - 40), span.start)
    if prev and prev.group(1)[0].isupper() and prev.group(1).casefold() in products:
        return True
    nxt = _NEXT_WORD.match(text, span.end)
    return len(words) == 1 and nxt is not None and nxt.group(1).casefold() in product_nouns()


def plausible_person(text: str, span: Span, normalised: bool, lang: str = "en",
                     proper: bool = True) -> bool:
    """A case-normalised NER find needs a known name in it ("THE APP CRASHES" is not a person);
    a lone unknown word right after a place preposition of the language is a place ("warehouse in
    Rotterdam", "une agence à Lyon", "Filiale in Gelnhausen")."""
    words = re.findall(r"[^\W\d_]+", text[span.start:span.end])
    if normalised:
        return any(is_name(w) for w in words)
    if len(words) == 1 and not proper and common_word(words[0], lang):
        return False  # "Désolé pour la gêne": a common word the tagger calls no proper noun
    everyday = lang_data(lang).everyday
    if words and all(w.casefold() in everyday and not is_name(w) and w.casefold() not in COMMON_WORD_NAMES
                     for w in words):
        return False  # "Dear Sir or Madam", "Sehr geehrte Damen und Herren"
    if len(words) == 1 and not is_name(words[0]):
        # Only the characters just before the span: searching all of ``text[:start]`` for
        # every span made long messages quadratic (issue 12).
        return not lang_data(lang).place_preposition.search(text, max(0, span.start - 64), span.start)
    return True


def dictionary_words_only(value: str, lang: str = "en") -> bool:
    """A NER PERSON made only of ordinary words of the language, none a name of the gazetteer
    or a name that is also a word ("Cautionary Tales", "Guilty Pleasures", "Salesperson"): a
    title or a noun, not a person. Precision; recall on names comes from the lists and cues."""
    words = _words(value)
    return bool(words) and all(known_word(w, lang) and not is_name(w) and w not in COMMON_WORD_NAMES
                               for w in words)


def trim_person(span: Span, text: str) -> Span | None:
    """Cut greetings and stop words off the edges of a NER PERSON ("Hi John" → "John")."""
    words = list(re.finditer(r"\S+", text[span.start:span.end]))
    while words and re.fullmatch(r"['’][^\W\d_]{0,2}", words[0].group(0)):  # "'s John" (it's john)
        words.pop(0)
    while words and _words(words[0].group(0)) and all(w in _BUSINESS_WORDS for w in _words(words[0].group(0))):
        words.pop(0)
    while words and _words(words[-1].group(0)) and all(w in _BUSINESS_WORDS for w in _words(words[-1].group(0))):
        words.pop()
    if not words:
        return None
    start, end = span.start + words[0].start(), span.start + words[-1].end()
    while start < end and text[start] in "'\"’":
        start += 1
    while end > start and text[end - 1] in ".,!?:;'\"":
        end -= 1
    return Span(start, end, span.type, span.score, span.source, span.key) if end > start else None
