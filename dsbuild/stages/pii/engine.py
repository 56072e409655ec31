"""The Presidio analyzer, built once per process: offline, only the recognizers we use.

NER runs separately through ``nlp.pipe`` (see :mod:`dsbuild.stages.pii.analyze`); Presidio gets
the finished ``Doc`` as ``nlp_artifacts`` and runs only the pattern recognizers that a cheap
check says can match (``entities=[...]``), so no text is parsed twice. Phone numbers are found
by :mod:`dsbuild.stages.pii.phones` (the same ``phonenumbers`` library, parsed per candidate).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from typing import Any

import tldextract
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer, LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)
from spacy.language import Language
from spacy.tokens import Doc

# The bundled Public Suffix List snapshot: no fetch, no cache dir, no logged traceback.
_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
logging.getLogger("tldextract").setLevel(logging.CRITICAL)


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _TLD(pattern_text).fqdn != ""


class PreloadedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around pipelines we loaded, one per language (NER only, or a bare
    tokenizer where a language has no NER pipeline installed).

    Lemmas are the lower-cased token text: the context enhancer compares them with context words
    such as "phone" or "email", which is what we need without running tagger and lemmatizer.
    """

    def __init__(self, pipelines: Mapping[str, str | None], nlps: Mapping[str, Language]):
        """``nlps``: the loaded pipelines by language, filled as languages come (the caller's
        dict, not a copy); ``pipelines``: every configured language → package (None: blank)."""
        super().__init__(models=[{"lang_code": lang, "model_name": name or "blank"}
                                 for lang, name in pipelines.items()])
        self.nlp = nlps  # type: ignore[assignment]  # Presidio declares it None until load()

    def artifacts(self, doc: Doc, lang: str = "en") -> NlpArtifacts:
        return NlpArtifacts(entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self, language=lang,
                            scores=[])


class FlaglessUrlRecognizer(UrlRecognizer):
    """Presidio's URL recognizer, its patterns compiled with no flags instead of Presidio's
    IGNORECASE | MULTILINE | DOTALL: the same matches (each pattern opens with ``(?i)`` and has
    no ``.``, ``^`` or ``$`` outside a character class; tests/stages/test_pii_engine.py checks),
    and the compiled patterns come from the ``regex`` module's cache, filled when Presidio
    checked them at import. Compiling the ~1,500-alternative pattern again with the flags took
    every build ~0.1 s of CPU in its warm-up."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language)
        self.global_regex_flags = 0


class ContextOnDemand(LemmaContextAwareEnhancer):
    """Presidio's context enhancer (the same settings, the same results), which reads the
    text's tokens only when a match's score can still rise.

    A score rises only when the match's recognizer has context words, one of them is part of a
    lower-cased token before the match (a token is part of the text: so the lower-cased text
    must hold it; the words are ASCII, which lower-casing maps the same way in a token and in
    the whole text), and the score is not already the maximum (the raise is capped there).
    When no match of a text can rise, the matches are returned as they are (copied, as the
    enhancer returns them) and the text is not tokenized for it (:class:`LazyArtifacts`). On
    unique English chat that is 3 of 4 texts with a pattern match; and the first text of a
    language without NER whose match cannot rise no longer loads that language's tokenizer
    (spaCy's Dutch one: ~0.4 s of CPU)."""

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult],
                              nlp_artifacts: NlpArtifacts, recognizers: list[EntityRecognizer],
                              context: list[str] | None = None) -> list[RecognizerResult]:
        by_id = {rec.id: rec for rec in recognizers}
        low = text.lower()
        if context or any(_can_rise(r, by_id, low) for r in raw_results):
            return super().enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)
        return copy.deepcopy(raw_results)


def _can_rise(result: RecognizerResult, by_id: Mapping[str, EntityRecognizer], low: str) -> bool:
    meta = result.recognition_metadata or {}
    rec = by_id.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))  # type: ignore[arg-type]
    if rec is None or not rec.context or meta.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
        return False  # the enhancer skips it
    return result.score != ContextAwareEnhancer.MAX_SCORE and any(w.lower() in low for w in rec.context)


class LazyArtifacts(NlpArtifacts):
    """A text's artifacts, built the first time Presidio reads one of them. The pattern
    recognizers never do: only the context enhancer reads the tokens and lemmas around a match,
    so a text without a match is not tokenized (nor its language's tokenizer loaded) for it."""

    def __init__(self, build: Callable[[], NlpArtifacts]) -> None:  # no super().__init__: lazy
        self._build: Callable[[], NlpArtifacts] | None = build

    def __getattr__(self, name: str) -> Any:
        build = self.__dict__.get("_build")
        if build is None or name.startswith("__"):
            raise AttributeError(name)
        self.__dict__.update(build().__dict__)
        self._build = None
        return getattr(self, name)


def build_analyzer(pipelines: Mapping[str, str | None],
                   nlps: Mapping[str, Language]) -> tuple[AnalyzerEngine, PreloadedSpacyEngine]:
    """One analyzer for every language in ``pipelines``: each recognizer is registered once per
    language (a Presidio recognizer serves one language), so ``analyze(text, lang)`` works for
    each of them. The patterns are the same in every language. ``nlps`` holds the pipelines
    loaded so far (see :class:`PreloadedSpacyEngine`)."""
    engine = PreloadedSpacyEngine(pipelines, nlps)
    languages = list(pipelines)
    recognizers: list[EntityRecognizer] = []
    for lang in languages:
        recognizers += [
            OfflineEmailRecognizer(supported_language=lang),
            CreditCardRecognizer(supported_language=lang),
            IbanRecognizer(supported_language=lang),
            IpRecognizer(supported_language=lang),
            UsSsnRecognizer(supported_language=lang),
            FlaglessUrlRecognizer(supported_language=lang),
        ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=languages)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=languages,
                              context_aware_enhancer=ContextOnDemand())
    return analyzer, engine
