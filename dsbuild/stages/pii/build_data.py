"""Regenerate ``fakes.json.gz``, the PII package data, from Faker (a development tool).

    python -m dsbuild.stages.pii.build_data            # rewrite the shipped file
    python -m dsbuild.stages.pii.build_data --check    # exit 1 if it is out of date

The file holds, so that no Faker locale module is imported at run time:

* ``lexicon``: every first and last name of :data:`LEXICON_LOCALES`, casefolded, 2+ characters
  (the name gazetteer of :mod:`.names`; the common-word exclusions are applied when it is read,
  so they can change without regenerating the data);
* ``pools``: per conversation language, the values surrogates are drawn from (first names, last
  names, street names, cities, companies, free email domains), deterministic for one Faker
  version (recorded as ``faker``; the test that compares the file skips on another version),
  each entry in one pool of one language only (:func:`owned_pools`; computing that took every
  process ~0.15 s of CPU at run time).

Only this module imports Faker, which is therefore a test dependency, not a run-time one.
"""

from __future__ import annotations

import importlib
import random
import re
import sys
from pathlib import Path
from typing import Any

from dsbuild.stages.pii import packaged
from dsbuild.stages.pii.names import LEXICON_LOCALES, POOL_EXCLUDE

DATA_FILE = Path(__file__).with_name("fakes.json.gz")

# (LEXICON_LOCALES lives in names.py, the run-time reader, so this generator imports it one way.)

# Conversation language (ISO 639-1) → the Faker locales its places and companies come from.
POOL_LOCALES: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB"), "de": ("de_DE", "de_AT"), "fr": ("fr_FR",), "es": ("es_ES", "es_MX"),
    "nl": ("nl_NL",), "it": ("it_IT",)}
# ... and its people's names: every Faker locale of the language (``en`` is the US baby-name
# list, ~7k first names), because the pools must be large. Surrogates are drawn independently
# per conversation, so two conversations share a single-name fake with probability 1/pool: with
# the ~60 lone first names of the demo, a pool of 700 made a shared fake (over 1% of ~130
# names) near certain, one of 8,000 leaves about one build in five with one shared pair.
NAME_LOCALES: dict[str, tuple[str, ...]] = {
    "en": ("en", "en_US", "en_GB", "en_IE", "en_NZ", "en_IN", "en_PK", "en_KE"),
    "de": ("de_DE", "de_AT", "de_CH", "de_LI", "de_LU"),
    "fr": ("fr_FR", "fr_BE", "fr_CA", "fr_CH", "fr_QC"),
    "es": ("es_ES", "es_MX", "es_AR", "es_CL", "es_CO", "es_CA"),
    "nl": ("nl_NL", "nl_BE"), "it": ("it_IT", "it_CH")}
# English-language customers carry the world's names: an English conversation also draws
# names written in plain ASCII from these locales ("Nguyen", "Kowalski", "Rossi", "Lars").
EN_WORLD_NAMES = ("es_ES", "es_MX", "it_IT", "de_DE", "pl_PL", "pt_BR", "pt_PT", "fr_FR",
                     "nl_NL", "vi_VN", "id_ID", "tr_TR", "sv_SE", "da_DK", "no_NO", "fi_FI",
                     "hu_HU", "cs_CZ", "ro_RO", "hr_HR")
# Faker's nl_NL has no free-mail list: the common Dutch providers.
EXTRA_DOMAINS = {"nl": ("gmail.com", "hotmail.nl", "outlook.com", "ziggo.nl", "kpnmail.nl",
                        "live.nl")}
POOL_SIZE = {"first": 20_000, "last": 20_000, "streets": 1800, "cities": 1800, "companies": 1800}
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female")
_PLAIN_NAME = re.compile(r"^[^\W\d_]{2,}(?:[-'][^\W\d_]{2,})?$")


