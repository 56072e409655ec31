"""A name that its own e-mail address spells: "my colleague Tjark Oberhu (tjark.oberhu@x.de,
+49 ...)", "write to loïs (honing.lois@ziggo.nl)".

The local part of an e-mail address in the same text is the strongest context a name can have:
a word of the text that equals a letter run of the local part (diacritics folded), or starts or
ends one ("tjarkoberhuber" holds "tjark" and "oberhuber"), is a PERSON, in any case, list or no
list. A common word of the language counts only when it is a gazetteer name or capitalised
("info@", "sales.team@" do not make "info" or "team" a name). The span grows over the full
name around it: particles ("ter", "van der") and the words next to it that are rare words or
gazetteer names (:mod:`.rare_names`).
"""

from __future__ import annotations

import re
import unicodedata

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.langdata import name_particles
from dsbuild.stages.pii.names import is_name
from dsbuild.stages.pii.rare_names import is_rare, known_word
from dsbuild.stages.pii.spans import PATTERN, Span

CONTACT_SCORE = 0.75
_EMAIL = re.compile(r"([\w.+-]+)\s*(?:@|＠|\[at\]|\(at\)|\{at\})\s*[\w-]+")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_MIN = 3
_RUN = re.compile(r"[a-z]{3,}")  # _MIN letters or more


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def contact_names(text: str, lang: str = "en") -> list[Span]:
    """PERSON spans for the words that an e-mail address in the text spells (module doc)."""
    if "@" not in text and "＠" not in text and "at" not in text:
        return []
    emails = list(_EMAIL.finditer(text))
    if not emails:
        return []
    runs = {r for m in emails for r in _RUN.findall(_fold(m.group(1)))}
    if not runs:
        return []
    inside = [(m.start(), m.end()) for m in emails]
    toks = [t for t in _TOKEN.finditer(text) if not any(a <= t.start() < b for a, b in inside)]
    out: list[Span] = []
    for i, t in enumerate(toks):
        word = t.group(0)
        w = _fold(word)
        if len(w) < _MIN or not any(w == r or (len(r) >= len(w) + _MIN and (r.startswith(w) or r.endswith(w)))
                                    for r in runs):
            continue
        if known_word(word, lang) and not is_name(word) and not word[:1].isupper():
            continue
        start, end = t.start(), t.end()
        start = _grow(text, toks, i, -1, lang, start)
        end = _grow(text, toks, i, 1, lang, end)
        out.append(Span(start, end, "PERSON", CONTACT_SCORE, PATTERN))
    return out


def _grow(text: str, toks: list[re.Match[str]], i: int, step: int, lang: str, edge: int) -> int:
    """The edge of the full name around token ``i``: up to two name-like words on that side,
    with particles between (a particle alone at the edge is left out)."""
    j, names, particles = i + step, 0, 0
    while 0 <= j < len(toks) and names < 2 and particles < 3:
        left, right = (toks[j - 1], toks[j]) if step > 0 else (toks[j], toks[j + 1])
        if text[left.end():right.start()].strip(" \t"):
            break
        word = toks[j].group(0)
        if word.lower() in name_particles():
            particles += 1
        elif (is_rare(word, lang) or (is_name(word) and not known_word(word, lang))
              or (particles and word.lower() not in STOP_WORDS)):  # "ter Weve": after a particle
            names += 1
            particles = 0
            edge = toks[j].end() if step > 0 else toks[j].start()
        else:
            break
        j += step
    return edge
