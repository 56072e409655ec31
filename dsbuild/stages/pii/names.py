"""A gazetteer of personal names (Faker's per-locale first and last names, ~20k entries), and the
pools surrogates are drawn from, both read from the package data file ``fakes.json.gz``.

spaCy's small model misses names in lower case, in all caps, after unusual verbs and in many
non-English forms; a name list decides whether a capitalised pair or a case-normalised NER find
is a person. Names that are also common English words are left out (see ``known.py``), so the
list never makes "will" or "may" a person.

The data is precomputed by :mod:`dsbuild.stages.pii.build_data` (the only module that imports
Faker), so a run reads one small file instead of importing dozens of Faker locale modules.
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources
from typing import Any

from dsbuild.stages.pii.known import COMMON_WORD_NAMES

# The Faker locales whose names make the lexicon (build_data.py reads them from here).
LEXICON_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_IN", "de_DE", "de_AT", "fr_FR", "es_ES", "es_MX", "it_IT",
    "nl_NL", "pl_PL", "pt_BR", "pt_PT", "da_DK", "no_NO", "sv_SE", "fi_FI", "hu_HU", "cs_CZ",
    "sk_SK", "is_IS", "el_GR", "tr_TR", "ru_RU", "uk_UA", "ro_RO", "hr_HR", "sl_SI", "lt_LT",
    "lv_LV", "et_EE", "bg_BG", "ja_JP", "hi_IN", "fil_PH", "id_ID", "vi_VN")
LOCALES = LEXICON_LOCALES

__all__ = ["LOCALES", "POOL_EXCLUDE", "is_first_name", "is_last_name", "is_name", "name_lexicon",
           "pools"]

EXTRA_COMMON = frozenset("""
paris florence victoria sydney london chelsea georgia virginia carolina dakota jersey austin
dallas houston orlando phoenix lincoln washington jordan china india asia europe america africa
nova star sky sun love king queen prince lord god angel baby honey sweet pro team plan visa
""".split())
# Never a surrogate either: a fake "Will" or "May" would read as a word.
POOL_EXCLUDE = COMMON_WORD_NAMES | EXTRA_COMMON


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    blob = resources.files("dsbuild.stages.pii").joinpath("fakes.json.gz").read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(blob))
    return data


@functools.lru_cache(maxsize=1)
def name_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names), casefolded."""
    lex = _data()["lexicon"]
    return frozenset(lex["first"]) - POOL_EXCLUDE, frozenset(lex["last"]) - POOL_EXCLUDE


@functools.lru_cache(maxsize=1)
def pools() -> dict[str, dict[str, list[str]]]:
    """Language → {first, last, streets, cities, companies, email_domains}.

    Every entry is distinct from the others of its pool whatever the case, a last name is never
    also a first name of its language, and no name, street, city or company is in the pools of
    two languages: surrogates draw distinct entries for distinct values (:mod:`.draws`), and
    "Karan" drawn as a first name in one conversation and as a last name in another, or "Anna"
    drawn by a German and by an English conversation, would be one fake twice. The data file
    holds them so (:func:`dsbuild.stages.pii.build_data.owned_pools`): nothing is computed here.
    """
    data: dict[str, dict[str, list[str]]] = _data()["pools"]
    return data


def is_first_name(word: str) -> bool:
    return word.casefold() in name_lexicon()[0]


def is_last_name(word: str) -> bool:
    return word.casefold() in name_lexicon()[1]


def is_name(word: str) -> bool:
    f, la = name_lexicon()
    w = word.casefold()
    return w in f or w in la
