"""Invented names: a word that no dictionary of the conversation's language holds.

Cue lists (``lang/*.yaml``) find names in the positions they were written for ("my name is X").
A name that stands anywhere else (a sentence's subject, "my colleague X (email, phone)", lower
case) is found here by what the token itself is: a word of 3+ letters absent from the common
words of the conversation's language and English (``lang/common_words.txt.gz``, built by
:mod:`.build_common_words`), from the business words and cities, and from the stop words, that is

* capitalised and not at the start of a sentence or message (German: and not after an article
  or preposition, ``noun_markers``, since German nouns are capitalised), or
* next to a gazetteer name or another such word (a full name, any case), also across name
  ``particles`` ("Wumdraje van Geerthuis", "Sel van Brolvink"), or
* in a name position, any case: after a greeting that opens the sentence, after a
  ``name_prepositions`` word ("with", "mit"), before a here-word, opening a sentence before a
  ``self_tags`` phrase ("X again", "X por aquí") or an ``origin_prepositions`` word ("X aus
  der Buchhaltung"), before ``with_me`` ("X und ich"), at the start of a sentence before a
  lower-case word that is not a ``function_words`` one, alone after a comma at a sentence's end,
  alone (or with one more name part) on the message's last line or in its last sentence
  ("Alvast bedankt!\nJustijn", "Danke für die Hilfe! Gülte"), or
* in a message all in lower case (or a line of three words or more in lower case), anywhere but
  right after a ``determiners`` word, unless it is a typo of a dictionary word.

Two or three dictionary words run together (a compound, :func:`is_compound`: "Volkerst",
"Bundhuber") are a name only beside another name part or in a strong name position (a greeting,
a here-word, a self tag, alone on the last line); after a preposition they are a noun
("für Bestandskunden").

A dictionary word is a name by its frame only: opening a sentence as the subject of a
third-person verb where common nouns take an article (``finite_verbs``: "Betta vorrebbe un
preventivo"; a gazetteer first name there in lower case too), between a greeting and a here-word, or (in a
language that does not capitalise nouns) capitalised right after a greeting or "with", or
(``capitalised_vocatives``) after a comma ending the sentence ("Tot horens, Han."); capitalised
and joined by a ``conjunctions`` word to a name found here ("Wumdraje en Ber"); a gazetteer
first name in lower case in the strong positions above ("wouter hier").

All-caps words, words with digits, and parts of e-mail addresses, URLs and compounds of two
common words are left alone.
"""

from __future__ import annotations

import functools
import re
import string

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES
from dsbuild.stages.pii.langdata import (
    LangData,
    business_words,
    city_names,
    dictionary_words,
    inflections,
    lang_data,
    language_words,
    lead_field_words,
    product_nouns,
    product_words,
)
from dsbuild.stages.pii.names import is_first_name, is_name
from dsbuild.stages.pii.spans import PATTERN, Span

RARE_SCORE = 0.55
_TOKEN = re.compile(r"(?<![\w@./:'’-])[^\W\d_]{3,}(?![\w@/-]|['’](?!s\b)|\.\w)")  # "Lyn's": a token
_URLISH = re.compile(r"\S*(?:@|://|www\.)\S*|\S+\.(?:com|org|net|io|de|fr|es|nl|it|eu|co|uk)\b\S*")
_PREV_CHARS = 64  # how far back the word before a candidate is looked for
_SENTENCE_END = ".!?:;\n\"'>(«»¡¿-–—*•"
_LINKS = ("", "s", "n", "en", "e", "es")


def common_words() -> dict[str, frozenset[str]]:
    """Language → its common words, casefolded (package data, read by :mod:`.langdata`)."""
    return dictionary_words()


@functools.lru_cache(maxsize=50_000)
def common_word(word: str, lang: str) -> bool:
    """An ordinary word of the language (or English) that is no name: "Désolé", "Lite",
    "ottimo", "geschehen". A name that is also a word ("Rose", "Pierre", "will") is not one.
    The lists hold frequent names no gazetteer has ("marnix"), so this decides only where the
    position is weak evidence of a name."""
    w = word.casefold()
    return w in _own_words(lang) and w not in COMMON_WORD_NAMES and not is_name(w)


@functools.cache
def _known_words(lang: str) -> frozenset[str]:
    """The words of the conversation's language and English (a name in a German chat may be a
    word of Italian: "Manca", "Denn" in an English one), the business words and cities of every
    language, and the stop words."""
    words: set[str] = set(_own_words(lang))
    words |= business_words() | city_names() | set(STOP_WORDS)
    d = lang_data(lang)
    words |= d.ordinary | d.everyday
    return frozenset(words)


@functools.cache
def _own_words(lang: str) -> frozenset[str]:
    cw = common_words()
    return cw.get(lang, frozenset()) | cw.get("en", frozenset())


