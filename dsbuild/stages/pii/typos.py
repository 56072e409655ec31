"""Letter-swap repair of cue words: "my nmae is", "ich hesie", "Viele rGüße", "mijn clolega".

Users type fast; one swapped pair of letters in "heiße" or "collega" hid the name after it from
every cue rule. :func:`repaired` returns a copy of the text (same length, so every offset maps
back one to one) where a word that is no word of the language but becomes a cue word of it
(:func:`.langdata.cue_words`) by swapping two adjacent letters is swapped back. Only cue words
are targets: an invented name that happens to be a swapped common word ("Mian", "main") stays.
"""

from __future__ import annotations

import functools
import re

from dsbuild.stages.pii.langdata import cue_words

_WORD = re.compile(r"[^\W\d_]{4,}")


@functools.lru_cache(maxsize=50_000)
def _fix(word: str, lang: str) -> str:
    cues = cue_words(lang)
    w = word.lower()
    if w in cues or len(w) != len(word):
        return word
    for i in range(len(word) - 1):
        if w[i] != w[i + 1] and (w[:i] + w[i + 1] + w[i] + w[i + 2:]) in cues:
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word


def repaired(text: str, lang: str = "en") -> str:
    """The text with swapped letters in cue words put back (same length)."""
    return _WORD.sub(lambda m: _fix(m.group(0), lang), text)
