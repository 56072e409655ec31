"""The Presidio analyzer's shortcuts find what Presidio's own settings find."""

from __future__ import annotations

import regex
from presidio_analyzer.predefined_recognizers import UrlRecognizer

from dsbuild.stages.pii.engine import FlaglessUrlRecognizer

PRESIDIO_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE


def _outside_classes(pattern: str) -> str:
    """The pattern's characters outside character classes and escapes."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 if pattern[i + 1:i + 2] == "^" else 0
            i += 1 if pattern[i + 1:i + 2] == "]" else 0
        else:
            out.append(c)
        i += 1
    return "".join(out)


def test_url_patterns_need_none_of_the_flags() -> None:
    """IGNORECASE is inline; DOTALL and MULTILINE change only '.', '^' and '$'."""
    for p in FlaglessUrlRecognizer().patterns:
        assert p.regex.startswith("(?i)"), p.name
        assert not set(_outside_classes(p.regex)) & set(".^$"), p.name


def test_url_matches_are_presidios() -> None:
    text = ("See https://Shop.Example.COM/orders/123?x=1 or www.example.co.uk/a\n"
            "\"http://test.org/x\" and 'foo.io' and EXAMPLE.NET/Path")
    ours = FlaglessUrlRecognizer().analyze(text, ["URL"])
    theirs = UrlRecognizer().analyze(text, ["URL"])
    assert [(r.start, r.end, r.score) for r in ours] == [(r.start, r.end, r.score) for r in theirs]
    assert ours


def test_context_is_read_only_where_a_score_can_rise() -> None:
    """The same results as Presidio's enhancer; a text with no context word is not tokenized."""
    import spacy
    from presidio_analyzer import AnalyzerEngine

    from dsbuild.stages.pii.engine import LazyArtifacts, build_analyzer

    nlp = spacy.blank("en")
    analyzer, engine = build_analyzer({"en": None}, {"en": nlp})
    plain = AnalyzerEngine(registry=analyzer.registry, nlp_engine=engine, supported_languages=["en"])
    texts = ["my ssn is 536-90-4399, thanks", "it's 536-90-4399", "card 4111 1111 1111 1111 ok",
             "4111 1111 1111 1111", "mail bob@example.com", "email me: bob@example.com",
             "IBAN DE89 3704 0044 0532 0130 00", "the iban DE89370400440532013000 please"]
    ents = ["US_SSN", "CREDIT_CARD", "EMAIL_ADDRESS", "IBAN_CODE"]
    tokenized: list[str] = []
    for text in texts:
        def artifacts(text: str = text):  # noqa: ANN202
            tokenized.append(text)
            return engine.artifacts(nlp.make_doc(text))

        ours = analyzer.analyze(text, "en", entities=ents, nlp_artifacts=LazyArtifacts(artifacts))
        theirs = plain.analyze(text, "en", entities=ents, nlp_artifacts=engine.artifacts(nlp.make_doc(text)))
        assert sorted((r.entity_type, r.start, r.end, r.score) for r in ours) == \
            sorted((r.entity_type, r.start, r.end, r.score) for r in theirs), text
    assert "it's 536-90-4399" not in tokenized and "my ssn is 536-90-4399, thanks" in tokenized
