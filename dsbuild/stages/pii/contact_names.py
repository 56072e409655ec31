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

import functools
import re
from collections.abc import Collection

from dsbuild.stages.pii.foldmap import fold
from dsbuild.stages.pii.langdata import DEFAULT, name_particles, stop_words, supported
from dsbuild.stages.pii.names import is_name
from dsbuild.stages.pii.rare_names import known_word
from dsbuild.stages.pii.spans import PATTERN, Span

CONTACT_SCORE = 0.75
_EMAIL = re.compile(r"([\w.+-]+)\s*(?:@|＠|\[at\]|\(at\)|\{at\})\s*[\w-]+")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_MIN = 3
_MARKS = ("@", "＠", "[at]", "(at)", "{at}")  # what _EMAIL needs: most texts have none


def contact_names(text: str, lang: str = "en") -> list[Span]:
    """PERSON spans for the words that an e-mail address in the text spells (module doc)."""
    if not any(mark in text for mark in _MARKS):
        return []
    emails = list(_EMAIL.finditer(text))
    if not emails:
        return []
    locals_ = [re.findall(r"[a-z]+", fold(m.group(1))) for m in emails]
    runs = {r for parts in locals_ for r in parts if len(r) >= _MIN}
    initials = {r for parts in locals_ for r in parts if len(r) == 1}  # "t.oberhuber"
    if not runs:
        return []
    inside = [(m.start(), m.end()) for m in emails]
    toks = [t for t in _TOKEN.finditer(text) if not any(a <= t.start() < b for a, b in inside)]
    spelled = [len(fold(t.group(0))) >= _MIN and any(
        fold(t.group(0)) == r or (len(r) >= len(t.group(0)) + _MIN and (r.startswith(fold(t.group(0)))
                                                                          or r.endswith(fold(t.group(0)))))
        for r in runs) for t in toks]
    # a common word the address spells is a name only capitalised or beside another spelled part
    # or a word of no dictionary
    # ("info@", "sales.team@" do not make "info" or "team" a name; "maxime cost (maxime.cost@")
    strong = [sp and (not known_word(t.group(0), lang) or is_name(t.group(0)) or t.group(0)[:1].isupper())
              for t, sp in zip(toks, spelled)]
    out: list[Span] = []
    for i, t in enumerate(toks):
        if not spelled[i]:
            continue
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(toks)
                  and (spelled[j] or not known_word(toks[j].group(0), lang))
                  and text[min(t.end(), toks[j].end()):max(t.start(), toks[j].start())].strip(" \t") == ""]
        if not strong[i] and not beside:
            continue
        start, end = t.start(), t.end()
        start = _grow(text, toks, i, -1, lang, start, initials)
        end = _grow(text, toks, i, 1, lang, end, initials)
        out.append(Span(start, end, "PERSON", CONTACT_SCORE, PATTERN))
    return out


@functools.cache
def _stop(lang: str) -> frozenset[str]:
    """The conversation's language's stop words and English's (EU chats mix English in)."""
    return stop_words(supported(lang)) | stop_words(DEFAULT)


def _grow(text: str, toks: list[re.Match[str]], i: int, step: int, lang: str, edge: int,
          initials: Collection[str] = ()) -> int:
    """The edge of the full name around token ``i``: up to two name-like words on that side
    (no word of the language, a name, or a word starting with an initial of the address:
    "Brencent Jamer (b.jamer@"), with particles between (a particle alone at the edge is left
    out)."""
    j, names, particles = i + step, 0, 0
    stop = _stop(lang)
    while 0 <= j < len(toks) and names < 2 and particles < 3:
        left, right = (toks[j - 1], toks[j]) if step > 0 else (toks[j], toks[j + 1])
        if text[left.end():right.start()].strip(" \t"):
            break
        word = toks[j].group(0)
        if word.lower() in name_particles():
            particles += 1
        elif (not known_word(word, lang)
              or (step < 0 and names == 0 and fold(word)[:1] in initials and word.lower() not in stop)
              or (particles and word.lower() not in stop)):  # "ter Weve": after a particle
            names += 1
            particles = 0
            edge = toks[j].end() if step > 0 else toks[j].start()
        else:
            break
        j += step
    return edge