@functools.lru_cache(maxsize=50_000)
def _compound(w: str, lang: str, parts: int = 3, last: int = 4) -> bool:
    """Two or three common words of the language (or English) run together ("Lieferadresse",
    "Paperwhite", "snelstartgids"): a compound, not a name, in a language that writes compounds
    as one word (``compound_words``; in French "Novaraza", "Maurélie" are no compounds). A part
    that is a first name does not count ("Danicoliver", "Rubenjames", "Carolanita" are names),
    nor a head under 4 letters ("Natalice" is not "nat" + "alice"), nor a last part under
    ``last`` letters."""
    if (len(w) < 8 and parts == 3) or not lang_data(lang).compound_words:
        return False
    own = _compound_parts(lang)
    if parts < 3 and w in own and len(w) >= last:
        return not is_first_name(w)
    if parts == 1:
        return False
    for i in range(4, len(w) - 3):
        head, tail = w[:i], w[i:]
        if any(head.endswith(k) and _part(head[:len(head) - len(k)], own) for k in _LINKS
               if len(head) - len(k) >= 4) and len(tail) >= 4 and _compound(tail, lang, parts - 1, last):
            return True
    return False


@functools.cache
def _compound_parts(lang: str) -> frozenset[str]:
    """The words a compound of the language is made of: its own common words (the loans it
    uses are among them: "Onlineshop", "Kundenaccount"), not English's, whose words run
    together read as invented names in German or Dutch ("Haultold", "Weisswig")."""
    return common_words().get(lang, frozenset())


def _part(word: str, own: frozenset[str]) -> bool:
    return word in own and not is_first_name(word)


def known_word(word: str, lang: str = "en") -> bool:
    """A word of the language (or English), a business word, a city or a stop word."""
    return word.casefold() in _known_words(lang)


@functools.lru_cache(maxsize=50_000)
def is_rare(word: str, lang: str = "en") -> bool:
    """A word no configured language's dictionary holds: a candidate name."""
    w = word.casefold()
    return (len(w) >= 3 and w.isalpha() and w not in _known_words(lang) and not word.isupper()
            and not _compound(w, lang) and not _inflected(w, lang))


@functools.lru_cache(maxsize=50_000)
def _english_only(word: str, lang: str) -> bool:
    """A word of the English list only, no word of the language's own, business, city,
    product, stop, everyday or greeting lists ("Fro", "Got", "Wig" in a German chat: the English
    loans German uses are German words too: "Support", "Team", "Update")."""
    w = word.casefold()
    d = lang_data(lang)
    return (lang != "en" and w in common_words().get("en", frozenset())
            and w not in common_words().get(lang, frozenset()) and w not in STOP_WORDS
            and w not in d.everyday and w not in d.ordinary and w not in business_words()
            and w not in city_names() and w not in product_words() and w not in product_nouns()
            and w not in d.greeting_words and w not in d.function_words and not is_name(w) and len(w) >= 3)


@functools.lru_cache(maxsize=50_000)
def is_compound(word: str, lang: str = "en") -> bool:
    """A word no dictionary holds that reads as two or three dictionary words run together
    ("Volkerst", "Heideltraut", "Bundhuber", "Lieferadresse" if it were unlisted): no name on its
    own, but in a name's place (:func:`_name_position`) or beside a name ("lea bundhuber") one
    (compound names and surnames are as German or Dutch as compound nouns)."""
    w = word.casefold()
    return (len(w) >= 3 and w.isalpha() and not word.isupper() and w not in _known_words(lang)
            and not is_name(w) and _compound(w, lang) and not _inflected(w, lang)
            and not (lang != "en" and _noun_ending(lang).search(w)))


def _inflected(w: str, lang: str) -> bool:
    """An inflected form of a dictionary word (the language's ``inflections``): "lentísimo",
    "lentissima" are "lento", "lenta" made superlative, no names."""
    known = _known_words(lang)
    for suffix, endings in inflections(lang):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[:-len(suffix)]
            return any(stem + e in known for e in endings)
    return False


@functools.cache
def _noun_ending(lang: str) -> re.Pattern[str]:
    """The language's own word endings that make a word an ordinary word (-ung, -heiten, ...)."""
    tails = sorted(language_words(lang, "not_name_suffixes"), key=len, reverse=True)
    return re.compile("(?i)(?:" + "|".join(tails) + ")$" if tails else "(?!x)x")


