"""A SECOND family of invented person names for the PII evaluation (template set ``tuning2``).

``pii_names.MarkovNames`` learns letter sequences from Faker's lists of the same locale, so its
names resemble the real names a detector may have learned. These are made differently: composed
from hand-written syllables (onset + vowel + optional coda) of each language's sound pattern and a
first- or last-name ending (``-mann``, ``-ink``, ``-elli``, ``-ez``, ``-eau``, ``-ford``, ...). No
list of real names is read to make them; every output is still rejected unless it is absent from
every Faker person list, from dsbuild's gazetteer (``name_lexicon()``) and from the words of the
corpus templates, and it must pass ``pii_names.plausible`` (3-11 letters, a vowel, no letter
three times in a row).
"""

from __future__ import annotations

import random

from tests.benchmarks.pii_names import NameMaker, fold, plausible

# lang: (onsets, vowels, codas, first-name endings, last-name endings)
SYLLABLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (("b", "br", "c", "cl", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "r", "s",
            "sh", "st", "t", "th", "tr", "w", "wh"),
           ("a", "e", "i", "o", "u", "ea", "ai", "oo", "ay"),
           ("", "", "n", "r", "l", "m", "s", "nd", "rt", "ck"),
           ("a", "ie", "en", "ah", "on", "ey", "yn", "elle", "ric", "win"),
           ("ton", "ley", "well", "son", "ford", "by", "more", "ham", "ridge", "worth", "ock")),
    "de": (("b", "br", "d", "f", "fr", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "r", "s", "sch",
            "schw", "st", "t", "w", "z"),
           ("a", "e", "i", "o", "u", "ei", "au", "ie", "ä", "ö", "ü"),
           ("", "", "n", "r", "l", "ck", "nd", "lt", "rk", "ß"),
           ("o", "a", "ine", "bert", "mar", "wig", "run", "hild", "old", "ke"),
           ("mann", "er", "ler", "inger", "bach", "hofer", "huber", "meier", "brandt", "ke", "stein")),
    "fr": (("b", "br", "c", "ch", "d", "f", "g", "gr", "j", "l", "m", "n", "p", "pr", "r", "s", "t",
            "tr", "v"),
           ("a", "e", "i", "o", "ou", "é", "au", "ai", "eu"),
           ("", "", "", "n", "r", "l", "s"),
           ("ine", "elle", "ette", "ien", "ard", "ane", "ic", "ance", "ot"),
           ("ard", "ier", "eau", "on", "ot", "in", "et", "ault", "oux", "elin", "ençon")),
    "es": (("b", "c", "ch", "d", "f", "g", "j", "l", "ll", "m", "n", "p", "r", "s", "t", "v", "z"),
           ("a", "e", "i", "o", "u", "ia", "ue"),
           ("", "", "", "n", "r", "l", "s"),
           ("a", "o", "ita", "ino", "ela", "ián", "ara", "ero"),
           ("ez", "ero", "ado", "iño", "ón", "ales", "illo", "eda", "ota", "anes")),
    "nl": (("b", "br", "d", "dr", "g", "gr", "h", "j", "k", "kl", "l", "m", "n", "p", "r", "s", "sch",
            "st", "t", "v", "w", "z"),
           ("a", "e", "i", "o", "u", "aa", "ee", "oo", "ij", "ui", "ou", "ie"),
           ("", "", "n", "r", "l", "k", "m", "rt"),
           ("je", "ke", "ine", "bert", "mar", "ard", "ien", "a"),
           ("ink", "ema", "stra", "huis", "ens", "ker", "man", "sma", "veld", "kamp", "dijk")),
    "it": (("b", "c", "ch", "d", "f", "g", "gh", "l", "m", "n", "p", "r", "s", "sc", "t", "v", "z"),
           ("a", "e", "i", "o", "u", "ia", "io"),
           ("", "", "", "n", "r", "l"),
           ("a", "o", "ina", "ello", "etta", "iano", "ilde", "ino"),
           ("elli", "ucci", "one", "ini", "etti", "azzo", "ari", "ese", "oni", "otto", "ieri")),
}


class SyllableNames:
    """Names of one language composed from syllables and an ending."""

    def __init__(self, lang: str):
        self.onsets, self.vowels, self.codas, self.first_ends, self.last_ends = SYLLABLES[lang]

    def syllable(self, r: random.Random) -> str:
        return r.choice(self.onsets) + r.choice(self.vowels) + r.choice(self.codas)

    def sample(self, r: random.Random, part: str) -> str:
        body = "".join(self.syllable(r) for _ in range(r.choice((1, 1, 2))))
        ends = self.first_ends if part == "first" else self.last_ends
        end = r.choice(ends)
        if body[-1:] in "aeiouäöüéy" and end[:1] in "aeiouäöüéy":
            body = body[:-1] or body  # "Loa" + "ine" would be three vowels in a row
        return body + end


class SyllableNameMaker(NameMaker):
    """``NameMaker`` whose invented names come from :class:`SyllableNames` (real ones as before)."""

    def invent(self, lang: str, part: str) -> str:
        model = SyllableNames(lang)
        own = random.Random(self.r.getrandbits(64))
        for _ in range(2000):
            cand = model.sample(own, part)
            if plausible(cand) and fold(cand) not in self.banned:
                return cand[0].upper() + cand[1:]
        raise RuntimeError(f"no invented {part} name for {lang}")
