"""Invented names: a capitalised word that no dictionary of any PII language holds.

Cue lists (``lang/*.yaml``) find names in the positions they were written for ("my name is X").
A name that stands anywhere else (a sentence's subject, "my colleague X (email, phone)", lower
case) is found here by what the token itself is: a word of 3+ letters absent from the common
words of every language (``lang/common_words.txt.gz``, built by :mod:`.build_common_words`),
from the business words and cities, and from the stop words, that is either

* capitalised and not at the start of a sentence or message (German: and not after an article
  or preposition, since German nouns are capitalised), or
* next to a gazetteer name or another such word (a full name, any case).

All-caps words, words with digits, and parts of e-mail addresses, URLs and compounds of two
common words are left alone.
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES
from dsbuild.stages.pii.langdata import LANGUAGES, business_words, city_names, lang_data, language_words
from dsbuild.stages.pii.names import is_name
from dsbuild.stages.pii.spans import PATTERN, Span

RARE_SCORE = 0.55
_TOKEN = re.compile(r"(?<![\w@./:'’-])[^\W\d_]{3,}(?![\w@/'’-]|\.\w)")
_URLISH = re.compile(r"\S*(?:@|://|www\.)\S*|\S+\.(?:com|org|net|io|de|fr|es|nl|it|eu|co|uk)\b\S*")
_SENTENCE_END = ".!?:;\n\"'>(«»¡¿-–—*•"
# German (and Dutch) words after which a capitalised word is a noun, not a name
_DE_NOUN_BEFORE = frozenset("""
der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins ans aufs
mit von für auf in an bei aus nach zu über unter vor hinter neben zwischen durch gegen ohne um
unser unsere unseren unserem unserer ihr ihre ihren ihrem mein meine meinen meinem dein deine
kein keine keinen diese dieser diesen dieses jede jeder jedes alle neue neuen neuer welche
welcher welches jeden viele einige mehrere zwei drei per pro als wie
""".split())
_LINKS = ("", "s", "n", "en", "e", "es")


@functools.lru_cache(maxsize=1)
def common_words() -> dict[str, frozenset[str]]:
    """Language → its common words, casefolded (package data)."""
    blob = resources.files("dsbuild.stages.pii").joinpath("lang/common_words.txt.gz").read_bytes()
    out: dict[str, set[str]] = {}
    for line in gzip.decompress(blob).decode("utf-8").splitlines():
        lang, _, word = line.partition("\t")
        out.setdefault(lang, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


@functools.lru_cache(maxsize=50_000)
def common_word(word: str, lang: str) -> bool:
    """An ordinary word of the language (or English) that is no name: "Désolé", "Lite",
    "ottimo", "geschehen". A name that is also a word ("Rose", "Pierre", "will") is not one.
    The lists hold frequent names no gazetteer has ("marnix"), so this decides only where the
    position is weak evidence of a name."""
    w = word.casefold()
    return w in _own_words(lang) and w not in COMMON_WORD_NAMES and not is_name(w)


@functools.lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    words: set[str] = set().union(*common_words().values())
    words |= business_words() | city_names() | set(STOP_WORDS)
    for code in LANGUAGES:
        d = lang_data(code)
        words |= d.ordinary | d.everyday
    return frozenset(words)


@functools.cache
def _own_words(lang: str) -> frozenset[str]:
    cw = common_words()
    return cw.get(lang, frozenset()) | cw.get("en", frozenset())


def _compound(w: str, lang: str, parts: int = 3) -> bool:
    """Two or three common words of the language (or English) run together ("Lieferadresse",
    "Paperwhite", "snelstartgids"): a compound, not a name."""
    if len(w) < 8 and parts == 3:
        return False
    own = _own_words(lang)
    if parts < 3 and w in own:
        return True
    if parts == 1:
        return False
    for i in range(3, len(w) - 3):
        head, tail = w[:i], w[i:]
        if any(head.endswith(k) and head[:len(head) - len(k)] in own for k in _LINKS
               if len(head) - len(k) >= 3) and len(tail) >= 4 and _compound(tail, lang, parts - 1):
            return True
    return False


@functools.lru_cache(maxsize=50_000)
def is_rare(word: str, lang: str = "en") -> bool:
    """A word no configured language's dictionary holds: a candidate name."""
    w = word.casefold()
    return (len(w) >= 3 and w.isalpha() and w not in _known_words() and not word.isupper()
            and not _compound(w, lang))


@functools.cache
def _noun_ending(lang: str) -> re.Pattern[str]:
    """The language's own word endings that make a word an ordinary word (-ung, -heiten, ...)."""
    tails = sorted(language_words(lang, "not_name_suffixes"), key=len, reverse=True)
    return re.compile("(?i)(?:" + "|".join(tails) + ")$" if tails else "(?!x)x")


def _initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END


def rare_names(text: str, lang: str = "en") -> list[Span]:
    """PERSON spans for invented names outside any cue position (see the module doc)."""
    d = lang_data(lang)
    blocked = [(m.start(), m.end()) for m in _URLISH.finditer(text)] if ("@" in text or "." in text) else []
    toks = [m for m in _TOKEN.finditer(text)
            if not any(a <= m.start() < b for a, b in blocked)]
    rare = [is_rare(m.group(0), lang) for m in toks]
    named = [not r and is_name(m.group(0)) and m.group(0).casefold() not in d.everyday
             and m.group(0).casefold() not in STOP_WORDS
             and m.group(0).casefold() not in business_words()  # "im Mai Webinare": a month
             for m, r in zip(toks, rare)]

    def adjacent(i: int, j: int) -> bool:
        return 0 <= j < len(toks) and text[min(toks[i].end(), toks[j].end()):
                                           max(toks[i].start(), toks[j].start())].strip(" \t") == ""

    out: list[Span] = []
    for i, m in enumerate(toks):
        if not rare[i]:
            continue
        word = m.group(0)
        full = any(adjacent(i, j) and (rare[j] or named[j]) for j in (i - 1, i + 1))
        lone = word[0].isupper() and word[1:].islower() and not _initial(text, m.start())
        if lone and d.nouns_capitalised and not full:
            prev = text[:m.start()].split()
            lone = (bool(prev) and prev[-1].casefold().strip(",") not in _DE_NOUN_BEFORE
                    and not _noun_ending(lang).search(word))  # "Abholstationen", "Lieferungen"
        if full or lone:
            start, end = m.start(), m.end()
            if i > 0 and named[i - 1] and adjacent(i, i - 1):
                start = toks[i - 1].start()
            if i + 1 < len(toks) and named[i + 1] and adjacent(i, i + 1):
                end = toks[i + 1].end()
            if out and text[out[-1].end:start].strip(" \t") == "" and out[-1].end <= start:
                start = out.pop().start  # one span for a full name
            elif out and start < out[-1].end:
                start = out.pop().start
            out.append(Span(start, end, "PERSON", RARE_SCORE, PATTERN))
    return out