def _names(provider: Any, attrs: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for attr in attrs:
        values = getattr(provider, attr, None) or ()
        if not isinstance(values, (dict, list, tuple, set, frozenset)):
            continue  # a property computed per instance (es): its locales list the names
        out.update(v for v in (values.keys() if isinstance(values, dict) else values)
                   if isinstance(v, str))
    return out


def _person(loc: str) -> Any:
    try:
        return importlib.import_module(f"faker.providers.person.{loc}").Provider
    except ImportError:
        return None


def lexicon() -> dict[str, list[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for loc in LEXICON_LOCALES:
        provider = _person(loc)
        if provider is None:
            continue
        first |= {v.casefold() for v in _names(provider, ("first_names", "first_names_male",
                                                           "first_names_female")) if len(v) >= 2}
        last |= {v.casefold() for v in _names(provider, ("last_names",)) if len(v) >= 2}
    return {"first": sorted(first), "last": sorted(last)}


def _sample(values: set[str], n: int, seed: str) -> list[str]:
    ordered = sorted(values)
    if len(ordered) > n:
        ordered = sorted(random.Random(seed).sample(ordered, n))
    return ordered


def _generated(locales: tuple[str, ...], method: str, n: int) -> set[str]:
    """Up to ``n`` distinct values of a Faker generator, shared out between the locales."""
    from faker import Faker

    out: set[str] = set()
    for loc in locales:
        fake = Faker(loc)
        fake.seed_instance(0)
        for provider in fake.providers:  # it_IT builds its city list from a set: fix its order
            if isinstance(getattr(provider, "cities", None), list):
                provider.cities = sorted(provider.cities)
        mine: set[str] = set()
        for _ in range(n * 20):
            value = " ".join(str(getattr(fake, method)()).split())
            if value and not any(c.isdigit() for c in value):
                mine.add(value)
            if len(mine) >= n // len(locales):
                break
        out |= mine
    return out


def pools(common: frozenset[str]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for lang, locales in POOL_LOCALES.items():
        providers = [p for p in (_person(loc) for loc in NAME_LOCALES[lang]) if p is not None]
        firsts = {v for p in providers for v in _names(p, FIRST_ATTRS)}
        lasts = {v for p in providers for v in _names(p, ("last_names",))}
        if lang == "en":
            world = [p for p in (_person(loc) for loc in EN_WORLD_NAMES) if p is not None]
            firsts |= {v for p in world for v in _names(p, FIRST_ATTRS) if v.isascii()}
            lasts |= {v for p in world for v in _names(p, ("last_names",)) if v.isascii()}

        def usable(v: str) -> bool:  # no common word ("Will"), no initials or particles
            return bool(_PLAIN_NAME.match(v)) and v[0].isupper() and v.casefold() not in common

        domains: set[str] = set(EXTRA_DOMAINS.get(lang, ()))
        for loc in locales:
            try:
                internet = importlib.import_module(f"faker.providers.internet.{loc}").Provider
            except ImportError:
                continue
            domains.update(getattr(internet, "free_email_domains", ()))
        out[lang] = {
            "first": _sample({v for v in firsts if usable(v)}, POOL_SIZE["first"], f"{lang}f"),
            "last": _sample({v for v in lasts if usable(v)}, POOL_SIZE["last"], f"{lang}l"),
            "streets": _sample(_generated(locales, "street_name", POOL_SIZE["streets"]),
                               POOL_SIZE["streets"], f"{lang}s"),
            "cities": _sample(_generated(locales, "city", POOL_SIZE["cities"]),
                              POOL_SIZE["cities"], f"{lang}c"),
            "companies": _sample(_generated(locales, "company", POOL_SIZE["companies"]),
                                 POOL_SIZE["companies"], f"{lang}o"),
            "email_domains": sorted(domains) or ["example.com"],
        }
    return out


# Pools whose entries belong to one language each (email domains are shared: a fake address is
# its local part, drawn from the name pools, at one of a few domains).
_OWNED = (("first", "last"), ("cities",), ("streets",), ("companies",))


def owned_pools(raw: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """The pools as :func:`dsbuild.stages.pii.names.pools` serves them: every entry is distinct
    from the others of its pool whatever the case, a last name is never also a first name of its
    language, and no name, street, city or company is in the pools of two languages."""
    out: dict[str, dict[str, list[str]]] = {}
    for lang, kinds in raw.items():
        out[lang] = {kind: _distinct(values) for kind, values in kinds.items()}
        firsts = {v.casefold() for v in out[lang].get("first", [])}
        if "last" in out[lang]:
            out[lang]["last"] = [v for v in out[lang]["last"] if v.casefold() not in firsts]
    for group in _OWNED:
        _one_language_each(out, group)
    return out


def _one_language_each(out: dict[str, dict[str, list[str]]], kinds: tuple[str, ...]) -> None:
    """Leave each entry of ``kinds`` in one language's pools only.

    The Faker lists overlap (2,541 of the 3,234 German first names are English first names, 451
    of the 454 Italian ones): an entry several languages hold goes to the one whose pools of
    ``kinds`` hold the fewest entries of their own so far (the names in sorted order), so the
    small pools keep most of their names and the large English one gives them up. Order within
    a pool is kept.
    """
    holders: dict[str, list[tuple[str, str]]] = {}
    for lang in sorted(out):
        for kind in kinds:
            for v in out[lang].get(kind, []):
                holders.setdefault(v.casefold(), []).append((lang, kind))
    owned = {(lang, kind): 0 for lang in out for kind in kinds}
    owner: dict[str, tuple[str, str]] = {}
    for v, hold in holders.items():
        if len(hold) == 1:
            owner[v] = hold[0]
            owned[hold[0]] += 1
    for v in sorted(v for v, hold in holders.items() if len(hold) > 1):
        best = min(holders[v], key=lambda lk: (owned[lk], lk))
        owner[v] = best
        owned[best] += 1
    for lang in out:
        for kind in kinds:
            if kind in out[lang]:
                out[lang][kind] = [v for v in out[lang][kind] if owner[v.casefold()] == (lang, kind)]


def _distinct(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out


def build() -> dict[str, Any]:
    """The file's content, as this machine's Faker produces it."""
    import faker

    return {"faker": faker.VERSION, "lexicon": lexicon(), "pools": owned_pools(pools(POOL_EXCLUDE))}


def main(argv: list[str] | None = None) -> int:
    return packaged.write_or_check(build, DATA_FILE, (__doc__ or "").split("\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
