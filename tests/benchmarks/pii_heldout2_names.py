"""A THIRD family of invented person names for the PII evaluation (template set ``heldout2``).

``pii_names.MarkovNames`` learns letter sequences (order 3) from Faker's lists of the corpus's
own locale; ``pii_syllable_names`` composes hand-written syllables. These are made a third way:
an ORDER-2 character chain per source locale, trained on Faker's person names of locales the
corpus does not write in (Portuguese, Polish, Turkish, Czech, Slovak, Finnish, Hungarian,
Romanian, Croatian, Lithuanian, and Greek, Ukrainian, Bulgarian transliterated to Latin letters):
the names of immigrant customers of an EU business. Each corpus language draws its source
locale from its own mix (a German shop hears Turkish and Polish names, a Spanish one Romanian
and Ukrainian ones, ...), and about a third of the names lose their diacritics, as on a foreign
keyboard. Every output is rejected unless it is absent from EVERY Faker person list (every
locale, every first/last/middle list, transliterated too), from dsbuild's gazetteer
(``name_lexicon()``, via ``pii_names.known_names``) and from the words of the corpus templates,
and it must pass ``pii_names.plausible`` and have no run of four consonants; names of three
letters are dropped and of four letters kept half the time (the short chain ends early). Nothing filters out ordinary words, so now and then a
name is also a word of some language, as real names are.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import random
import unicodedata
from collections import defaultdict

from tests.benchmarks.pii_names import NameMaker, fold, plausible

ORDER = 2
_START, _END = "^", "$"
# corpus language: (source locale, weight)
SOURCES: dict[str, tuple[tuple[str, int], ...]] = {
    "en": (("pl_PL", 4), ("ro_RO", 3), ("lt_LT", 2), ("pt_PT", 2), ("hu_HU", 1), ("el_GR", 1)),
    "de": (("tr_TR", 4), ("pl_PL", 3), ("hr_HR", 2), ("el_GR", 2), ("ro_RO", 1), ("uk_UA", 1)),
    "fr": (("pt_PT", 4), ("ro_RO", 2), ("tr_TR", 2), ("pl_PL", 1), ("fi_FI", 1), ("cs_CZ", 1)),
    "es": (("ro_RO", 4), ("uk_UA", 2), ("bg_BG", 2), ("pt_PT", 2), ("pl_PL", 1)),
    "nl": (("tr_TR", 4), ("pl_PL", 3), ("bg_BG", 1), ("ro_RO", 1), ("hu_HU", 1), ("sk_SK", 1)),
    "it": (("ro_RO", 4), ("uk_UA", 2), ("el_GR", 2), ("hr_HR", 1), ("cs_CZ", 1), ("fi_FI", 1)),
}
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
                  ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s",
                   "s", "t", "y", "f", "ch", "ps", "o"]))
_CYRILLIC = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщъьюяэы",
                     ["a", "b", "v", "h", "g", "d", "e", "ye", "zh", "z", "y", "i", "yi", "i", "k", "l", "m", "n",
                      "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sht", "a", "", "yu", "ya", "e",
                      "y"]))


def latin(name: str) -> str:
    """Greek and Cyrillic names in plain Latin letters (others unchanged)."""
    low = "".join(c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c)) \
        if any("\u0370" <= c <= "\u04ff" for c in name) else name.lower()
    out = "".join(_GREEK.get(c, _CYRILLIC.get(c, c)) for c in low)
    return "".join(c for c in out if unicodedata.category(c) != "Lm").replace("yy", "y")


def _lists(loc: str) -> tuple[list[str], list[str]]:
    """Every first-name and last-name list (incl. male/female/unisex/middle) of a Faker locale."""
    try:
        p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    except ImportError:
        return [], []
    firsts: list[str] = []
    lasts: list[str] = []
    for attr in dir(p):
        if attr.startswith("_") or "name" not in attr or attr == "language_names":
            continue
        v = getattr(p, attr, None)
        if not isinstance(v, (list, tuple, dict, set, frozenset)):
            continue
        items = [x for x in (v.keys() if isinstance(v, dict) else v) if isinstance(x, str)]
        (firsts if "first" in attr or "middle" in attr else lasts).extend(items)
    return sorted(set(firsts)), sorted(set(lasts))


@functools.lru_cache(maxsize=1)
def every_faker_name() -> frozenset[str]:
    """Every word of every Faker person list of every locale, folded, also in Latin letters."""
    import faker.providers.person as person

    out: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        f, l = _lists(mod.name)
        for name in f + l:
            for w in name.replace("-", " ").split():
                out.update((fold(w), fold(latin(w)), fold(_ascii(latin(w)))))
    return frozenset(out)


def _training(loc: str, part: str) -> list[str]:
    f, l = _lists(loc)
    names = [latin(n) for n in (f if part == "first" else l)]
    return [n for n in names if n.isalpha() and 3 <= len(n) <= 12]


class Order2Chain:
    """An order-2 character chain over one list of names."""

    def __init__(self, names: list[str]):
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for n in names:
            s = _START * ORDER + n.lower() + _END
            for i in range(ORDER, len(s)):
                counts[s[i - ORDER:i]][s[i]] += 1
        self.table = {k: (list(v), list(v.values())) for k, v in counts.items()}

    def sample(self, r: random.Random, max_len: int = 11) -> str:
        """A name the chain ended itself ("" when it ran past ``max_len``: a cut name ends oddly)."""
        out = _START * ORDER
        while len(out) < max_len + ORDER:
            chars, weights = self.table[out[-ORDER:]]
            c = r.choices(chars, weights)[0]
            if c == _END:
                return out[ORDER:]
            out += c
        return ""


@functools.cache
def _chain(loc: str, part: str) -> Order2Chain:
    return Order2Chain(_training(loc, part))


def _ascii(name: str) -> str:
    s = name.replace("ł", "l").replace("ı", "i").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _speakable(name: str) -> bool:
    """No run of more than three consonants (the chain's short memory can glue clusters)."""
    run = 0
    for c in fold(name):
        run = 0 if c in "aeiouy" else run + 1
        if run > 3:
            return False
    return True


class ImmigrantNameMaker(NameMaker):
    """``NameMaker`` whose invented names come from order-2 chains over other locales' names."""

    @functools.cached_property
    def _banned_all(self) -> frozenset[str]:
        return self.banned | every_faker_name()

    def invent(self, lang: str, part: str) -> str:
        own = random.Random(self.r.getrandbits(64))
        locs, weights = zip(*SOURCES[lang])
        for _ in range(2000):
            loc = own.choices(locs, weights)[0]
            cand = _chain(loc, part).sample(own)
            if own.random() < 0.35:
                cand = _ascii(cand)
            if len(cand) < 4 or (len(cand) == 4 and own.random() < 0.5):
                continue  # the chain ends early; short names stay, but rarer
            if (plausible(cand) and _speakable(cand) and fold(cand) not in self._banned_all
                    and fold(_ascii(cand)) not in self._banned_all):
                return cand[0].upper() + cand[1:]
        raise RuntimeError(f"no invented {part} name for {lang}")
