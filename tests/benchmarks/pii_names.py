"""Person names for the PII evaluation: real ones from Faker's per-locale lists, and INVENTED ones
that no list holds.

The invented names come from an order-3 character Markov chain trained on Faker's first and last
names of the locale, seeded, and every output is rejected unless it is absent from every Faker
person list, from dsbuild's own gazetteer (``name_lexicon()``) and from the words of the corpus
templates; it must also look like a name (3-11 letters, a vowel, no letter three times in a row,
capitalised).
"""

from __future__ import annotations

import functools
import importlib
import random
import unicodedata
from collections import defaultdict

from dsbuild.stages.pii.names import LOCALES as GAZETTEER_LOCALES
from dsbuild.stages.pii.names import name_lexicon

LANG_LOCALE = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "nl": "nl_NL", "it": "it_IT"}
ORDER = 3
_START, _END = "^", "$"
_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")


def fold(text: str) -> str:
    """Casefold and strip diacritics: the form every leak check compares in."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def _person_lists(loc: str) -> tuple[list[str], list[str]]:
    try:
        p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    except ImportError:
        return [], []
    firsts: list[str] = []
    for attr in ("first_names", "first_names_male", "first_names_female"):
        v = getattr(p, attr, None) or ()
        firsts += [x for x in (v.keys() if isinstance(v, dict) else v) if isinstance(x, str)]
    v = getattr(p, "last_names", None) or ()
    lasts = [x for x in (v.keys() if isinstance(v, dict) else v) if isinstance(x, str)]
    return sorted(set(firsts)), sorted(set(lasts))


@functools.lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """Every name any list holds (folded): Faker's person lists of every locale dsbuild's
    gazetteer reads plus ours, each word of multi-word names, and dsbuild's gazetteer."""
    out: set[str] = set()
    for loc in set(GAZETTEER_LOCALES) | set(LANG_LOCALE.values()):
        f, l = _person_lists(loc)
        for name in f + l:
            out.add(fold(name))
            out.update(fold(w) for w in name.replace("-", " ").split())
    first, last = name_lexicon()
    out |= {fold(n) for n in first | last}
    return frozenset(out)


@functools.cache
def real_names(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Single-word, letters-only first and last names of the language's Faker locale."""
    f, l = _person_lists(LANG_LOCALE[lang])
    ok = lambda n: n.isalpha() and 3 <= len(n) <= 12
    return tuple(n for n in f if ok(n)), tuple(n for n in l if ok(n))


class MarkovNames:
    """An order-3 character model of one list of names."""

    def __init__(self, names: list[str] | tuple[str, ...]):
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for n in names:
            s = _START * ORDER + n.lower() + _END
            for i in range(ORDER, len(s)):
                self.counts[s[i - ORDER:i]][s[i]] += 1
        self.table = {k: (list(v), list(v.values())) for k, v in self.counts.items()}

    def sample(self, r: random.Random, max_len: int = 12) -> str:
        out = _START * ORDER
        while len(out) < max_len + ORDER:
            chars, weights = self.table[out[-ORDER:]]
            c = r.choices(chars, weights)[0]
            if c == _END:
                break
            out += c
        return out[ORDER:]


def plausible(name: str) -> bool:
    low = name.lower()
    if not (3 <= len(low) <= 11) or not low.isalpha():
        return False
    if not _VOWELS & set(low):
        return False
    return not any(low[i] == low[i + 1] == low[i + 2] for i in range(len(low) - 2))


@functools.cache
def _models(lang: str) -> tuple[MarkovNames, MarkovNames]:
    f, l = real_names(lang)
    return MarkovNames(f), MarkovNames(l)


class NameMaker:
    """Seeded source of first/last names: ``invented`` ones from the chain, else real ones."""

    def __init__(self, r: random.Random, banned_words: frozenset[str] = frozenset()):
        self.r = r
        self.banned = known_names() | banned_words

    def invent(self, lang: str, part: str) -> str:
        """An invented name. It draws from its own generator (seeded from the corpus's), so a
        name rejected because a list grew changes only that name, not the rest of the corpus."""
        model = _models(lang)[0 if part == "first" else 1]
        own = random.Random(self.r.getrandbits(64))
        for _ in range(2000):
            cand = model.sample(own)
            if plausible(cand) and fold(cand) not in self.banned:
                return cand[0].upper() + cand[1:]
        raise RuntimeError(f"no invented {part} name for {lang}")

    def real(self, lang: str, part: str) -> str:
        pool = real_names(lang)[0 if part == "first" else 1]
        for _ in range(1000):
            cand = self.r.choice(pool)
            if fold(cand) not in self._banned_real:
                return cand
        raise RuntimeError(f"no real {part} name for {lang}")

    @functools.cached_property
    def _banned_real(self) -> frozenset[str]:
        return self.banned - known_names()  # real names may be listed; only template words are out
