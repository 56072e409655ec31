"""Per-language PII knowledge: reads ``lang/<code>.yaml`` and compiles it once per process.

The data files hold the words (name cues, sign-offs, street words, postcodes, card/IBAN/phone
cues, business vocabulary, national recognizers); this module turns them into the regexes and
sets the boosters use. See ``lang/README.md`` for the keys.

Every language is read together with English: support chats in Europe mix in English ("hi",
"thanks", "my name is"), and a short conversation may be detected as the wrong language. The
business vocabulary (never a person) is the union of all languages, for the same reason.
"""

from __future__ import annotations

import functools
import gzip
import importlib
import importlib.util
import re
from dataclasses import dataclass
from importlib import resources
from itertools import compress
from pathlib import Path
from typing import Any

import yaml

from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES

LANGUAGES = ("en", "de", "fr", "es", "nl", "it")
DEFAULT = "en"

# Shared building blocks of the name and address patterns.
UPPER = r"A-ZÀ-ÖØ-ÞĀ-ſΆ-ΫА-ЯŁŚŻŹĆŃ"
WORD = r"[^\W\d_][\w'’.-]*"  # a word starting with a letter
CAP = r"[" + UPPER + r"][\w'’-]*"


@functools.cache
def stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words of a language, read from ``spacy/lang/<code>/stop_words.py`` alone:
    importing ``spacy.lang.<code>.stop_words`` runs the language package first, and
    ``spacy.lang.fr`` compiles its tokenizer exceptions there (about 4 s of CPU at every start,
    for a list of words)."""
    spec = importlib.util.find_spec("spacy.lang")
    roots = spec.submodule_search_locations if spec is not None else None
    path = Path(next(iter(roots)), code, "stop_words.py") if roots else None
    if path is None or not path.is_file():
        return frozenset()
    module_spec = importlib.util.spec_from_file_location(f"_dsbuild_stop_words_{code}", path)
    if module_spec is None or module_spec.loader is None:
        return frozenset()
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


_stop_words = stop_words


# libyaml's safe loader where PyYAML has it: the same documents, ~10x less CPU (the six files
# took 0.085 s of every build's start with the pure-Python one)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _raw(code: str) -> dict[str, Any]:
    text = resources.files("dsbuild.stages.pii").joinpath(f"lang/{code}.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=_LOADER) or {}
    if not isinstance(data, dict):
        raise TypeError(f"lang/{code}.yaml: not a mapping")
    return data


def _words(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or ""
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value).split()


def _phrases(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise TypeError(f"lang file key {key!r}: expected a list")
    return [str(v) for v in value]


def _alt(fragments: list[str]) -> str:
    """Longest first, so "mein name ist" wins over "mein"."""
    frags = sorted(dict.fromkeys(f for f in fragments if f), key=len, reverse=True)
    return "(?:" + "|".join(frags) + ")" if frags else "(?!x)x"


def _literal_alt(words: list[str]) -> str:
    return _alt([re.escape(w) for w in words])


# connectors and adverbs that may follow a name ("c'est jean", "Tjark und ...", "soy X otra vez")
_NAME_FOLLOWERS = ["and", "und", "et", "y", "e", "en", "again", "here", "hier", "ici", "aquí", "qui",
                   "from", "aus", "de", "da", "di", "van", "von", "speaking", "am apparat", "al telefono",
                   "otra vez", "de nuevo", "encore", "wieder", "nochmal", "weer", "di nuovo", "ancora",
                   "nog een keer", "una vez más", "once more"]


# after a sign-off: it ended on punctuation, or the next character ends its word ("gr" is a
# Dutch sign-off, "Groningen" is not one followed by "oningen")
_WORD_END = r"(?:(?<=\W)|(?!\w))"


def _cue_regex(cues: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?i:\b" + _alt(cues) + r"\s+)(" + WORD + r")(?:\s+(" + WORD + r"))?")


def _frames(frames: list[str]) -> tuple[re.Pattern[str], ...]:
    """Name slots: ``{name}`` is one or two words; a frame that starts with the slot, or with
    ``^`` ("^braucht {name} ein"), is anchored at the start of a sentence. One regex per frame
    (each numbers its groups 1 and 2)."""
    name = r"(" + WORD + r")(?:\s+(" + WORD + r"))??"
    out = []
    for f in frames:
        anchored = f.startswith(("{name}", "¿?{name}", "^"))
        f = f.removeprefix("^")
        head = r"(?:^|(?<=[.!?¿¡\n])\s*)" if anchored else r"\b"
        body = f.replace("¿?{name}", "{name}").replace("{name}", ")" + name + "(?i:")
        out.append(re.compile(head + "(?i:" + body + r")\b"))
    return tuple(out)


_BRAND_SLOT = r"(?P<brand>[^\W\d_][\w'’&+-]*(?:[ \t]+[^\W\d_][\w'’&+-]*)?)"


def _brand_frames(frames: list[str]) -> tuple[re.Pattern[str], ...]:
    """Brand slots: ``{brand}`` is one or two words (group ``brand``), the rest of the frame is
    matched case-insensitively as whole words."""
    out = []
    for f in frames:
        before, _, after = f.partition("{brand}")
        out.append(re.compile((r"(?<!\w)(?i:" + before + ")" if before else "(?<![\\w'’-])") + _BRAND_SLOT
                              + ("(?i:" + after + r")(?!\w)" if after.strip() else r"(?![\w'’-])")))
    return tuple(out)


def _foreign(fragments: list[str], code: str) -> list[str]:
    """English cue fragments fit to mix into language ``code``: not one that reads as one of its
    own stop words (English "i'?m" is German "im": "im Juni", "im Mai" are no introduction)."""
    own = _stop_words(code)
    # one compiled pattern per fragment (re.fullmatch(f, w) looked each one up in re's cache per
    # stop word: ~360k lookups, a second of every run's start)
    return [f for f in fragments if not any(map(re.compile(f, re.IGNORECASE).fullmatch, own))]


@dataclass(frozen=True)
class LangData:
    """The compiled knowledge of one language (with English mixed in)."""

    code: str
    region: str
    nouns_capitalised: bool
    compound_words: bool  # dictionary words run together are a word ("Lieferadresse")
    spaced_compounds: bool  # "Paperwhite" is a product's name, "Mitchelle" a person's (English)
    capitalised_vocatives: bool  # "Tot horens, Han.": a capitalised word after a comma ending the sentence
    capitalised_names: bool  # "Mag Ster de facturen zien?": a capitalised word inside a sentence is a name
    strong_cue: re.Pattern[str]
    weak_cue: re.Pattern[str]
    start_cue: re.Pattern[str]
    here: re.Pattern[str]
    signoff: re.Pattern[str]  # strong: the message's last word(s) after it are a name
    signoff_weak: re.Pattern[str]  # English: only a name-like word
    postfix: re.Pattern[str]
    name_end: re.Pattern[str]  # what may follow a lone name in a name position
    vocative: re.Pattern[str]  # "Kein Problem, X." : a name when punctuation or the end follows
    subject: re.Pattern[str]  # "x y m'a dit": a name at the start before a reporting verb
    frames: tuple[re.Pattern[str], ...]  # "can X also ...": name slots
    relation: re.Pattern[str]
    customer_id_cue: re.Pattern[str]
    order_id_cue: re.Pattern[str]
    everyday: frozenset[str]
    common_names: frozenset[str]  # English names that are also words: a name only capitalised
    not_name_tail: re.Pattern[str]
    ordinary: frozenset[str]
    place_preposition: re.Pattern[str]
    place_cue: re.Pattern[str]
    not_place_cue: re.Pattern[str]
    street_suffix: str  # regex fragments (alternations), for boosters' address patterns
    street_prefix: str
    street_link: str
    street_word: str
    street_word_cap: str
    state_code: str  # US state codes, any case: "..., lake sandra, ca 90210"
    number_unit: str  # "volte", "Tage", "hours": the number before one is no house number
    address_cue: re.Pattern[str]
    card_cue: re.Pattern[str]
    iban_cue: re.Pattern[str]
    phone_cue: re.Pattern[str]
    national: tuple[str, ...]
    particles: frozenset[str]
    greeting_words: frozenset[str]  # "hallo", "bonjour": a rare word after one is a name
    here_word_set: frozenset[str]  # "hier", "ici": a rare word before one is a name
    self_tag: re.Pattern[str]  # "again", "por aquí": after the writer's name opening a sentence
    with_me: re.Pattern[str]  # "and I", "und ich": after a person the writer joins
    origin_prepositions: frozenset[str]  # "from", "aus": "X from accounting"
    conjunctions: frozenset[str]  # "en", "und": a capitalised word joined to a name is a name
    name_prepositions: frozenset[str]  # "with", "mit", "avec": a rare word after one is a name
    noun_markers: frozenset[str]  # German: a capitalised word after these is a noun
    function_words: frozenset[str]  # articles, prepositions: a word before one is no subject
    determiners: frozenset[str]  # articles, possessives, demonstratives: a noun's place follows
    possessives: frozenset[str]  # "X, my assistant": a rare word in apposition is a name
    clitic: re.Pattern[str]  # "Livrez-vous", "Pouvez-vous": a verb joined to its pronoun
    brand_frames: tuple[re.Pattern[str], ...]  # "pay with {brand}", "deliver to {place}": no person
    finite_verb: re.Pattern[str] | None  # " non ha", " me reenvió", " n'arrive": a subject's verb follows
    person_verb: re.Pattern[str] | None  # " chiede", " me pidió": a verb whose subject is a person follows


def supported(lang: str) -> str:
    """The language code to use: an unknown one falls back to English."""
    return lang if lang in LANGUAGES else DEFAULT


@functools.cache
def lang_data(lang: str) -> LangData:
    code = supported(lang)
    own = _raw(code)
    en = _raw(DEFAULT)
    sources = [own] if code == DEFAULT else [own, en]

    def words(key: str) -> list[str]:
        return [w for d in sources for w in _words(d, key)]

    def phrases(key: str) -> list[str]:
        return _phrases(own, key) + ([] if code == DEFAULT else _foreign(_phrases(en, key), code))

    stop = _stop_words(code) | _stop_words(DEFAULT) if code != DEFAULT else _stop_words(DEFAULT)
    everyday = {w.lower() for w in _words(own, "everyday")}
    common = frozenset(COMMON_WORD_NAMES - _stop_words(DEFAULT) - set(_words(en, "business")))
    if code == DEFAULT:
        everyday |= COMMON_WORD_NAMES
    else:  # English everyday words, but not the English-only name words ("jean", "frank")
        everyday |= {w.lower() for w in _words(en, "everyday")} | _stop_words(code)
    greetings = _literal_alt(words("greetings"))
    here_words = _literal_alt(words("here_words"))
    # the name ends the message; a particle and a surname may follow ("Wieger van Wabeke")
    end_name = (r"(" + WORD + r")(?:\s+(" + WORD + r"))?(?=(?:\s+[a-z]{1,3}['’]?){0,2}(?:\s+" + WORD
                + r")?\s*[.!]*\s*$)")
    greeting = r"(?:(?i:" + greetings + r")[\s,!.]*)" + ("" if own.get("start_needs_greeting") else "?")
    start = (r"^\s*" + greeting + r"(?:[\w'’]+[\s,!.]+)?(?i:" + _alt(_phrases(own, "start_cues"))
             + r")\s+(" + WORD + r")(?:\s+(" + WORD + r"))?")
    tails = [t for d in sources for t in _phrases(d, "not_name_suffixes")]
    return LangData(
        code=code,
        region=str(own.get("region") or "US"),
        nouns_capitalised=bool(own.get("nouns_capitalised", False)),
        compound_words=bool(own.get("compound_words", False)),
        spaced_compounds=bool(own.get("spaced_compounds", False)),
        capitalised_vocatives=bool(own.get("capitalised_vocatives", False)),
        capitalised_names=bool(own.get("capitalised_names", False)),
        strong_cue=_cue_regex(phrases("strong_cues")),
        weak_cue=_cue_regex(phrases("weak_cues")),
        start_cue=re.compile(start),
        here=re.compile(r"(?:^|[.!?]\s+|,\s*)(?i:" + greetings + r")?[, ]*(" + CAP + r")(?:\s+(" + CAP
                        + r"))?\s+(?i:" + here_words + r")\b"),
        signoff=re.compile(r"(?:^|[.!?]\s+|\n|,\s*|(?<=\s))\s*(?<!\w)(?i:" + _alt(_phrases(own, "signoffs"))
                           + r")" + _WORD_END + r"(?:[.!]+(?=[ \t]*\n))?\s*" + end_name)
        if _phrases(own, "signoffs") else re.compile(r"(?!x)x"),
        signoff_weak=re.compile(r"(?:^|[.!?]\s+|\n)\s*(?i:" + _alt(_phrases(en, "signoffs_weak"))
                                + r")" + _WORD_END + r"\s*" + end_name),
        postfix=re.compile(r"(?:^|(?<=\s))(" + CAP + r")(?:\s+(" + CAP + r"))?\s+(?:"
                           + _alt(phrases("postfix_verbs")) + r")\b"),
        name_end=re.compile(r"\s*(?:$|[,.!?;:)\n(]|\s(?i:" + _alt(_NAME_FOLLOWERS + [
            f for f in phrases("signoffs") + phrases("signoffs_weak") if f[:1].isalpha()]) + r")\b)"),
        vocative=_cue_regex(phrases("vocative_cues")),
        subject=re.compile(r"(?:^|(?<=[.!?¿¡\n])\s*)(" + WORD + r")(?:\s+((?:[a-z]{1,3}['’]?\s+){0,2}"
                           + WORD + r"))?\s+(?i:"
                           + _alt(phrases("subject_verbs")) + r")\b"),
        frames=_frames(phrases("name_frames")),
        relation=_cue_regex(phrases("relation_cues")),
        customer_id_cue=re.compile(r"(?i)\b" + _alt(phrases("customer_id_cues")) + r"\W{0,3}(?:\w+\W+){0,3}$"),
        order_id_cue=re.compile(r"(?i)\b" + _alt(phrases("order_id_cues")) + r"\W{0,3}(?:\w+\W+){0,3}$"),
        everyday=frozenset(everyday),
        common_names=common,
        not_name_tail=re.compile(r"(?i)" + _alt(tails) + r"$"),
        ordinary=frozenset(w.lower() for w in words("ordinary") + words("business")) | stop,
        place_preposition=re.compile(r"(?i)\b" + _literal_alt(words("place_prepositions")) + r"\s+$"),
        place_cue=re.compile(r"(?i)\b" + _alt(phrases("place_cues")) + r"\b[^.?!\n]{0,20}$"),
        not_place_cue=re.compile(r"(?i)\b" + _alt(phrases("not_place_cues")) + r"\b[^.?!\n]{0,25}$"),
        street_suffix=_alt(_phrases(own, "street_suffixes")) if _phrases(own, "street_suffixes") else "",
        street_prefix=_alt(_phrases(own, "street_prefixes")) if _phrases(own, "street_prefixes") else "",
        street_link=_literal_alt(_words(own, "street_links")),
        street_word=_alt(_words(en, "street_words")),
        street_word_cap=_alt(_words(en, "street_words_cap")),
        state_code=r"(?i:" + _literal_alt(_words(en, "state_codes")) + r")",
        number_unit=_literal_alt(words("number_units")),
        address_cue=re.compile(r"(?i:\b" + _alt(phrases("address_cues")) + r"\s+)"),
        card_cue=re.compile(r"(?i)(?:" + _alt(phrases("card_cues")) + r")[^.?!\n]{0,30}$"),
        iban_cue=re.compile(r"(?i)(?:" + _alt(phrases("iban_cues")) + r")[^.?!\n]{0,30}$"),
        phone_cue=re.compile(r"(?i)(?:" + _alt(phrases("phone_cues")) + r")[^.?!\n]{0,25}$"),
        national=tuple(_words(own, "national")),
        particles=frozenset(w.lower() for w in words("particles")),
        greeting_words=frozenset(w.lower() for w in words("greetings")),
        here_word_set=frozenset(w.lower() for w in words("here_words")),
        self_tag=re.compile(r"[ \t]+(?i:" + _alt(phrases("self_tags")) + r")(?!\w)"),
        with_me=re.compile(r"[ \t]+(?i:" + _alt(phrases("with_me")) + r")(?![\w-])"),
        origin_prepositions=frozenset(w.lower() for w in _words(own, "origin_prepositions")),
        conjunctions=frozenset(w.lower() for w in _words(own, "conjunctions")),
        name_prepositions=frozenset(w.lower() for w in words("name_prepositions")),
        noun_markers=frozenset(w.lower() for w in _words(own, "noun_markers")),
        possessives=frozenset(w.lower() for w in words("possessives")),
        function_words=frozenset(w.lower() for w in _words(own, "function_words") + _words(own, "noun_markers")),
        determiners=frozenset(w.lower() for w in _words(own, "determiners")),
        clitic=re.compile(r"[-‐](?i:" + _literal_alt(_words(own, "verb_clitics")) + r")(?![\w-])"),
        brand_frames=_brand_frames(phrases("brand_frames") + [f.replace("{place}", "{brand}")
                                                              for f in phrases("place_frames")]),
        finite_verb=_finite_verb(own, "finite_verbs"),
        person_verb=_finite_verb(own, "person_verbs"),
    )


def _finite_verb(own: dict[str, Any], key: str) -> re.Pattern[str] | None:
    """What follows a sentence's subject (the verbs of ``key`` after up to three ``preverbal``
    words: "ha", "non riesce", "me reenvió", "n'arrive", "l'ha"), from right after it; None
    where the language lists no verbs. A fragment ending in an apostrophe is elided."""
    verbs = _phrases(own, key)
    if not verbs:
        return None
    pre = [f[:-1] + "['’]" if f.endswith("'") else f + r"[ \t]+" for f in _phrases(own, "preverbal")]
    return re.compile(r"[ \t]+(?i:" + _alt(pre) + r"){0,3}(?i:" + _alt(verbs) + r")(?![\w'’])")


@functools.lru_cache(maxsize=1)
def dictionary_words() -> dict[str, frozenset[str]]:
    """Language → its common words, casefolded (``lang/common_words.txt.gz``, made by
    ``build_common_words.py``)."""
    blob = resources.files("dsbuild.stages.pii").joinpath("lang/common_words.txt.gz").read_bytes()
    text = gzip.decompress(blob).decode("utf-8")
    # "lang\tword" lines, one language after the other (build_common_words.py writes them so):
    # each language's block is cut out and split with C loops (a Python loop over the 300k lines
    # was ~0.3 s of every run's start; splitting every line into fields and selecting each
    # language's words from all of them, ~0.1 s)
    out: dict[str, frozenset[str]] = {}
    pos = 0
    while pos < len(text):
        head = text[pos:text.find("\t", pos) + 1]  # "en\t"
        last = text.rfind("\n" + head) + 1  # where the language's last line starts
        end = text.find("\n", max(last, pos)) + 1 or len(text)
        block = text[pos:end]
        lines = block.count("\n") + (not block.endswith("\n"))
        if not head or "\n" in head or head in out or block.count("\n" + head) != lines - 1:
            return _dictionary_words_by_line(text)  # not one block per language
        words = block[len(head):].replace("\n" + head, "\n").split("\n")
        if block.endswith("\n"):
            words.pop()
        out[head] = frozenset(words)
        pos = end
    return {head[:-1]: words for head, words in out.items()}


def _dictionary_words_by_line(text: str) -> dict[str, frozenset[str]]:
    fields = text.replace("\n", "\t").split("\t")
    if fields and fields[-1] == "":  # the last line's newline
        fields.pop()
    langs, words = fields[0::2], fields[1::2]
    return {lang: frozenset(compress(words, map(lang.__eq__, langs))) for lang in dict.fromkeys(langs)}


@functools.lru_cache(maxsize=1)
def company_context() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(what ends right before a surname in a company's name: "Autohaus ", "SARL "; what starts
    right after one: " GmbH", " & Sons", " S.r.l."), every language's, case-insensitive."""
    before = [f for code in LANGUAGES for f in _phrases(_raw(code), "company_before")]
    after = [f for code in LANGUAGES for f in _phrases(_raw(code), "company_after")]
    return (re.compile(r"(?i)(?<!\w)" + _alt(before) + r"[ \t]+$"),
            re.compile(r"(?i)[ \t]*,?[ \t]*" + _alt(after) + r"(?!\w)"))


