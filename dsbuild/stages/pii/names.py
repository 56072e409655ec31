"""A gazetteer of personal names (Faker's per-locale first and last names, ~20k entries).

spaCy's small model misses names in lower case, in all caps, after unusual verbs and in many
non-English forms; a name list decides whether a capitalised pair or a case-normalised NER find
is a person. Names that are also common English words are left out (see ``known.py``), so the
list never makes "will" or "may" a person.
"""

from __future__ import annotations

import functools
import importlib

from dsbuild.stages.pii.known import COMMON_WORD_NAMES

LOCALES = ("en_US", "en_GB", "en_IE", "en_IN", "de_DE", "de_AT", "fr_FR", "es_ES", "es_MX",
           "it_IT", "nl_NL", "pl_PL", "pt_BR", "pt_PT", "da_DK", "no_NO", "sv_SE", "fi_FI", "hu_HU",
           "cs_CZ", "sk_SK", "is_IS", "el_GR", "tr_TR", "ru_RU", "uk_UA", "ro_RO", "hr_HR", "sl_SI",
           "lt_LT", "lv_LV", "et_EE", "bg_BG", "ja_JP", "hi_IN", "fil_PH", "id_ID", "vi_VN")
EXTRA_COMMON = frozenset("""
paris florence victoria sydney london chelsea georgia virginia carolina dakota jersey austin
dallas houston orlando phoenix lincoln washington jordan china india asia europe america africa
nova star sky sun love king queen prince lord god angel baby honey sweet pro team plan visa
""".split())


@functools.lru_cache(maxsize=1)
def name_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names), casefolded."""
    first: set[str] = set()
    last: set[str] = set()
    for loc in LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        for attr, bucket in (("first_names", first), ("first_names_male", first),
                             ("first_names_female", first), ("last_names", last)):
            values = getattr(provider, attr, None) or ()
            bucket.update(v.casefold() for v in (values.keys() if isinstance(values, dict) else values)
                          if isinstance(v, str) and len(v) >= 2)
    drop = COMMON_WORD_NAMES | EXTRA_COMMON
    return frozenset(first - drop), frozenset(last - drop)


def is_first_name(word: str) -> bool:
    return word.casefold() in name_lexicon()[0]


def is_last_name(word: str) -> bool:
    return word.casefold() in name_lexicon()[1]


def is_name(word: str) -> bool:
    f, la = name_lexicon()
    w = word.casefold()
    return w in f or w in la
