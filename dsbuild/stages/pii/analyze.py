"""Conversation-independent analysis of message text, batched and cached.

Tiers, cheapest first: a few character checks decide which pattern recognizers can match at
all (no digit run → no phone/card/IBAN/SSN/IP check; no '@' → no email check), so most chat
messages never reach ``phonenumbers``. NER runs once per unique text through ``nlp.pipe``;
repeated texts (greetings, FAQ answers, "thanks!") are served from a cache keyed by the
conversation's language and the text, which is valid because this analysis does not depend on
the conversation otherwise (known values are matched separately, per conversation).

Each language has its own pipeline: spaCy NER where one is installed for it, else a bare
tokenizer (no NER: English NER never runs on German text).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from dsbuild.counters import Tally
from dsbuild.stages.pii.boosters import (
    case_normalised,
    cue_names,
    identifiers,
    lexicon_names,
    money_numbers,
    obfuscated_emails,
    street_addresses,
)
from dsbuild.stages.pii.business import (
    BusinessFilter,
    dictionary_words_only,
    ordinary,
    plausible_person,
    trim_person,
)
from dsbuild.stages.pii.contact_names import contact_names
from dsbuild.stages.pii.engine import LazyArtifacts, build_analyzer
from dsbuild.stages.pii.model import load_ner, load_tokenizer
from dsbuild.stages.pii.names import name_lexicon
from dsbuild.stages.pii.national import national_ids
from dsbuild.stages.pii.phones import phone_spans
from dsbuild.stages.pii.pieces import PIECE_CHARS, in_pieces
from dsbuild.stages.pii.rare_names import rare_names
from dsbuild.stages.pii.spans import NER, PATTERN, Span, resolve
from dsbuild.stages.pii.typos import repaired

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from spacy.language import Language
    from spacy.tokens import Doc

NER_LABELS = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION",
              "FAC": "LOCATION"}
NER_SCORE = 0.85
PATTERN_THRESHOLD = 0.4
_IBAN_HINT = re.compile(r"[A-Za-z]{2}\d{2}")
_IP_HINT = re.compile(r"\d\.\d|[0-9a-fA-F]:[0-9a-fA-F]*:")
# Bare domains are not kept (business.py), so only text with a path can yield a URL find.
_URL_HINT = re.compile(r"\w\.[A-Za-z]{2,}[^\s]*/")


def pattern_entities(text: str) -> list[str]:
    """Which pattern recognizers can possibly match: the cheap tier."""
    ents = []
    if "@" in text:
        ents.append("EMAIL_ADDRESS")
    digits = sum(map(str.isdigit, text))
    if digits >= 9:
        ents.append("US_SSN")
    if digits >= 12:
        ents.append("CREDIT_CARD")
    if digits >= 8 and _IBAN_HINT.search(text):
        ents.append("IBAN_CODE")
    if digits >= 4 and _IP_HINT.search(text):
        ents.append("IP_ADDRESS")
    if _URL_HINT.search(text):
        ents.append("URL")
    return ents


_WORD = re.compile(r"[^\W\d_]{2,}")
# spaCy keeps every new token's string and lexeme in its vocab for good: with mostly unique user
# messages, memory grew with the export, so batches run in a memory zone that frees them. Inside
# a zone spaCy neither keeps a lexeme nor caches a tokenization, so every batch built the lexemes
# of even the commonest words again ("the", "order", "thanks!"; a third of the stage's time on
# unique text). The first texts of a language are therefore analysed outside a zone, until its
# vocab holds this many more lexemes than the loaded pipeline (a few MB, bounded); the words
# every chat repeats are among them. Output is the same either way.
VOCAB_WARM = 20_000
# Touches every tier once: NER, cues, addresses, phones, cards, IBANs, emails, identifiers.
_WARM_UP = ("My name is Anna Berg, 12 Main Street, 10115 Berlin. Call +49 30 1234567 or mail"
            " anna@example.com, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, KD-572912.")


def cache_key(lang: str, text: str) -> bytes:
    """What the cache keys a text's analysis by: a 16-byte BLAKE2b digest of the language and
    the text (a collision is ~1e-29 likely at the cache's size), not the text itself: an entry
    costs ~100 bytes instead of ~300, and the cache fills over the first ~50k conversations of
    a chat export (mostly unique user messages), so the text was most of what grew with it."""
    data = f"{lang}\0{text}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def needs_ner(text: str, lang: str = "en") -> bool:
    """The NER tier: only text with a word that could be a name or a place. A message made of
    stop words, greetings and business vocabulary ("ok great, thanks!", "my invoice is wrong")
    gets the pattern tier only; a known first name always gets NER."""
    words = ordinary(lang)
    return any(w.lower() not in words for w in _WORD.findall(text))


class TextAnalyzer:
    """Finds non-lead PII in a text. One per process: it holds the model and the cache."""

    def __init__(self, pipelines: Mapping[str, str | None], phone_regions: list[str],
                 allow: list[str], cache_size: int = 100_000, batch_size: int = 64):
        """``pipelines``: language → spaCy package with NER, or None (that language gets a bare
        tokenizer: English NER never runs on another language's text).

        The first language's pipeline is loaded now; every other one the first time a text of
        that language comes (:meth:`pipeline`): an English export never pays for loading the
        French model and spaCy's French tokenizer rules (several seconds per process)."""
        self.pipelines = dict(pipelines)
        self.nlps: dict[str, Language] = {}  # the loaded ones
        self._by_name: dict[str, Language] = {}
        self.has_ner = {lang: name is not None for lang, name in pipelines.items()}
        self.vocab_limit: dict[str, int] = {}
        self.default = next(iter(pipelines))
        self.analyzer, self.engine = build_analyzer(self.pipelines, self.nlps)
        self.phone_regions = tuple(phone_regions)
        name_lexicon()  # load the gazetteer now, with the model, not inside the first batch
        self.filter = BusinessFilter(allow)
        self.cache: dict[bytes, tuple[Span, ...]] = {}  # cache_key(lang, text) → spans
        self.cache_size = cache_size
        self.batch_size = batch_size
        self.pipeline(self.default)
        # the first language's lazily compiled cues, addresses and recognizers are warmed up
        # now, not inside the first batch (about 0.5 s). Another language loads inside a batch
        # anyway: warming it up there would only add what its texts never need.
        self.analyze_many([_WARM_UP], None, self.default)
        self.cache.pop(cache_key(self.default, _WARM_UP), None)

    def pipeline(self, lang: str) -> Language:
        """The language's pipeline, loaded on first use."""
        nlp = self.nlps.get(lang)
        if nlp is not None:
            return nlp
        name = self.pipelines[lang]
        if name is None:
            nlp = load_tokenizer(lang)
        elif name in self._by_name:
            nlp = self._by_name[name]
        else:
            nlp = self._by_name[name] = load_ner(name)
            nlp.max_length = 2_000_000
        self.nlps[lang] = nlp
        self.vocab_limit[lang] = len(nlp.vocab) + VOCAB_WARM
        return nlp

    def analyze_many(self, texts: Iterable[str], stats: Tally | None = None,
                     lang: str | None = None) -> dict[str, tuple[Span, ...]]:
        """Spans per text, for texts of one language (``None``: the first configured)."""
        lang = lang if lang in self.pipelines else self.default
        nlp = self.nlps.get(lang)  # None: loaded once a text needs its tokens (_analyze_many)
        if nlp is None or len(nlp.vocab) < self.vocab_limit[lang]:  # see VOCAB_WARM
            return self._analyze_many(texts, stats, lang)
        with nlp.memory_zone():  # only plain spans leave it
            return self._analyze_many(texts, stats, lang)

    def _analyze_many(self, texts: Iterable[str], stats: Tally | None,
                      lang: str) -> dict[str, tuple[Span, ...]]:
        with_ner = self.has_ner[lang]
        texts = list(texts)
        if any(len(t) > PIECE_CHARS for t in texts):  # spaCy's max_length; bounded cost
            return in_pieces(lambda ts: self.analyze_many(ts, stats, lang), texts)
        # The hits are taken now: remembering this batch's misses may evict them (a KeyError at
        # the end, once an export had more distinct messages than the cache holds).
        keys = {t: cache_key(lang, t) for t in texts}
        out = {t: self.cache[k] for t, k in keys.items() if k in self.cache}
        todo = [t for t in keys if t not in out]
        if stats is not None:
            stats.add("pii_cache", "miss", len(todo))
            stats.add("pii_cache", "hit", len(texts) - len(todo))
        tier = [with_ner and needs_ner(t, lang) for t in todo]
        norms = [case_normalised(t, lang) if ner else None for t, ner in zip(todo, tier)]
        ner_texts = [t for t, ner in zip(todo, tier) if ner] + [n for n in norms if n]
        if stats is not None:
            stats.add("pii_tier", "ner", sum(tier))
            stats.add("pii_tier", "patterns_only", len(todo) - sum(tier))
        # Tokens are needed for NER and for the context of a Presidio match, nothing else: a
        # text with neither is not tokenized, and a language whose texts so far needed neither is
        # not loaded ("hello??" routed to Italian loads no Italian tokenizer).
        docs: list[Doc | None] = [None] * len(todo)
        norm_docs: Iterator[Doc] = iter(())
        if ner_texts:
            ner_docs = iter(self.pipeline(lang).pipe(ner_texts, batch_size=self.batch_size))
            docs = [next(ner_docs) if ner else None for ner in tier]
            norm_docs = ner_docs  # what is left: the case-normalised copies, in order
        for text, doc, norm in zip(todo, docs, norms):
            spans = self._ner_spans(text, doc, people_only=False, lang=lang) if doc is not None else []
            if norm:
                spans += self._ner_spans(text, next(norm_docs), people_only=True, lang=lang)
            spans += self._pattern_spans(text, doc, lang)
            found = tuple(resolve([s for s in spans if self.filter.keep(s, text, lang)], text))
            self._remember(keys[text], found)
            out[text] = found
        return out

    def _remember(self, key: bytes, found: tuple[Span, ...]) -> None:
        if len(self.cache) >= self.cache_size:  # drop the oldest half: bounded memory
            for k in list(self.cache)[: self.cache_size // 2]:
                del self.cache[k]
        self.cache[key] = found

    def _ner_spans(self, text: str, doc: Doc, people_only: bool, lang: str = "en") -> list[Span]:
        out = []
        for ent in doc.ents:
            label = NER_LABELS.get(ent.label_)
            if label is None or (people_only and label != "PERSON"):
                continue
            found: Span | None = Span(ent.start_char, ent.end_char, label, NER_SCORE, NER)
            if label == "PERSON" and found is not None:
                found = trim_person(found, text)
            if found is None:
                continue
            span = found
            # no tagger in the pipeline: pos_ is "" and the find stays a candidate
            proper = any(tok.pos_ in ("PROPN", "") for tok in ent)
            if label == "PERSON" and (not plausible_person(text, span, people_only, lang, proper)
                                      or dictionary_words_only(text[span.start:span.end], lang)):
                continue
            out.append(span)
        return out

    def _pattern_spans(self, text: str, doc: Doc | None, lang: str) -> list[Span]:
        """``doc``: the text's tokens if it went to NER (else they are made if a Presidio match
        needs its context: :class:`LazyArtifacts`)."""
        fixed = repaired(text, lang)  # cue words with swapped letters put back; same offsets
        spans = cue_names(fixed, lang) + street_addresses(fixed, lang) + lexicon_names(text, lang)
        spans += rare_names(text, lang) + contact_names(text, lang)
        ents = pattern_entities(text)
        if ents:
            spans += money_numbers(fixed, lang)
        spans += phone_spans(fixed, self.phone_regions, lang) + national_ids(text, lang)
        spans += identifiers(fixed, lang) + obfuscated_emails(text, lang)
        if ents:
            def artifacts(doc: Doc | None = doc) -> NlpArtifacts:
                return self.engine.artifacts(doc if doc is not None else self.pipeline(lang).make_doc(text), lang)

            results = self.analyzer.analyze(text, lang, entities=ents,
                                            nlp_artifacts=LazyArtifacts(artifacts),
                                            score_threshold=PATTERN_THRESHOLD)
            spans += [Span(r.start, r.end, r.entity_type, r.score, PATTERN) for r in results]
        return spans