@functools.cache
def after_name(lang: str | None = None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What follows a name right after it: (``here_words``: "will here", "wil hier", anywhere;
    ``self_tags``: "will speaking", "frank am Apparat", "X again", where the name opens a
    sentence), the language's and English's (None: every language's), case-insensitive."""
    codes = LANGUAGES if lang is None else tuple(dict.fromkeys((supported(lang), DEFAULT)))
    here = [w for code in codes for w in _words(_raw(code), "here_words")]
    tags = [f.replace("'", "['’]") for code in codes for f in _phrases(_raw(code), "self_tags")]
    return (re.compile(r"(?i)[\s,]+" + _literal_alt(here) + r"(?!\w)"),
            re.compile(r"(?i)[\s,]+" + _alt(tags) + r"(?!\w)"))


@dataclass(frozen=True)
class LeadWordPositions:
    """Where a lead's name token that is an ordinary word stands as the name, beyond the cues
    (:mod:`.known`); case-insensitive patterns."""
    field: re.Pattern[str]  # a form label and a colon before it ("Vorname: ernst"), ``name_fields``
    pronoun: re.Pattern[str]  # the writer and a comma before it, in a list: "me, bill, and an intern"
    verb: re.Pattern[str]  # a verb of speech after it: "i think hope said" (``postfix_verbs``)
    joined: re.Pattern[str]  # the writer joined after it: "bill and i" (``with_me``)
    bracket: re.Pattern[str]  # a bracket opening before it, "for" may follow: "(for faith)"
    for_words: frozenset[str]  # "for", "per": "this is for mark - see below" (``for_words``)
    greeting: re.Pattern[str]  # a sentence opening with a greeting before it: "buongiorno sole",
    # and a self tag after it: "buongiorno, ancora sole"
    vocative: re.Pattern[str]  # a sentence opening with a vocative cue before it: "good morning hope!"
    function: frozenset[str]  # ``determiners``, ``function_words``: a word after these ("the bill")
    clause: frozenset[str]  # ``clause_words``: a clause and its subject begin after these
    that: frozenset[str]  # ``complementizers``: "that", "dat": a subject follows (not an article)


@functools.cache
def lead_word_positions(lang: str | None = None) -> LeadWordPositions:
    """The language's and English's (None: every language's; form labels: every language's)."""
    codes = LANGUAGES if lang is None else tuple(dict.fromkeys((supported(lang), DEFAULT)))

    def words(key: str) -> list[str]:
        return [w for code in codes for w in _words(_raw(code), key)]

    def phrases(key: str) -> list[str]:
        return [f for code in codes for f in _phrases(_raw(code), key)]

    fields = [f.replace("'", "['’]") for code in LANGUAGES for f in _phrases(_raw(code), "name_fields")]
    return LeadWordPositions(
        field=re.compile(r"(?i)(?<!\w)" + _alt(fields) + r"[ \t]*:[ \t]*$"),
        pronoun=re.compile(r"(?i)(?<!\w)" + _literal_alt(words("self_pronouns")) + r"[ \t]*,[ \t]*$"),
        verb=re.compile(r"(?i)[ \t]+" + _alt(phrases("postfix_verbs") + phrases("subject_verbs")) + r"(?!\w)"),
        joined=re.compile(r"(?i)[ \t]*,?[ \t]+" + _alt(phrases("with_me")) + r"(?![\w-])"),
        bracket=re.compile(r"(?i)[(\[][ \t]*(?:" + _literal_alt(words("for_words")) + r"[ \t]+)?$"),
        # a greeting, and perhaps a self tag after it ("buongiorno, ancora durante, ...")
        greeting=re.compile(r"(?i)(?:^|[\n.!?¡¿])[ \t]*(?:" + _literal_alt(words("greetings") + words("day_greetings"))
                            + r"[ \t,!]*){1,2}(?:" + _alt(phrases("self_tags")) + r"[ \t,]+)?$"),
        vocative=re.compile(r"(?i)(?:^|[\n.!?¡¿])[ \t]*" + _alt(phrases("vocative_cues")) + r"[ \t,!]*$"),
        function=frozenset(w.casefold() for key in ("determiners", "function_words") for w in words(key)),
        clause=frozenset(w.casefold() for w in words("clause_words")),
        for_words=frozenset(w.casefold() for w in words("for_words")),
        that=frozenset(w.casefold() for w in words("complementizers")),
    )


@functools.lru_cache(maxsize=1)
def lead_name_cues() -> list[str]:
    """What comes right before a lead's name (``lead_name_cues``, regex fragments), every
    language's in the files' order."""
    return [f for code in LANGUAGES for f in _phrases(_raw(code), "lead_name_cues")]


def signoff_phrases() -> list[str]:
    """Every language's ``signoffs`` that are words (regex fragments; not the bare dash)."""
    return [f for code in LANGUAGES for f in _phrases(_raw(code), "signoffs") if f[:1].isalpha()]


@functools.cache
def name_words(lang: str | None = None) -> frozenset[str]:
    """First names that are ordinary words of ``lang`` (``name_words``; None: every
    language's), casefolded."""
    codes = LANGUAGES if lang is None else (supported(lang),)
    return frozenset(w.casefold() for code in codes for w in _words(_raw(code), "name_words"))


@functools.lru_cache(maxsize=1)
def lead_field_words() -> tuple[frozenset[str], frozenset[str], str]:
    """What lead fields hold that is no personal value, every language's: mailbox names
    ("info@", "kontakt@"), country names (an address's last part), and the CRM note cues before a
    person's name as one regex alternation (``mailboxes``, ``countries``, ``note_cues``)."""
    mailboxes = frozenset(w.casefold() for code in LANGUAGES for w in _words(_raw(code), "mailboxes"))
    countries = frozenset(w.casefold() for code in LANGUAGES for w in _phrases(_raw(code), "countries"))
    cues = "|".join(f for code in LANGUAGES for f in _phrases(_raw(code), "note_cues"))
    return mailboxes, countries, cues


@functools.lru_cache(maxsize=1)
def business_words() -> frozenset[str]:
    """Weekdays, months, greetings, opening-hours and plan words of every language."""
    return frozenset(w.lower() for code in LANGUAGES for w in _words(_raw(code), "business"))


@functools.lru_cache(maxsize=1)
def short_forms() -> frozenset[str]:
    """Weekday and month short forms of every language ("gio", "dic", "sat"; ``short_forms``):
    business words, but a capitalised one alone in a cue's name position is a name."""
    return frozenset(w.lower() for code in LANGUAGES for w in _words(_raw(code), "short_forms"))


@functools.lru_cache(maxsize=1)
def product_words() -> frozenset[str]:
    """Plan and product tier words of every language ("Pro", "Max", "Lite", "Essentiel"): a name
    next to one is part of a product's name ("the Pro Max bundle"), casefolded."""
    return frozenset(w.casefold() for code in LANGUAGES for w in _words(_raw(code), "product_words"))


@functools.lru_cache(maxsize=1)
def product_nouns() -> frozenset[str]:
    """Words that follow a product's name ("plan", "bundle", "Paket", "forfait"), casefolded."""
    return frozenset(w.casefold() for code in LANGUAGES for w in _words(_raw(code), "product_nouns"))


@functools.lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Cities named in business sentences, every language, casefolded."""
    return frozenset(w.casefold() for code in LANGUAGES for w in _words(_raw(code), "cities"))


@functools.lru_cache(maxsize=1)
def holiday_names() -> frozenset[str]:
    """Holidays named like a person ("Reyes"), every language's, casefolded: a name only after a cue."""
    return frozenset(w.casefold() for code in LANGUAGES for w in _words(_raw(code), "holiday_names"))


@functools.lru_cache(maxsize=1)
def saint_words() -> frozenset[str]:
    """"San", "Santo", "Saint", "Sankt", "Sint", as written: a name right after one is a
    holiday or a place ("Santo Stefano", "San Juan", "Sankt Martin"), every language's."""
    return frozenset(w for code in LANGUAGES for w in _words(_raw(code), "saints"))


@functools.lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    """van, de, von, di, ...: parts of a full name, ordinary words on their own."""
    return frozenset(w.lower() for code in LANGUAGES for w in _words(_raw(code), "particles"))


@functools.cache
def inflections(lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(suffix, the endings that may replace it) of ``inflections``: a word ending in the suffix
    is an ordinary word when one of the replacements gives a dictionary word ("lentísimo" →
    "lento", "velocissimo" → "veloce")."""
    value = _raw(supported(lang)).get("inflections") or {}
    if not isinstance(value, dict):
        raise TypeError(f"lang/{lang}.yaml: inflections must be a mapping")
    return tuple(sorted(((str(k).casefold(), tuple(str(e).casefold() for e in v or ()))
                         for k, v in value.items()), key=lambda kv: -len(kv[0])))


def language_words(lang: str, key: str) -> frozenset[str]:
    """One word-list key of one language's own file (no English mixed in), casefolded."""
    return frozenset(w.casefold() for w in _words(_raw(supported(lang)), key))


# the keys whose words make a cue: a letter swap in one of them ("my nmae is", "ich hesie",
# "Viele rGüße", "mijn clolega") is repaired before the cue checks (:mod:`.typos`)
_CUE_KEYS = ("strong_cues", "weak_cues", "start_cues", "greetings", "here_words", "signoffs",
             "signoffs_weak", "postfix_verbs", "vocative_cues", "subject_verbs", "name_frames",
             "relation_cues", "name_prepositions", "address_cues", "card_cues", "iban_cues",
             "phone_cues", "customer_id_cues", "order_id_cues", "brand_frames", "place_frames")


@functools.cache
def cue_words(lang: str) -> frozenset[str]:
    """The words (4+ letters, lower case) of the language's cues, English mixed in."""
    code = supported(lang)
    out: set[str] = set()
    for data in ([_raw(code)] if code == DEFAULT else [_raw(code), _raw(DEFAULT)]):
        for key in _CUE_KEYS:
            value = data.get(key) or ""
            for frag in (value if isinstance(value, list) else [value]):
                for text in _expanded(str(frag)) + [_PIECES.sub(" ", str(frag))]:
                    # the expansions stop at 64 texts: a long group's words come from its pieces
                    out.update(w.lower() for w in re.findall(r"[^\W\d_]{4,}", text))
    return frozenset(out)


_PIECES = re.compile(r"\\.|[()?:|*+\[\]]")
_GROUP = re.compile(r"\(\?:([^()]*)\)(\?)?")


def _expanded(fragment: str, limit: int = 64) -> list[str]:
    """The texts a cue fragment's simple groups stand for: "hei(?:ß|ss)e" → heiße, heisse."""
    todo, out = [fragment], list[str]()
    while todo and len(out) + len(todo) <= limit:
        frag = todo.pop()
        m = _GROUP.search(frag)
        if m is None:
            out.append(re.sub(r"\\.|[\\?*+]", " ", frag))
            continue
        alts = m.group(1).split("|") + ([""] if m.group(2) else [])
        todo += [frag[:m.start()] + a + frag[m.end():] for a in alts]
    return out