def at_start(text: str, start: int) -> bool:
    """Nothing but spaces between a sentence end (or the text's start) and ``start``; read
    backwards, so a long text with many candidates stays linear."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_END


_BEFORE = re.compile(r"([^\W\d_]+)([\s,!]*)$")
_AFTER = re.compile(r"([ \t]*,?[ \t]*)([^\W\d_]+)")
_END = re.compile(r"[ \t]*[.!]*[ \t]*$")
_CLAUSE_END = re.compile(r"[ \t]*(?:[.!?]+(?=\s|$)|$)")  # the sentence ends right after
_APPOSITION = re.compile(r"[ \t]*,[ \t]*([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?")  # "X, my assistant"


def _before(text: str, start: int) -> re.Match[str] | None:
    """The word before ``start`` and what separates them (spaces, commas, "!")."""
    return _BEFORE.search(text, max(0, start - 40), start)


def _opens(text: str, start: int, d: LangData) -> bool:
    """A greeting at ``start`` opens its sentence (alone or after another: "guten tag")."""
    if at_start(text, start):
        return True
    before = _before(text, start)
    return before is not None and before.group(1).lower() in d.greeting_words and at_start(text, before.start())


def _name_position(text: str, m: re.Match[str], d: LangData, weak: bool = True) -> bool:
    """A position where a word no dictionary holds is a name in any case: after a greeting that
    opens the sentence ("hallo ninalilippe,"), after a name preposition ("with", "mit", "avec"),
    before a here-word ("nige here"), opening a sentence before a self tag ("Thilie à nouveau",
    "Mulfuita por aquí", ``self_tags``) or a preposition of origin ("Lida aus der Buchhaltung",
    ``origin_prepositions``), before the writer joining it ("Fatmary und ich", ``with_me``), at
    the start of a sentence before a lower-case word or a comma ("Kather needs access", "zorvenk,
    can you"), and alone after a comma at the end ("thanks a lot, zorvenk"). ``weak=False``: only
    the greeting, here-word, self-tag, with-me and apposition positions (a word may stand in the
    others: "con paz", "luz no funciona", "ok, claro")."""
    start, end = m.start(), m.end()
    before = _before(text, start)
    if before is not None:
        prev, gap = before.group(1).lower(), before.group(2)
        if prev in d.greeting_words and "\n" not in gap and _opens(text, before.start(), d):
            return True
        if weak and prev in d.name_prepositions and gap.strip(" \t") == "":
            return True
        if weak and "," in gap and "\n" not in gap and _CLAUSE_END.match(text, end):
            return True  # "thanks a lot, zorvenk", "Sorry voor het wachten, Verat. Ik kijk ..."
    after = _AFTER.match(text, end)
    if after is not None and after.group(2).lower() in d.here_word_set and "," not in after.group(1):
        return True
    if d.self_tag.match(text, end) and _opens(text, start, d):
        return True  # "Thilie à nouveau, ...", "hola, mulfuita por aquí"
    if d.with_me.match(text, end):
        return True  # "Fatmary und ich brauchen", "ho parlato con Vetta e io"
    if (weak and after is not None and after.group(2).lower() in d.origin_prepositions
            and after.group(1).strip(" \t") == "" and (at_start(text, start) or (
                before is not None and before.group(1).lower() in d.greeting_words and "\n" not in before.group(2)
                and _opens(text, before.start(), d)))):
        return True  # "Lida aus der Buchhaltung hat", "Felio de contabilidad me pidió"
    apposition = _APPOSITION.match(text, end)
    if apposition is None and after is not None and after.group(2)[:1].isupper() and "," not in after.group(1):
        apposition = _APPOSITION.match(text, after.end())  # "an Regorzata Holz, unsere Buchhalterin"
    if apposition is not None and any(w.lower() in d.possessives for w in apposition.groups() if w):
        return True
    if weak and at_start(text, start) and text.startswith(("'s ", "’s "), end):
        return True  # a possessive opening the sentence: "Boondelle's account is locked"
    if weak and at_start(text, start) and _last_line(text, m, after) and _lower_rare(m.group(0), d.code):
        return True  # the message's last line or sentence is the name: "Alvast bedankt!\nJustijn"
    if weak and at_start(text, start) and after is not None and after.start(2) > end:
        nxt = after.group(2)
        if nxt[:1].isupper() and nxt[1:].islower() and "," not in after.group(1):  # "Fideria Barro me"
            after = _AFTER.match(text, after.end())
            if after is None or after.start(2) == after.end(1) == after.start(1):
                return False
            nxt = after.group(2)
        return "," in after.group(1) or (nxt.islower() and nxt.casefold() in _known_words(d.code)
                                         and nxt not in d.function_words)
    return False


def _last_line(text: str, m: re.Match[str], after: re.Match[str] | None) -> bool:
    """Nothing but the end of the message after ``end``, or one more word cased like a name
    part and then the end ("Vielen Dank!\nRuthilo Ner", "bedankt voor de hulp! verat")."""
    end = m.end()
    if _END.match(text, end):
        return True
    if after is None or after.start(2) == end or after.group(1).strip(" \t") or not _END.match(text, after.end()):
        return False
    nxt = after.group(2)
    return nxt.islower() if m.group(0).islower() else (nxt[:1].isupper() and nxt[1:].islower())


@functools.lru_cache(maxsize=50_000)
def _lower_rare(word: str, lang: str) -> bool:
    """In a message written all in lower case, a word of 4+ letters that no dictionary of the
    language holds and that is no typo of a word of the language (two letters swapped, one
    typed twice, one missing but the first, in a 4-letter word only one of a double:
    "gisteern", "rechnug", "imer"; the word it would be a typo of no name or city: "silvi",
    "miano"; "udino" is no "budino", "milde" no English "mildew") is a name wherever it stands
    ("does drertric need a login?"), except right after an article or another determiner (see
    :func:`rare_names`)."""
    w = word.casefold()
    if len(w) < 4:
        return False
    known = _typo_targets(lang)

    def word_of(x: str) -> bool:  # a misspelt name is a name: "loris" (floris), "ilara" (ilaria)
        return x in known and not is_name(x)

    if any(word_of(w[:i] + w[i + 1] + w[i] + w[i + 2:]) for i in range(len(w) - 1)):
        return False  # a swap: "gisteern"
    if any(w[i] in (w[i - 1:i] + w[i + 1:i + 2]) and word_of(w[:i] + w[i + 1:]) for i in range(len(w))):
        return False  # a letter typed twice: "helllo", "gisteern" (not any letter too many:
        # "hurine" is no "urine", "babela" no "babel")
    if len(w) < 5:  # a short word is a missing letter away from too many words ("gora": "agora"):
        # only a missing double letter ("imer")
        return not any(word_of(w[:i] + w[i] + w[i:]) for i in range(len(w)))
    letters = set(w) | set(string.ascii_lowercase)
    return not any(word_of(w[:i] + c + w[i:]) for i in range(1, len(w) + 1) for c in letters)  # "rechnug"


@functools.lru_cache(maxsize=50_000)
def typo_of_word(word: str, lang: str) -> bool:
    """A word of 5+ letters that no dictionary holds but that is a word of the language (no
    name) with two adjacent letters swapped, in any case ("Psoso", "Kmomt", "Leifern",
    "Accetatte"): a typo, not an invented name. (Only this slip: a letter missing, added or
    doubled is a step away from too many names, "Gerre", "Warry"; a 4-letter word is a swap
    away from names too: "Mian", "main".)"""
    return _swapped_from(word, lang, _typo_targets(lang))


@functools.lru_cache(maxsize=50_000)
def typo_of_listed(word: str, lang: str) -> bool:
    """As :func:`typo_of_word`, of a business word, a city or a product word ("Pasne",
    "Bsaic", "Quimpre", "Premimu"): those lists are short, so a typo of one is that word
    wherever it stands."""
    return _swapped_from(word, lang, _listed())


@functools.cache
def _listed() -> frozenset[str]:
    return frozenset(w for w in business_words() | city_names() | product_words() if len(w) >= 5)


def _swapped_from(word: str, lang: str, known: frozenset[str]) -> bool:
    w = word.casefold()
    if len(w) < 5 or not w.isalpha() or w in _known_words(lang) or is_name(w):
        return False

    def word_of(x: str) -> bool:
        return x in known and not is_name(x) and x not in COMMON_WORD_NAMES

    first = 1 if word[:1].isupper() else 0  # "oPsso": a capital swapped away is no name's shape anyway
    return any(w[i] != w[i + 1] and word_of(w[:i] + w[i + 1] + w[i] + w[i + 2:]) for i in range(first, len(w) - 1))


@functools.cache
def _typo_targets(lang: str) -> frozenset[str]:
    """The words a typo in a message of the language is taken for: its own common words (not
    English's in another language), stop, ordinary, everyday and business words; no city."""
    d = lang_data(lang)
    words = common_words().get(lang, frozenset()) | d.ordinary | d.everyday | business_words()
    return frozenset(words - city_names())


def _after_determiner(text: str, m: re.Match[str], d: LangData) -> bool:
    """Right after an article or another determiner ("la fatura", "die rechnug", "mijn
    bestlling"): a noun's place. Right after a bare preposition a name is as likely as a noun
    ("le pregunté a claudith", "ho chiesto a paolando"): nouns mostly take an article there."""
    before = _before(text, m.start())
    return before is not None and before.group(2).strip(" \t") == "" and before.group(1) in d.determiners


def _framed(text: str, m: re.Match[str], d: LangData) -> bool:
    """A dictionary word that is a name by its frame: between an opening greeting and a
    here-word or a self tag ("hi, gio hier", "salut, dianne ici", "moin, heinze nochmal"), or
    capitalised right after a greeting or a lower-case ``name_prepositions`` word in a language
    that does not capitalise nouns ("ciao Vitto", "hey Sea,", "con Gelo")."""
    word = m.group(0)
    w = word.casefold()
    if w in STOP_WORDS or w in d.ordinary or w in d.everyday or w in business_words() or w in d.greeting_words:
        return False
    before = _before(text, m.start())
    if (before is not None and not d.nouns_capitalised and before.group(1) in d.name_prepositions
            and before.group(2).strip(" \t") == "" and word[:1].isupper() and word[1:].islower()
            and w not in city_names() and w not in product_words()):
        return True  # "ho parlato con Gelo", "ik heb met Maar gebeld": a capitalised word after "with"
    if (d.capitalised_vocatives and before is not None and "," in before.group(2) and "\n" not in before.group(2)
            and word[:1].isupper() and word[1:].islower() and w not in city_names() and w not in product_words()
            and not (d.nouns_capitalised and _noun_ending(d.code).search(word))
            and (before.group(1).islower() or (at_start(text, before.start()) and known_word(before.group(1), d.code)))
            and _CLAUSE_END.match(text, m.end())):
        return True  # "Tot horens, Han.", "Sorry voor het ongemak, Emi!": a capitalised word ending the sentence
    if (d.capitalised_names and _capitalised(word) and _after_break(text, m.start())
            and _last_line(text, m, _AFTER.match(text, m.end())) and w not in city_names()
            and w not in product_words() and d.signoff.match(text, m.start()) is None):
        return True  # alone on the message's last line, below its text: the writer's name ("Dat was het.\nAno")
    if before is None or before.group(1).lower() not in d.greeting_words or "\n" in before.group(2):
        return False
    after = _AFTER.match(text, m.end())
    if after is not None and after.group(2).lower() in d.here_word_set and "," not in after.group(1):
        return _opens(text, before.start(), d)
    if d.self_tag.match(text, m.end()) and not d.not_name_tail.search(w):
        return _opens(text, before.start(), d)  # "goedemorgen, saartje aan de lijn" (not "hi, accounting writing")
    if (after is not None and after.group(2).lower() in d.origin_prepositions and not after.group(1).strip(" \t")
            and not d.not_name_tail.search(w) and w not in city_names()):
        return _opens(text, before.start(), d)  # "hey, vin from leeds, quick question", "Dag, Corn uit Gent"
    return not d.nouns_capitalised and word[:1].isupper() and word[1:].islower() and (
        before.group(1).islower() or not at_start(text, m.start()))


def _after_break(text: str, start: int) -> bool:
    """Only spaces or a dash between a line break that follows some text and ``start``."""
    i = start
    while i > 0 and text[i - 1] in " \t-–—":
        i -= 1
    return i > 0 and text[i - 1] == "\n" and bool(text[:i].strip())


def _subject(text: str, toks: list[re.Match[str]], i: int, d: LangData, uniform: bool) -> int:
    """Token ``i`` opens a sentence as the subject of a third-person verb (``finite_verbs``,
    after ``preverbal`` words): "Betta vorrebbe un preventivo", "Cesa mi ha girato la mail",
    "Pila está esperando". Where the language's common nouns take an article (the languages
    that list the verbs), a bare subject is a proper noun: a name, though a dictionary word,
    when capitalised (alone or with a capitalised surname: "Nano Razzo ha pagato"), or in a
    message all in lower case when it is a gazetteer first name ("giancarlo lavora ancora") or
    the verb is one whose subject is a person (``person_verbs``: "pella chiede se ...").
    Never a stop, everyday, business, city or product word, a greeting, a function word or a
    word with one of the language's ``not_name_suffixes``. Returns the subject's end (0: none)."""
    if d.finite_verb is None or not at_start(text, toks[i].start()):
        return 0
    word = toks[i].group(0)
    if not _subject_word(word, d) or not (word.islower() if uniform else _capitalised(word)):
        return 0
    end = toks[i].end()
    tag = None if uniform else d.self_tag.match(text, end)
    if tag is not None and _TAG_END.match(text, tag.end()):
        return end  # opening the message before a self tag and a pause: "Suela por aquí, sobre ..."
    if uniform and not is_first_name(word):
        verb = d.person_verb
        if (verb is not None and not verb.match(text, end) and i + 1 < len(toks) and _joined(text, toks[i], toks[i + 1])
                and toks[i + 1].group(0).islower() and _subject_word(toks[i + 1].group(0), d)):
            end = toks[i + 1].end()  # "pot cot m'a conseillé de vous contacter": a full name
        return end if verb is not None and verb.match(text, end) else 0
    if d.finite_verb.match(text, end):
        return end
    if (not uniform and i + 1 < len(toks) and _joined(text, toks[i], toks[i + 1])
            and _capitalised(toks[i + 1].group(0)) and _subject_word(toks[i + 1].group(0), d)
            and d.finite_verb.match(text, toks[i + 1].end())):
        return toks[i + 1].end()
    return 0


_TAG_END = re.compile(r"[ \t]*(?:[,.!?:;]|$)")


def _subject_word(word: str, d: LangData) -> bool:
    """(A gazetteer name keeps a verb's ending: "Giancarlo" is no "-arlo" infinitive.)"""
    w = word.casefold()
    return not (w in STOP_WORDS or w in d.everyday or w in d.ordinary or w in business_words()
                or w in city_names() or w in product_words() or w in product_nouns() or w in d.particles
                or w in d.greeting_words or w in d.function_words or w in d.determiners
                or w in lead_field_words()[1] or (_noun_ending(d.code).search(w) and not is_first_name(w)))


def _surname(text: str, toks: list[re.Match[str]], i: int, j: int, d: LangData) -> bool:
    """Token ``j`` beside the name at ``i`` is the other part of a full name although it is a
    word ("Tjark Cost", "Her Oberhu", "emili santo"): capitalised like the name, or, in lower
    case and after it, ending the phrase; never a stop word, greeting or business word."""
    name, word = toks[i].group(0), toks[j].group(0)
    w = word.casefold()
    english_only = (w in STOP_WORDS and d.code != "en" and w not in d.everyday and name[0].isupper()
                    and _capitalised(word) and not at_start(text, toks[j].start()))  # "Wumdraje Her"
    # (the language's own and English business words only: d.ordinary; an Italian "mer" is a
    # Dutch surname)
    if ((w in STOP_WORDS and not english_only) or w in d.ordinary or w in d.everyday
            or w in d.function_words or w in d.particles or w in d.greeting_words):
        return False
    if name[0].isupper():
        return word[0].isupper() and word[1:].islower()
    if not word.islower():
        return False
    if j < i:  # lower case, before the name: opening the sentence as its subject ("leembrine brolvink
        # kan niet inloggen") or opening a self-introduction ("hoi, ano brolvink hier")
        if at_start(text, toks[j].start()) and is_rare(name, d.code) and not d.signoff.match(text, toks[j].start()):
            return True  # (not a sign-off: "mfg janis ertl")
        after = _AFTER.match(text, toks[i].end())
        intro = ((after is not None and after.group(2).lower() in d.here_word_set and "," not in after.group(1))
                 or d.self_tag.match(text, toks[i].end()) is not None)
        before = _before(text, toks[j].start())
        return intro and (before is None or "," in before.group(2) or at_start(text, toks[j].start())
                          or before.group(1).lower() in d.greeting_words)
    if i > 0 and _joined(text, toks[i - 1], toks[i]) and is_rare(toks[i - 1].group(0), d.code):
        return False  # lower case: a surname after a lone first name only
    rest = text[toks[j].end():].lstrip(" \t")
    nxt = _AFTER.match(text, toks[j].end())
    follower = nxt.group(2).casefold() if nxt is not None and nxt.start(2) > toks[j].end() else ""
    return (not rest or rest[0] in ",.!?;:()\n"
            or follower in d.function_words or follower in d.here_word_set or follower in d.conjunctions
            or d.self_tag.match(text, toks[j].end()) is not None)  # "tjark holz und ...", "ano brolvink hier"


_PARTICLE = re.compile(r"[ \t]+([^\W\d_]{1,4})(?=[ \t])")


def _particle_links(text: str, toks: list[re.Match[str]], namish: list[bool], d: LangData) -> dict[int, int]:
    """Token i → token j when only name particles stand between them ("van", "van der", "de",
    "di", "von") and one of the two is a name or a word no dictionary holds: the two ends of one
    name ("Wumdraje van Geerthuis", "annick van borman")."""
    starts = {m.start(): k for k, m in enumerate(toks)}
    out: dict[int, int] = {}
    for i, m in enumerate(toks):
        if m.group(0).lower() in d.particles:
            continue
        pos = m.end()
        for _ in range(2):  # "van", "van der"
            p = _PARTICLE.match(text, pos)
            if p is None or p.group(1).lower() not in d.particles:
                break
            pos = nxt = p.end()
            while nxt < len(text) and text[nxt] in " \t":
                nxt += 1
            j = starts.get(nxt)
            if j is not None and toks[j].group(0).lower() in d.particles:
                continue  # "van der"
            if j is not None and (namish[i] or namish[j]):
                out[i] = j
                break
    return out


_CONJ_AFTER = re.compile(r"[ \t]+([^\W\d_]+)[ \t]+([^\W\d_]{2,})(?![\w@/'’-])")
_CONJ_BEFORE = re.compile(r"(?<![\w@./'’-])([^\W\d_]{2,})[ \t]+([^\W\d_]+)[ \t]+$")


def _coordinated(text: str, found: list[Span], d: LangData, uniform: bool) -> list[Span]:
    """A capitalised word joined by a conjunction (``conjunctions``: "en", "und") to a name found
    here is a name too, though it is a dictionary word ("Wumdraje en Ber", "Tris und Ingard");
    never a stop, everyday, business, city or product word, nor (German) a noun's ending. In a
    message all in lower case, a word no dictionary holds, even one a typo away from a word
    ("wumdraje en milke")."""
    out: list[Span] = []
    for s in found:
        cands = []
        a = _CONJ_AFTER.match(text, s.end)
        if a is not None and a.group(1).lower() in d.conjunctions:
            cands.append((a.start(2), a.end(2)))
        b = _CONJ_BEFORE.search(text, max(0, s.start - 40), s.start)
        if b is not None and b.group(2).lower() in d.conjunctions:
            cands.append((b.start(1), b.end(1)))
        for start, end in cands:
            word = text[start:end]
            w = word.casefold()
            if uniform:
                if is_rare(word, d.code) and not any(x.start < end and start < x.end for x in found + out):
                    out.append(Span(start, end, "PERSON", RARE_SCORE, PATTERN))
                continue
            if (word[:1].isupper() and word[1:].islower() and w not in STOP_WORDS and w not in d.everyday
                    and w not in d.ordinary and w not in business_words() and w not in city_names()
                    and w not in product_words() and w not in d.particles
                    and not (d.nouns_capitalised and _noun_ending(d.code).search(word))
                    and not any(x.start < end and start < x.end for x in found + out)):
                out.append(Span(start, end, "PERSON", RARE_SCORE, PATTERN))
    return out


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


def _proper_nouns(text: str, toks: list[re.Match[str]], d: LangData) -> list[bool]:
    """``capitalised_names`` (a language that writes its nouns in lower case): a dictionary word
    capitalised inside a sentence is a proper noun, and one in a person's place is a name ("Mag
    Ster de facturen zien?", "Ik stuur Han even een bericht", "Gisteren kwam Elissa Molens
    langs"): alone or two in a row, none opening the sentence, none a stop, everyday, business,
    city, product or function word; not right after an article, a preposition or a conjunction
    (``function_words``, ``determiners``, ``place_prepositions``, ``conjunctions``: "via
    Facturatie", "naar Inkoop", "de Belastingdienst", "Slack en Teams"), nor after another
    capitalised word (a title: "Kamer van Koophandel", "Black Friday"), nor right after a noun
    that follows one of those ("la stampante Epson", "il colore Grafite"), nor before a number
    ("Office 365")."""
    out = [False] * len(toks)
    if not d.capitalised_names:
        return out
    after_prep = d.function_words | d.determiners | d.conjunctions
    i = 0
    while i < len(toks):
        if not _capitalised(toks[i].group(0)):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and _capitalised(toks[j].group(0)) and _joined(text, toks[j - 1], toks[j]):
            j += 1  # toks[i:j]: a run of capitalised words
        first = i + 1 if at_start(text, toks[i].start()) else i  # the sentence's first word: its case says nothing
        run = toks[first:j]
        ok = (1 <= len(run) <= 2 and all(_plain_proper(t.group(0), d) for t in run)
              and not _NUMBER.match(text, run[-1].end()))
        if ok and first == i:
            before = _before(text, run[0].start())
            if before is not None and "\n" not in before.group(2):
                prev = before.group(1)
                ok = not (prev.casefold() in after_prep or d.place_preposition.search(prev + " ")
                          or (_capitalised(prev) and not before.group(2).strip(" \t")))
                if ok and prev.islower() and not before.group(2).strip(" \t") and prev.casefold() not in d.everyday:
                    # (a stop word is no noun: "Dat heeft Elissa mij verteld")
                    noun = _before(text, before.start())  # "la stampante Epson", "il colore Grafite":
                    ok = not (noun is not None and not noun.group(2).strip(" \t")  # a noun's name
                              and noun.group(1).casefold() in after_prep)
        elif ok:
            ok = toks[i].group(0).casefold() not in after_prep  # "Via Mollie", "In Houten"
        for k in range(first, j):
            out[k] = ok
        i = j
    return out


_NUMBER = re.compile(r"[ \t]+\d")


def _plain_proper(word: str, d: LangData) -> bool:
    """No word a list says is not a person, and no gazetteer name (those are the lexicon's:
    "Spreken jullie Engels?")."""
    w = word.casefold()
    return not (is_name(w) or w in STOP_WORDS or w in d.everyday or w in d.ordinary or w in business_words()
                or w in city_names() or w in product_words() or w in product_nouns() or w in d.particles
                or w in d.greeting_words or w in d.function_words or w in lead_field_words()[1] or len(w) < 3)


_COUNT = re.compile(r"\d{1,3}(?:[.,]\d+)?[-–]?")  # "5", "2,5", "3-": a number of things, not an id
_WORDS3 = re.compile(r"[^\W\d_]+\W+[^\W\d_]+\W+[^\W\d_]+")


def _lower_lines(text: str) -> list[tuple[int, int]]:
    """The lines of a mixed-case message written all in lower case, of three words or more
    ("does steartah need a login?\nBest, Kafeel"): their casing says nothing either."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.islower() and _WORDS3.search(line):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _joined(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    return text[a.end():b.start()].strip(" \t") == ""


def rare_names(text: str, lang: str = "en") -> list[Span]:
    """PERSON spans for invented names outside any cue position (see the module doc)."""
    d = lang_data(lang)
    blocked = [(m.start(), m.end()) for m in _URLISH.finditer(text)] if ("@" in text or "." in text) else []
    toks = [m for m in _TOKEN.finditer(text)
            if not any(a <= m.start() < b for a, b in blocked)]
    # a typo of a dictionary word where the casing says nothing (opening a sentence; any
    # capitalised word in German) and outside a strong name position ("Henrie et moi") is no
    # word a dictionary holds, and no name either ("Psoso pagare", "Kmomt es"); elsewhere a
    # capitalised one may be an invented name ("Barke"). (In lower case _lower_rare weighs a
    # typo, and one still joins the name beside it: "eheft madelief".)
    typo = [not m.group(0).islower() and is_rare(m.group(0), lang) and (typo_of_listed(m.group(0), lang) or (
        typo_of_word(m.group(0), lang) and (d.nouns_capitalised or at_start(text, m.start()))
        and not _name_position(text, m, d, weak=False))) for m in toks]
    rare = [is_rare(m.group(0), lang) and not t for m, t in zip(toks, typo)]
    named = [not r and is_name(m.group(0)) and m.group(0).casefold() not in d.everyday
             and m.group(0).casefold() not in STOP_WORDS
             and m.group(0).casefold() not in business_words()  # "im Mai Webinare": a month
             for m, r in zip(toks, rare)]

    def adjacent(i: int, j: int) -> bool:
        return 0 <= j < len(toks) and text[min(toks[i].end(), toks[j].end()):
                                           max(toks[i].start(), toks[j].start())].strip(" \t") == ""

    # German: a word of English only, capitalised inside a sentence, is no German noun
    foreign = [d.nouns_capitalised and not r and not n and _capitalised(m.group(0)) and _english_only(m.group(0), lang)
               for m, r, n in zip(toks, rare, named)]
    # dictionary words run together: a name part beside a name, or in a name's place
    compound = [not r and not n and is_compound(m.group(0), lang) for m, r, n in zip(toks, rare, named)]

    uniform = text.islower()  # no capital anywhere: the casing says nothing, the word does
    lower_lines = [] if uniform else _lower_lines(text)  # nor in a line of 3+ words without one
    proper = _proper_nouns(text, toks, d) if not uniform else [False] * len(toks)
    proper = [p and not t for p, t in zip(proper, typo)]
    namish = [r or n for r, n in zip(rare, named)]
    ahead = _particle_links(text, toks, namish, d)
    behind = {j: i for i, j in ahead.items()}

    def linked(i: int, j: int | None) -> bool:
        """"Wumdraje van Geerthuis", "annick van borman", "Brolvine van Dijk": the surname after
        the particles is a name, or capitalised like the name before them."""
        return j is not None and (namish[j] or (not uniform and toks[i].group(0)[:1].isupper()
                                                and _surname(text, toks, i, j, d)))

    out: list[Span] = []
    for i, m in enumerate(toks):
        word = m.group(0)
        if not rare[i] and named[i] and word.islower() and is_first_name(word) and _name_position(
                text, m, d, weak=False):
            # a gazetteer first name in lower case, in a strong name position ("wouter hier",
            # "adamo qui", "eli por aquí"): the position says what the casing cannot
            out.append(Span(m.start(), m.end(), "PERSON", RARE_SCORE, PATTERN))
            continue
        low = uniform or any(a <= m.start() < b for a, b in lower_lines)
        subject = 0 if rare[i] else _subject(text, toks, i, d, low)
        if subject and low:  # a gazetteer first name: the lexicon's, but not in lower case
            out.append(Span(m.start(), subject, "PERSON", RARE_SCORE, PATTERN))
            continue
        if (not rare[i] and not proper[i] and not compound[i] and not subject and not foreign[i]
                and not _framed(text, m, d)):
            continue
        full = (any(adjacent(i, j) and (rare[j] or named[j] or (compound[j] and not compound[i]))
                    for j in (i - 1, i + 1))
                or linked(i, ahead.get(i)) or (behind.get(i) is not None and namish[behind[i]]))
        if compound[i] and not rare[i] and not proper[i] and not full and not (
                _name_position(text, m, d, weak=False)
                or (d.spaced_compounds and _capitalised(word) and not at_start(text, m.start())
                    and not _compound(word.casefold(), lang, last=5)
                    and not any(adjacent(i, j) and toks[j].group(0)[:1].isupper() for j in (i - 1, i + 1)))
                or (d.spaced_compounds and word.islower() and not _compound(word, lang, last=5)
                    and (uniform or any(a <= m.start() < b for a, b in lower_lines))
                    and _lower_rare(word, lang) and not _after_determiner(text, m, d))
                or (at_start(text, m.start()) and _last_line(text, m, _AFTER.match(text, m.end())))):
            continue  # a compound alone: a name only in a strong name's place or alone on the last
            # line ("Das wäre alles.\nVolkerst"); after a preposition it is a noun ("für Bestandskunden");
            # capitalised inside a sentence of a language that writes compound nouns apart
            # (``spaced_compounds``), a name when it ends on a 4-letter word ("Mitchelle",
            # "Stephine": -elle, -hine), a product's name when on a longer one ("Paperwhite",
            # "Backorder") or beside another capitalised word ("Brightpath Logistics")
        lone = word[0].isupper() and word[1:].islower() and not at_start(text, m.start())
        if lone and d.nouns_capitalised and not full:
            prev = text[max(0, m.start() - _PREV_CHARS):m.start()].split()  # the word before
            lone = (bool(prev) and prev[-1].casefold().strip(",") not in d.noun_markers
                    and not _noun_ending(lang).search(word)  # "Abholstationen", "Lieferungen"
                    and not _COUNT.fullmatch(prev[-1]))  # a count's noun: "3 bis 5 Werktage"
        if (foreign[i] and not rare[i] and not compound[i] and not proper[i] and not subject and not full
                and not (lone and not any(adjacent(i, j) and toks[j].group(0)[:1].isupper() for j in (i - 1, i + 1)))
                and not _name_position(text, m, d, weak=False)):
            continue  # an English word capitalised inside a German sentence: a name where a lone
            # rare word is one ("Heute ist Fro krank"), not in a brand's title ("Google Kalender")
        if subject > m.end():  # "Nano Razzo ha pagato": the surname too
            out.append(Span(m.start(), subject, "PERSON", RARE_SCORE, PATTERN))
            continue
        if full or lone or subject or _name_position(text, m, d) or (
                (uniform or any(a <= m.start() < b for a, b in lower_lines))
                and _lower_rare(word, lang) and not _after_determiner(text, m, d)
                and not (d.code != "en" and _noun_ending(lang).search(word))):  # "richiamarmi"
            start, end = m.start(), m.end()
            if i > 0 and (named[i - 1] or (compound[i - 1] and not compound[i])) and adjacent(i, i - 1):
                start = toks[i - 1].start()
            if i + 1 < len(toks) and (named[i + 1] or compound[i + 1]) and adjacent(i, i + 1):
                end = toks[i + 1].end()
            elif i + 1 < len(toks) and adjacent(i, i + 1) and _surname(text, toks, i, i + 1, d):
                end = toks[i + 1].end()
            if (i > 0 and start == m.start() and adjacent(i, i - 1) and _surname(text, toks, i, i - 1, d)
                    and not (proper[i] and not rare[i] and at_start(text, toks[i - 1].start()))):  # "Zit Teams"
                start = toks[i - 1].start()
            if end == m.end() and linked(i, ahead.get(i)):
                end = toks[ahead[i]].end()
            k = behind.get(i)
            if start == m.start() and k is not None and (namish[k] or (
                    not d.nouns_capitalised and not uniform and word[:1].isupper()
                    and not at_start(text, toks[k].start()) and _surname(text, toks, i, k, d))):
                start = toks[k].start()  # "Michelente van den Brolvink", "Sel van Geerthuis"
            if out and text[out[-1].end:start].strip(" \t") == "" and out[-1].end <= start:
                start = out.pop().start  # one span for a full name
            elif out and start < out[-1].end:
                start = out.pop().start
            out.append(Span(start, end, "PERSON", RARE_SCORE, PATTERN))
    if out and d.conjunctions:
        out = sorted(out + _coordinated(text, out, d, uniform), key=lambda s: s.start)
    return out
