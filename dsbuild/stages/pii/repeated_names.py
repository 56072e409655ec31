"""A name found once in a conversation is a name wherever else the conversation writes it.

The writer introduces themselves ("mi chiamo Rinaldo Vetti"), later signs with the first name
alone, or the bot thanks them by it; a colleague named after "my colleague" is the subject of the
next message ("Vetti ha pagato la fattura"). Each message is analysed on its own (and cached by
its text), so this looks across the conversation's messages: every word of a PERSON find is
found again in the others. A word no dictionary of the language holds, or a gazetteer name that
is no dictionary word, is found in any case (not from a NER find in lower case: "livrez à ...");
a dictionary word ("Rino", "Vale", "Fino") only when a cue named it capitalised, and then only
capitalised inside a sentence ("Fino a lunedì" and "fino a lunedì" stay; never in a language
that capitalises nouns). Stop words, business words, cities, product words, particles and the
language's everyday words are never taken, nor a word inside an e-mail address or a URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.langdata import business_words, city_names, lang_data, name_particles, product_words
from dsbuild.stages.pii.names import is_name
from dsbuild.stages.pii.rare_names import at_start, is_rare, known_word
from dsbuild.stages.pii.spans import CUE_SCORE, NER, PATTERN, Span

REPEAT_SCORE = 0.6
_TOKEN = re.compile(r"(?<![\w@./:'’-])[^\W\d_]{3,}(?![\w@/-]|['’](?!s\b)|\.\w)")  # "Lyn's": a token


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


def repeated_names(texts: Sequence[str], found: Mapping[str, Sequence[Span]], lang: str) -> list[list[Span]]:
    """Per text (in order), the PERSON spans of the words that a PERSON find in another (or the
    same) text of the conversation holds, where no find of that text covers them yet."""
    out: list[list[Span]] = [[] for _ in texts]
    d = lang_data(lang)
    names: dict[str, bool] = {}  # casefolded word -> found in any case (else: capitalised only)
    for text in dict.fromkeys(texts):
        for s in found.get(text, ()):
            if s.type != "PERSON":
                continue
            for m in _TOKEN.finditer(text, s.start, s.end):
                word = m.group(0)
                w = word.casefold()
                if (w in names or w in STOP_WORDS or w in d.ordinary or w in d.everyday or w in business_words()
                        or w in city_names() or w in product_words() or w in name_particles()):
                    continue
                if s.source == NER and not _capitalised(word):
                    continue  # "livrez à 20 rue ...": NER on lower-case text is a guess
                if is_rare(word, lang) or (is_name(w) and not known_word(w, lang)):
                    names[w] = True
                elif _capitalised(word) and s.score >= CUE_SCORE and not d.nouns_capitalised:
                    names[w] = False  # a dictionary word, named by a cue: "mio cognato Rino"
    if not names:
        return out
    for i, text in enumerate(texts):
        spans = found.get(text, ())
        for m in _TOKEN.finditer(text):
            word = m.group(0)
            any_case = names.get(word.casefold())
            if any_case is None or (not any_case and not (_capitalised(word) and not at_start(text, m.start()))):
                continue  # a dictionary word: capitalised inside a sentence only ("Fino a lunedì" stays)
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue  # already found there (as this name, an e-mail address, ...)
            out[i].append(Span(m.start(), m.end(), "PERSON", REPEAT_SCORE, PATTERN))
    return out
