"""The Presidio analyzer, built once per process: offline, only the recognizers we use.

NER runs separately through ``nlp.pipe`` (see :mod:`dsbuild.stages.pii.analyze`); Presidio gets
the finished ``Doc`` as ``nlp_artifacts`` and runs only the pattern recognizers that a cheap
check says can match (``entities=[...]``), so no text is parsed twice. Phone numbers are found
by :mod:`dsbuild.stages.pii.phones` (the same ``phonenumbers`` library, parsed per candidate).
"""

from __future__ import annotations

import logging

import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
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
    """Presidio's spaCy engine around a pipeline we loaded (NER only: no parser, no tagger).

    Lemmas are the lower-cased token text: the context enhancer compares them with context words
    such as "phone" or "email", which is what we need without running tagger and lemmatizer.
    """

    def __init__(self, nlp: Language):
        super().__init__(models=[{"lang_code": "en", "model_name": nlp.meta.get("name", "")}])
        self.nlp = {"en": nlp}  # type: ignore[assignment]  # Presidio declares it None

    def artifacts(self, doc: Doc) -> NlpArtifacts:
        return NlpArtifacts(entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
                            lemmas=[t.lower_ for t in doc], nlp_engine=self, language="en",
                            scores=[])


def build_analyzer(nlp: Language) -> tuple[AnalyzerEngine, PreloadedSpacyEngine]:
    engine = PreloadedSpacyEngine(nlp)
    registry = RecognizerRegistry(recognizers=[
        OfflineEmailRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        UsSsnRecognizer(),
        UrlRecognizer(),
    ])
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
    return analyzer, engine
