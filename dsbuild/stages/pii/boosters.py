"""Chat recall boosters: what Presidio's defaults miss in chat text, per language.

Every booster takes ``(text, lang)``: ``lang`` is the conversation's ISO 639-1 code; the words
come from the language's data file (:mod:`.langdata`, ``lang/<code>.yaml``), English mixed in.

* name cues: introductions ("my name is X", "ich heiße X", "je m'appelle X", "me llamo X"),
  relations ("mein Kollege X", "ma collègue X"), titles, sign-offs ("Grüße, X", "Cordialement,
  X"), "X here" / "X hier", and message-initial cues ("c'est jean", "hoi met rob"). After a
  strong cue a name is taken in any case; after a weak one only a word that cannot be an ordinary
  word of the language. Recall rests on these positions, not on the name list;
* street addresses in each country's order ("221 Baker Street", "Hauptstraße 12", "Via Roma
  10", "Calle Mayor, 5", "12 rue de la Paix", "Kerkstraat 12"), with the postcode + city in each
  country's shape ("10115 Berlin", "1017 GC Amsterdam", "SW1A 1AA", "NY 10001"); an address
  block is followed back from its postcode over its comma or line separated parts;
* IBANs (checksum) with any separators, card numbers after a card cue of the language or
  Luhn-valid in a card's shape (see :mod:`.phones` for phone numbers);
* casing: all-caps and all-lowercase user turns are given to NER in a case-normalised copy
  (same length, so offsets map back one to one).
"""

from __future__ import annotations

import functools
import re

from presidio_analyzer.predefined_recognizers.generic import iban_patterns
from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.checksums import iban_ok, luhn_ok
from dsbuild.stages.pii.langdata import CAP as _CAP
from dsbuild.stages.pii.langdata import UPPER as _UPPER
from dsbuild.stages.pii.langdata import WORD as _W
from dsbuild.stages.pii.langdata import LangData, business_words, city_names, lang_data
from dsbuild.stages.pii.names import is_first_name, is_last_name, is_name
from dsbuild.stages.pii.phones import is_date
from dsbuild.stages.pii.rare_names import common_word, is_rare
from dsbuild.stages.pii.spans import CUE_SCORE, PATTERN, STRONG_CUE_SCORE, Span

STRONG, START, WEAK = "strong", "start", "weak"
# become START once their position is checked
VOCATIVE, SUBJECT, RELATION = "vocative", "subject", "relation"


def _nameish(word: str, mode: str, d: LangData) -> bool:
    w = word.strip("'’.-").lower()
    if w in d.common_names and word[:1].isupper() and mode != STRONG:
        return True  # "I'm Jade", "Thanks Frank": capitalised after a cue
    if len(w) < 2 or (w in d.everyday and not (mode == STRONG and _title(word) and w not in STOP_WORDS)):
        return False  # (capitalised right after "mi chiamo" a stop word is a name: "Siano")
    if mode != STRONG and (w in _VERBS or _ELISION.match(word)):
        return False  # "grazie dell'attesa", "merci d'avance": an article, not a name
    if mode == STRONG or is_name(w) or is_rare(word, d.code):
        return True  # a word no dictionary of the language holds, after a cue: "I'm zorvenk"
    if mode == START and word[0].isupper():
        return True  # "Thanks Jilly,": a capitalised word in a name position
    if d.not_name_tail.search(w):
        return False
    return mode == START or word[0].isupper()


def _title(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


_ELISION = re.compile(r"(?:[ldcjmnst]|dell|dall|nell|all|sull|coll|un|quest|qu|quell|tutt)['’]")


def _uniform_case(text: str) -> bool:
    letters = list(filter(str.isalpha, text))
    return bool(letters) and (all(map(str.islower, letters)) or all(map(str.isupper, letters)))


_VERBS = frozenset(["said", "says", "told", "asked", "called", "wrote", "will", "would", "can",
                    "could", "should", "is", "was", "has", "had", "needs", "wants", "sent", "paid",
                    "ordered", "booked", "joined"])


def _surname_like(word: str, d: LangData, tail: bool = True) -> bool:
    w = word.lower()
    return (len(w) >= 3 and w not in d.everyday and w not in STOP_WORDS
            and not (tail and d.not_name_tail.search(w)) and w not in _VERBS)


def cue_names(text: str, lang: str = "en") -> list[Span]:
    d = lang_data(lang)
    out: list[Span] = []
    uniform = _uniform_case(text)
    rules: list[tuple[re.Pattern[str], str]] = [
        (d.strong_cue, STRONG), (d.weak_cue, WEAK), (d.start_cue, START), (d.here, WEAK),
        (d.signoff, START), (d.signoff_weak, WEAK), (d.postfix, WEAK), (d.vocative, VOCATIVE),
        (d.subject, SUBJECT), (d.relation, RELATION)]
    rules += [(rx, SUBJECT) for rx in d.frames]
    for rx, rule in rules:
        pos = 0
        while (m := rx.search(text, pos)) is not None:
            span = _cue_match(text, m, rule, d, uniform)
            if span is not None:
                out.append(span)
                pos = max(m.end(), m.start() + 1)
            else:  # the rejected word may itself be a cue: "hola soy Jovidad"
                pos = m.start(1) if m.start(1) > pos else max(m.end(1), pos + 1)
    return out


def _cue_match(text: str, m: re.Match[str], rule: str, d: LangData, uniform: bool) -> Span | None:
    first, last = m.group(1), m.group(2)
    if last and "\n" in text[m.end(1):m.start(2)]:  # a name does not go on over a line break:
        last = None  # "mi marido rida\natentamente, ..."
    end1 = m.start(1) + len(first.rstrip("."))
    last_word = last
    if last and end1 < m.end(1):  # "ansgar. noch": the sentence ends with the first word
        last = last_word = None
    if last and rule != STRONG and last.casefold() in business_words():  # "Thanks, speak Monday!"
        last = last_word = None
    if last and len(last.split()) > 1:  # "van den Berg", "del Vallobo"
        *parts, last_word = last.split()
        if not all(p.lower() in d.particles for p in parts):
            last = last_word = None
    name_end = d.name_end
    mode = rule
    if rule == VOCATIVE:  # the name must end the clause: "Kein Problem, Tjark."
        if not (name_end.match(text, end1) or (
                last_word and _nameish(last_word, WEAK, d) and name_end.match(text, m.end(2)))):
            return None
        mode = START
    # a relation's lone word closing its clause is the name in any case ("my wife mela, she
    # handles it", "for my husband dra\n"); a word that goes on is a verb or an adverb
    # (not a business or everyday word, "your colleague yesterday.", nor in German, where a noun
    # is capitalised, a dictionary word: "Meine Kollegin fragt, ob ...", "mit Ihrem Kollegen gesprochen.")
    word1 = first.rstrip(".").casefold()
    closes = (rule == RELATION and not last_word and name_end.match(text, end1) is not None
              and word1 not in business_words() and word1 not in d.everyday
              and not (d.nouns_capitalised and common_word(word1, d.code)))
    if rule in (RELATION, VOCATIVE) and first[:1].islower() and not closes and (
            (common_word(word1, d.code) and not (uniform and (rule == VOCATIVE or _name_follows(text, end1, d))))
            or (word1 in business_words() and not is_name(first))):
        return None  # "mia moglie preferisce", "il mio collega domani", "Sure, thing.": a word
        # (a relation's in lower case too, "la mia collega chiede se ...", unless a name part
        # follows: "elle de brolvink"; a vocative's in lower case is the name: "danke arm, ich ...")
    slot = rule in (SUBJECT, RELATION)  # the frame itself is the name position
    if slot:
        mode = START
    if (rule == RELATION and not uniform and first[:1].islower() and not is_name(first)
            and not is_rare(first, d.code) and not closes):
        return None  # "Mijn zoon speelt graag ...": in cased text a relation's name is capitalised
    if not _nameish(first, mode, d):
        if (last_word and is_last_name(last_word) and first.lower() not in STOP_WORDS
                and first.lower() not in d.everyday and last_word.lower() not in d.everyday):  # "hunter caldwell"
            return Span(m.start(1), m.end(2), "PERSON", 0.7, PATTERN)
        return None
    two = bool(last_word) and (
        _nameish(last_word, WEAK, d)
        or (mode != WEAK and (uniform or (first.islower() and last_word.islower()))
            and _surname_like(last_word, d))
        or (not uniform and last_word[0].isupper() and _surname_like(last_word, d, tail=False)
            and not d.nouns_capitalised)
        or (not uniform and not d.nouns_capitalised and _title(first) and _title(last_word)
            and len(last_word) >= 3 and last_word.lower() not in STOP_WORDS
            and last_word.lower() not in d.function_words))  # "Angelina Vari", "Eva Cari"
    known = is_name(first)
    if mode == START and not slot and not known and not two and not name_end.match(text, end1):
        return None  # "c'est urgent pour ma commande": not a name position
    if (mode == WEAK and d.nouns_capitalised and not known and not two
            and not name_end.match(text, end1)):
        return None  # German nouns are capitalised: "Ich bin Lehrerin bei ..."
    end = m.end(2) if two else m.end(1)
    end -= len(text[m.start(1):end]) - len(text[m.start(1):end].rstrip(".,"))
    score = STRONG_CUE_SCORE if rule == RELATION else CUE_SCORE
    return Span(m.start(1), _with_particles(text, end, d), "PERSON", score, PATTERN)


_NEXT_WORDS = re.compile(r"[ \t]+([^\W\d_]+)(?:[ \t]+([^\W\d_]+))?")


def _name_follows(text: str, end: int, d: LangData) -> bool:
    """The next word is a name, a word no dictionary holds, or a particle before one."""
    m = _NEXT_WORDS.match(text, end)
    if m is None:
        return False
    nxt = m.group(1)
    if nxt.casefold() in d.particles and m.group(2):
        nxt = m.group(2)
    return is_name(nxt) or is_rare(nxt, d.code)


def _with_particles(text: str, end: int, d: LangData) -> int:
    """Extend a name over "de Vries", "van der Berg", "von Bauer", "di Stefano"."""
    m = _PARTICLE_TAIL.match(text, end)
    if m and all(w.lower() in d.particles for w in m.group(1).split()):
        return m.end()
    return end


_PARTICLE_TAIL = re.compile(r"\s+((?:[a-z]{1,3}['’]?\s+){1,2})(?:[" + _UPPER + r"][\w'’-]+)")
_PARTICLE_WORD = re.compile(r"[ \t]+((?:[^\W\d_]{1,3}['’]?[ \t]+){1,2})([^\W\d_][\w'’-]+)")


def _particle_surname(text: str, end: int, d: LangData, uniform: bool) -> int:
    """After a first name, particles and the surname they lead to are part of the name: "Lisa
    de Ridder", "Flavia del Segovia", "thijs van köster" (lower case: a known surname or a word
    no dictionary holds). Returns the name's new end (``end`` when none follows)."""
    m = _PARTICLE_WORD.match(text, end)
    if m is None or not all(w.lower() in d.particles for w in m.group(1).split()):
        return end
    word = m.group(2)
    w = word.lower()
    if w in STOP_WORDS or w in d.everyday or w in d.particles or w in business_words():
        return end
    if w in city_names():  # "im Juli von Berlin nach Kassel", "de Lyon à Rennes": from a city
        return end
    if uniform:
        return m.end() if word.islower() and (is_last_name(word) or is_rare(word, d.code)) else end
    return m.end() if word[0].isupper() and not word.isupper() else end


_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def _ends_phrase(text: str, toks: list[re.Match[str]], k: int) -> bool:
    """Token k ends a phrase: end of text, punctuation, or a stop word follows it."""
    rest = text[toks[k].end():].lstrip(" ")
    return not rest or rest[0] in ",.!?;:\n" or (k + 1 < len(toks) and toks[k + 1].group(0).lower()
                                                    in STOP_WORDS | _VERBS)


def lexicon_names(text: str, lang: str = "en") -> list[Span]:
    """Names from the gazetteer: a first name followed by a surname-like word, or a lone
    capitalised first name that does not start a sentence. In lower- or upper-case text only a
    first name followed by a known last name counts (casing says nothing there)."""
    d = lang_data(lang)
    toks = list(_TOKEN.finditer(text))
    uniform = _uniform_case(text)
    out: list[Span] = []
    i = 0
    while i < len(toks):
        t = toks[i].group(0)
        if t.lower() in d.everyday or not is_first_name(t) or not (uniform or t[0].isupper()):
            i += 1
            continue
        if not uniform and len(t) > 1 and t.isupper():
            i += 1  # an acronym in mixed-case text: "el IVA", "la TVA", "SSO"
            continue
        # a month or weekday that is also a first name ("im Mai Schulungen", "Jan Jílek"): not
        # a name when an ordinary word follows it
        month_like = t.lower() in business_words()
        j = i
        while j + 1 < len(toks) and j - i < 2:
            gap = text[toks[j].end():toks[j + 1].start()]
            nxt = toks[j + 1].group(0)
            if gap.strip(" .") or "\n" in gap or nxt.lower() in d.everyday:
                break
            if uniform and not (is_last_name(nxt) or is_first_name(nxt) or
                                (j == i and _surname_like(nxt, d) and _ends_phrase(text, toks, j + 1))):
                break
            if not uniform and not nxt[0].isupper():
                break
            if month_like and common_word(nxt, lang):
                break
            j += 1
        k = toks[i].start()  # read back over the spaces only: linear in a long text
        while k > 0 and text[k - 1].isspace():
            k -= 1
        initial = k == 0 or text[k - 1] in ".!?:\n\"'>"
        after = text[toks[j].end():toks[j].end() + 12]
        # a sentence-initial lone first name: only as the subject ("Darren is", "Zuzana: hi")
        subject = re.match(r"(?::|\s+[a-z]{2,})", after) is not None and is_first_name(t)
        end = _particle_surname(text, toks[j].end(), d, uniform)  # "Lisa de Ridder"
        if j > i or end > toks[j].end() or (not uniform and (not initial or subject)):
            out.append(Span(toks[i].start(), end, "PERSON", 0.6 if j > i else 0.5, PATTERN))
        i = j + 1
    return out


# ---------------------------------------------------------------------------------------------
# Street addresses
_SUFFIX = lang_data("en").street_word  # en.yaml street_words: one list, not a copy here
_EU_WORD = (r"[\w'’-]*(?:stra(?:ß|ss)e|str\.|gasse|weg|allee|platz|ring|damm|ufer|vej|veien|vegen|"
            r"gata|gatan|gade|katu|kuja|tie|polku|straat|laan|gracht|plein|steeg|út|utca|tér|"
            r"sokak|caddesi)")
_EU_PREFIX = (r"(?:ul\.|ulica|al\.|aleja|via|viale|corso|piazza|rue|avenue|boulevard|bd|calle|"
              r"avenida|av\.|rua|carrer|plaza|paseo|strada|rua|estrada|travessa|plac|náměstí)")
_NUM = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,4})?"
_UNIT = (r"(?:,?\s*(?:apt\.?|apartment|suite|ste\.?|unit|flat|floor|fl\.?|room|#|piso|puerta|"
         r"appartamento|piano|interno|int\.|etage|stock|bus|boîte|bte)\s*[\w-]{1,6}"
         r"|,\s*(?:\d{1,2}\s?[ºª°]\s?(?:[A-Za-z]\b\.?|\d{1,2}\s?[ºª]\.?)?(?:\s?(?:izq|dcha|der|izda)\b\.?)?"
         r"|izq\b\.?|izda\b\.?|dcha\b\.?|bajo|entlo\.?|ático))")
# a house number: never five digits (that is the postcode); "12 bis", "7 ter", "12a", "3-5"
_HOUSE = r"\d{1,4}(?:\s(?:bis|ter|quater)\b|[A-Za-z]\b)?(?:[-/]\d{1,4})?"
# postcode + city in each country's shape, and the US "City, ST 12345"
_UK_POSTCODE = r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
_NL_POSTCODE = r"\b[1-9]\d{3}\s?[A-Z]{2}\b"
_ANY = r"[^\W\d_][\w'’-]*"
_CITY_LINK = r"(?:am|an der|im|bei|sur|en|de|di|del|la|le|aan den|aan de|upon|on)"


def _city_name(first: str, rest: str) -> str:
    return (r"(?:['’]s-)?" + first + r"(?:[ \t]+(?:" + _CITY_LINK + r"[ \t]+)?(?:['’]s-)?" + rest
            + r"){0,2}(?:[ \t]*\((?i:[A-Z]{2})\))?")


_CITY_NAME = _city_name(_CAP, _CAP)
# after a street, the city may be written in lower case ("45768 oberursel", "2813ja harderwijk")
_CITY_NAME_ANY = _city_name(_ANY, _ANY)
_PC_CITY = (r"(?:(?:[1-9]\d{3}[ \t]?(?i:[A-Z]{2})(?!\w)|(?:D-|A-|CH-|F-|I-|E-|NL-|B-|L-)?\d{4,5})[ \t,]+"
            + _CITY_NAME_ANY + r"|[1-9]\d{3}[ \t]?[A-Z]{2}\b)")
_CITY = (r"(?:(?:[ \t]*,\s*|\s*\n\s*|\s+[-–]\s+)(?:" + _PC_CITY + r"|" + _CAP + r"(?:\s" + _CAP
         + r")?(?:,?\s+[A-Z]{2})?(?:,?\s+\d{4,6})?|" + _UK_POSTCODE[2:-2] + r"))")
# The only address forms without a digit: a street corner, a ship ("USS Enterprise").
_CORNER = r"(?i:\bthe corner of\s+)[^\n,.;]{3,60}?\s+and\s+[^\n,.;?!]{3,40}"
_SHIP = r"\b(?i:US(?:S|NS|NV|CGC))\s+" + _W + r"\b"
_ADDRESS_EN = (
    _CORNER
    + r"|\b" + _NUM + r"\s+(?:" + _W + r"\s+){0,4}?(?i:" + _SUFFIX + r")\.?(?![\w])" + _UNIT + r"?"
    + _CITY + r"?"
    r"|(?i:\b" + _EU_PREFIX + r")\s+(?:" + _W + r"\s+){0,3}?(?!24/7)" + _NUM + r"\b{not_after}" + _UNIT + r"?" + _CITY
    + r"?"
    r"|\b(?<!\d)\d{1,4}[A-Za-z]?\s+(?i:" + _EU_PREFIX + r")\s+(?:" + _W + r"[ \t]*){1,4}" + _CITY + r"?"
    r"|(?i:\b" + _EU_WORD + r")\s+" + _NUM + r"\b\.?" + _UNIT + r"?" + _CITY + r"?"
    r"|\b(?i:apt\.?|apartment|suite|unit|flat|p\.?\s?o\.?\s+box|box|psc)\s+\d{1,6}\b"
    r"(?:,?\s*(?i:box)\s+\d{1,6})?(?:,\s*(?:" + _W + r"\s+){1,3}(?i:" + _SUFFIX + r")\b)?"
    r"|\b(?i:APO|FPO|DPO)\s+(?i:AA|AE|AP)\s+\d{5}\b"
    r"|\b\d{1,6}\s+(?:\d{1,5}\s+)?(?:" + _CAP + r"\.?\s+){1,3}\d{1,5}[A-Za-z]?\b(?![:%.,]\d)" + _UNIT
    + r"?" + _CITY + r"?"
    r"|\b\d{1,6}\s+\d{1,5}\s+(?:" + _W + r"\s+){0,4}?(?i:" + _SUFFIX + r")\.?(?![\w])"
    r"|" + _SHIP
)
# Every other alternative of every language's address pattern needs a digit: in a text without
# one, these two, in the same order, find what the whole pattern finds (most chat messages have
# no digit; the whole pattern costs ~50 µs a message).
_ADDRESS_NO_DIGIT = re.compile(_CORNER + r"|" + _SHIP)
# not a house number: a time, a price, a count ("via PayPal 2 volte", "Weg 3 Tage", "10 h")
_NOT_AFTER_NUMBER = r"(?![\d:%.,/]\d)(?!\s*(?:%|€|\$|(?i:{units})\b))"


@functools.cache
def _address_rx(lang: str, lower: bool = False) -> re.Pattern[str]:
    """The language's address patterns; ``lower``: for all-lower-case text, street names in
    any case ("c/ de la alameda, 221")."""
    parts = _address_parts(lang, lower)
    # the language's own forms first: at one position the first alternative that matches wins
    return re.compile("|".join(parts[2:] + parts[:2]))


def _address_parts(lang: str, lower: bool) -> list[str]:
    """The English and Faker forms (any case), then the language's own forms."""
    d = lang_data(lang)
    link = r"(?:" + d.street_link + r")" if d.street_link else r"(?!x)x"
    name_tok = r"(?:[ldLD]['’])?" + (_ANY if lower else _CAP)
    links = r"(?:" + link + r"(?:\s+|-(?=\w)))*"  # "rue saint-Michel", "avenue du général Leclerc"
    street_name = name_tok + r"(?:[\s-]+" + links + name_tok + r"){0,4}"
    not_after = _NOT_AFTER_NUMBER.replace("{units}", d.number_unit)
    parts = [_ADDRESS_EN.replace("{not_after}", not_after),
             # a capitalised Faker-style street suffix: "12 Rachel Burgs", "Georgia Stravenue"
             r"\b" + _NUM + r"\s+(?:" + _CAP + r"\s+){1,3}" + d.street_word_cap + r"\b" + _UNIT + r"?"
             + _CITY + r"?"]
    if d.street_suffix:  # "Hauptstraße 12", "Hansa-Allee 107", "Kerkstraat 12"
        head = r"[^\W\d_]" if lower else r"[" + _UPPER + r"]"
        parts.append(r"\b" + head + r"(?:[\w'’-]|\.(?=-))*(?i:" + d.street_suffix + r")\s+" + _NUM
                     + r"(?:\s(?:bis|ter)\b)?\b"
                     + not_after + r"\.?" + _UNIT + r"?" + _CITY + r"?")
    if d.street_prefix:  # "Via Roma 10", "Calle Mayor, 5", "12 rue de la Paix", "5, avenue Samson"
        pre = r"(?i:\b" + d.street_prefix + r")"
        parts.append(pre + r"\s+" + links + street_name + r",?\s+" + _HOUSE + r"\b"
                     + not_after + _UNIT + r"?" + _CITY + r"?")
        parts.append(r"\b" + _HOUSE + r",?\s+" + pre + r"\s+" + links + street_name + _CITY + r"?")
    return parts


@functools.cache
def _own_lower_rx(lang: str) -> re.Pattern[str] | None:
    """For a line in lower case in a mixed message: the language's own forms in any case (the
    English and Faker forms do not depend on case: the whole message's pass found them)."""
    own = _address_parts(lang, True)[2:]
    return re.compile("|".join(own)) if own else None


# Anchors of an address block: a postcode + city, a UK postcode, a US "ST 12345".
_ANCHOR = re.compile(r"(?<![\w-])(?:(?:D-|A-|CH-|F-|I-|E-|NL-|B-|L-)?\d{5}\s+" + _CITY_NAME
                     + r"|" + _NL_POSTCODE + r"[\s,]+" + _CITY_NAME + r"|" + _UK_POSTCODE
                     + r"|(?<=,\s)[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
                     # "Madrid, 02857"; not the street before "Rossi, 42699 Lefebvre"
                     + r"|" + _CAP + r",\s*\d{5}\b(?![ \t]+[" + _UPPER + r"])(?!-))")
# each word whole ((?!...)): a word split into parts made a failing search exponential
_SEGMENT = re.compile(r"(?:[" + _UPPER + r"\d][\w'’.\-/]*(?![\w'’.\-/])\s*){1,6}$")
_SEGMENT_ANY = re.compile(r"(?:[^\W_][\w'’.\-/]*(?![\w'’.\-/])\s*){1,6}$")
# in lower-case text: a UK postcode after a comma ("..., haslemere, yy5 8hy")
_ANCHOR_LOWER = re.compile(r"(?<=,\s|[a-z]\s)[a-z]{1,2}\d[a-z\d]?\s(?!\d(?:st|nd|rd|th)\b)\d[a-z]{2}\b")
# what either needs: a cheap test before them
_LOWER_TAIL = re.compile(r"\d[a-z]{2}\b|\d{5}")
_DIGIT = re.compile(r"\d")
# a sentence's first letter: may be capitalised in a line written in lower case
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?:])\s+)[\W_]*[^\W\d_]")


# in lower case, the house number before the street's name ("... is 412 maple port")
_HOUSE_FIRST = re.compile(r"(?<!\S)(?:(?i:apt\.?|apartment|suite|unit|flat|studio|room)\s+\d"
                          r"|\d{1,5}[a-z]?\b(?=[ \t]+[^\W\d_]))")


@functools.cache
def _state_anchor() -> re.Pattern[str]:
    """In lower-case text: a US state code and ZIP code after a comma, ending the clause
    ("..., lake sandra, ca 90210")."""
    return re.compile(r"(?<=,\s)(?:" + lang_data("en").state_code + r")\s+\d{5}(?:-\d{4})?\b"
                      r"(?=\s*(?:$|[,.;!?)\n]|[-–—]\s)|\s+[^\W\d_]+\s*(?:$|[,.;!?)\n]))")


def _lower_lines(text: str) -> list[tuple[int, int]]:
    """The lines with a digit written in lower case up to their last number (a sentence's first
    letter aside), in a text that is not all lower case: "...: 14 impasse des tilleuls, 31200
    toulouse\\nà+ Mathilde"."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if _DIGIT.search(line):
            # up to the end of its last word with a digit: an address ends there, and a name
            # signed after it ("..., kettering, gc2 7dj not the old flat x Darin") says nothing
            head = line[:_end_of_last_number(line)]
            rest = head if head == head.lower() else _SENTENCE_START.sub(" ", head)
            if rest == rest.lower():
                out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _end_of_last_number(line: str) -> int:
    """Where the word holding the line's last digit ends (one pass over the digits: a lookahead
    for "no digit after this one" read the rest of the line at every digit)."""
    last = 0
    for m in _DIGIT.finditer(line):
        last = m.end()
    end = _WORD_END.search(line, last)
    return end.start() if end else len(line)


_WORD_END = re.compile(r"[\s,;]")


def _address_blocks(text: str, d: LangData, lines: list[tuple[int, int]]) -> list[Span]:
    """A postcode anchor, and the comma or line separated parts before it that look like
    address parts (capitalised words and numbers): "Studio 40f, Georgia Stravenue, Lake Paige,
    HU3 1NW", "Thomstraat 189\\n2763 FB\\nUdenhout". ``lines``: the spans written in lower case."""
    out: list[Span] = []
    anchors = list(_ANCHOR.finditer(text))
    if lines and _LOWER_TAIL.search(text):
        for a, b in lines:
            anchors += list(_ANCHOR_LOWER.finditer(text, a, b)) + list(_state_anchor().finditer(text, a, b))
    for m in anchors:
        lower = any(a <= m.start() < b for a, b in lines)
        state = m.re is _state_anchor()  # "in", "or", "me": only with the city before it
        after = re.match(r"[ \t]+([^\W\d_]+)", text[m.end():])
        if state and after and after.group(1).lower() not in d.everyday:
            continue  # "..., ca 90210 thanks", not "we grew, in 10000 stores"
        words = re.findall(r"[^\W\d_]+", m.group(0))
        if not state and words and all(w.lower() in d.ordinary or w.lower() in d.everyday for w in words):
            continue  # "10000 Euro", "12345 Danke"
        start = m.start()
        postcode_only = re.match(_UK_POSTCODE, m.group(0)) is not None or m.re is _ANCHOR_LOWER
        uk = postcode_only or m.group(0)[:2].isupper() or m.re is _state_anchor()
        for k in range(4):
            head = text[:start]
            # "North Shirley CW2 0HD": a UK postcode may follow its town without a comma
            sep = re.search(r"(?:,[ \t]*|[ \t]*\n[ \t]*|\s*\|\s*" + (r"|[ \t]+" if k == 0 and postcode_only
                                                                 else "") + r")$", head)
            if not sep:
                break
            # from 80 characters before: a part that starts earlier is too long anyway (and the
            # search from the text's start was quadratic in a long message)
            seg = (_SEGMENT_ANY if lower else _SEGMENT).search(text, max(0, sep.start() - 80), sep.start())
            if not seg or seg.start() < sep.start() - 60:
                break
            seg_start = seg.start() + len(seg.group(0)) - len(seg.group(0).lstrip())
            whole = re.search(r"(?:,[ \t]*|\n[ \t]*)$", head[:seg_start]) and not re.search(r"\d", seg.group(0))
            for tok in re.finditer(r"\S+", text[seg_start:sep.start()]) if not whole else ():
                # "please ship it to flat 3"; not ", new mandy, la0m 5nn" (a part between commas)
                w = tok.group(0).lower().strip(",.:")
                if w not in d.everyday and w not in d.ordinary:
                    seg_start += tok.start()
                    break
            num = _HOUSE_FIRST.search(text, seg_start, sep.start()) if lower else None
            if num:  # "new office is 412 maple port": the street starts at its number
                seg_start = num.start()
            seg_words = [w.lower() for w in re.findall(r"[^\W\d_]+", seg.group(0))]
            if seg_words and all(w in d.ordinary or w in d.everyday for w in seg_words):
                break
            if not re.search(r"\d", seg.group(0)) and (
                    not uk or (len(seg_words) <= 3 and is_first_name(seg_words[0]))):
                break  # a name or company line above the address: not part of it
            start = seg_start
        if state and start == m.start():
            continue
        out.append(Span(start, m.end(), "STREET_ADDRESS", 0.65, PATTERN))
    return out


def _trim_words(text: str, start: int, end: int, d: LangData) -> int:
    """Cut ordinary words off the end of an address ("10115 berlin bitte" -> "10115 berlin")."""
    while True:
        m = re.search(r"[ \t,]+([^\W\d_]+)$", text[start:end])
        if not m or (m.group(1).lower() not in d.everyday and m.group(1).lower() not in d.ordinary):
            return end
        end = start + m.start()


# In a multi-line address block the zip / "Country 12345" line belongs to the address too.
_ZIP_LINE = re.compile(r"(?m)^[\s>?]*((?:[" + _UPPER + r"][\w'’.()-]*\s+){0,3}\d{4,6})[\s?]*$")
_CUE_ADDRESS = re.compile(r"(?i:\b(?:i live at|i live on|my address is|address is|live at|"
                          r"ship (?:it )?to|deliver (?:it )?to|send (?:it )?to|located at|"
                          r"address:)\s+)(\d[^\n?!;]{4,60}?)(?=[.?!;]\s|[.?!;]?$|\n)")
_CUE_TAIL = re.compile(r"([" + _UPPER + r"\d][^\n?!;]{3,70}?)(?=[.?!;]\s|[.?!;]?$|\n)")


def street_addresses(text: str, lang: str = "en") -> list[Span]:
    d = lang_data(lang)
    digits = any(map(str.isdigit, text))  # \d is a decimal digit: one of str.isdigit's
    if not digits:  # the cue forms and address blocks need a digit too
        return [Span(m.start(), _trim_words(text, m.start(), m.end(), d), "STREET_ADDRESS", 0.7,
                     PATTERN) for m in _ADDRESS_NO_DIGIT.finditer(text)]
    lower = text == text.lower()
    found = list(_address_rx(d.code, lower=lower and any(map(str.isalpha, text))).finditer(text))
    lines = [(0, len(text))] if lower else _lower_lines(text)
    own = _own_lower_rx(d.code) if lines and not lower else None
    if own:  # a line in lower case in a mixed message
        for a, b in lines:
            found += own.finditer(text, a, b)
    out = [Span(m.start(), _trim_words(text, m.start(), m.end(), d), "STREET_ADDRESS", 0.7, PATTERN)
           for m in found]
    if out and "\n" in text:
        out += [Span(m.start(1), m.end(1), "STREET_ADDRESS", 0.6, PATTERN)
                for m in _ZIP_LINE.finditer(text)]
    out += [Span(m.start(1), _trim_words(text, m.start(1), m.end(1), d), "STREET_ADDRESS", 0.75, PATTERN)
            for m in _CUE_ADDRESS.finditer(text)]
    if d.code != "en":  # "meine Adresse ist Hansa-Allee 107, ...": a cue, then text with a number
        for cue in d.address_cue.finditer(text):
            m = _CUE_TAIL.match(text, cue.end())
            if m and re.search(r"\d", m.group(1)):
                out.append(Span(m.start(1), _trim_words(text, m.start(1), m.end(1), d),
                                "STREET_ADDRESS", 0.75, PATTERN))
    out += _address_blocks(text, d, lines)
    return out


# ---------------------------------------------------------------------------------------------
# IBANs and card numbers (residual.py has its own, independent checks: share nothing with it).
IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{4}){2,7}(?:\s?[A-Za-z0-9]{1,4})?\b")
# Any separators: "DE89.3704.0044.0532.0130.00", "DE 89 370 400 440 532 013 000".
_IBAN_COUNTRIES = ["AD", "AE", "AL", "AT", "AZ", "BA", "BE", "BG", "BH", "BR", "CH", "CR", "CY",
                   "CZ", "DE", "DK", "DO", "EE", "EG", "ES", "FI", "FO", "FR", "GB", "GE", "GI",
                   "GL", "GR", "GT", "HR", "HU", "IE", "IL", "IQ", "IS", "IT", "JO", "KW", "KZ",
                   "LB", "LC", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MR", "MT", "MU",
                   "NL", "NO", "PK", "PL", "PS", "PT", "QA", "RO", "RS", "SA", "SC", "SE", "SI",
                   "SK", "SM", "ST", "SV", "TL", "TN", "TR", "UA", "VA", "VG", "XK"]
# upper-case country code: any separator after it; lower case ("gb50-haex-..."): none
_IBAN_LOOSE = re.compile(r"(?<![\w])(?:(?:" + "|".join(_IBAN_COUNTRIES) + r")[ .\-/]?|(?i:"
                         + "|".join(_IBAN_COUNTRIES) + r"))(?i:\d{2}(?:[ .\-/]{0,2}[A-Za-z0-9]){11,30})"
                         r"|(?<![\w])(?i:" + "|".join(_IBAN_COUNTRIES) + r")[ .\-/]\d{2}(?:[ .\-/]{0,2}\d){11,30}")
# any case, separators after the country code, letters in the BBAN ("it 57 c82 794 244 ..."):
# taken only when the compact form has the country's registered structure (Presidio's table)
_IBAN_ANY_CASE = re.compile(r"(?<![\w])(?i:" + "|".join(_IBAN_COUNTRIES) + r")[ .\-/]{1,2}\d{2}"
                            r"(?:[ .\-/]{0,2}[A-Za-z0-9]){11,30}")
_CARD_LOOSE = re.compile(r"(?<!\d)(?<!\d[.\-/])\d(?:[ .\-/]{0,2}\d){12,18}(?![\d])")


def _ibans(text: str) -> list[Span]:
    out = []
    for rx, structured in ((_IBAN_LOOSE, False), (_IBAN_ANY_CASE, True)):
        pos = 0
        while (m := rx.search(text, pos)) is not None:
            pos = m.start() + 2
            ends = [m.start() + k.end() for k in re.finditer(r"[A-Za-z0-9](?=[^A-Za-z0-9]|$)", m.group(0))]
            for end in sorted(set(ends) | {m.end()}, reverse=True):  # the longest checksum-valid prefix
                value = text[m.start():end]
                if iban_ok(value) and (not structured or _iban_structured(value)):
                    out.append(Span(m.start(), end, "IBAN_CODE", 0.9, PATTERN))
                    pos = end
                    break
    return out


def _iban_structured(value: str) -> bool:
    compact = re.sub(r"[\s.\-/]", "", value).upper()
    rx = _iban_structure(compact[:2])
    return rx is not None and rx.fullmatch(compact) is not None


@functools.cache
def _iban_structure(country: str) -> re.Pattern[str] | None:
    """The country's registered IBAN structure, compiled when first needed (all 76 at import
    took every process ~0.04 s; most builds need none)."""
    rx = iban_patterns.regex_per_country.get(country)
    return None if rx is None else re.compile(rx)


def money_numbers(text: str, lang: str = "en") -> list[Span]:
    """IBANs in any case and with any separators (checksum-validated); card-length digit runs
    after a card cue of the language (people mistype, and so do test sets), and Luhn-valid
    16-digit runs (15 for Amex) in a card's shape whatever the cue."""
    d = lang_data(lang)
    out = [Span(m.start(), m.end(), "IBAN_CODE", 0.9, PATTERN) for m in IBAN.finditer(text)
           if iban_ok(m.group(0))]
    out += _ibans(text)
    for m in _CARD_LOOSE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        cued = d.card_cue.search(text[max(0, m.start() - 40):m.start()])
        shaped = ((len(digits) == 16 and digits[0] in "23456") or
                  (len(digits) == 15 and digits[:2] in ("34", "37"))) and luhn_ok(digits)
        if cued or shaped:
            out.append(Span(m.start(), m.end(), "CREDIT_CARD", 0.55 if shaped else 0.5, PATTERN))
    return out


def case_normalised(text: str, lang: str = "en") -> str | None:
    """A title-cased copy of an all-caps or all-lowercase text (same length), else None."""
    letters = list(filter(str.isalpha, text))
    if len(letters) < 3:
        return None
    if not (all(map(str.islower, letters)) or all(map(str.isupper, letters))):
        return None
    everyday = lang_data(lang).everyday
    # a contraction's tail stays lower case ("it's" → "It's", not "It'S", which NER takes
    # for a name's start)
    out = re.sub(r"[^\W\d_]+",
                 lambda m: m.group(0).lower() if m.group(0).lower() in everyday or (
                     m.start() and text[m.start() - 1] in "'’" and len(m.group(0)) <= 2)
                 else m.group(0)[0].upper() + m.group(0)[1:].lower(), text)
    return out if len(out) == len(text) else None


# ---------------------------------------------------------------------------------------------
# Customer and order numbers: "KDNR-383211", "CLI6659567", "#308267", "a34-79318".
_ID_TOKEN = re.compile(r"(?<![\w#@./+-])#?(?=[\w-]*\d)[A-Za-z]{0,6}[-/]?[A-Za-z0-9]*\d[A-Za-z0-9]*"
                       r"(?:[-/][A-Za-z0-9]+)*(?![\w@-]|[.,]\d)")
_ID_SHAPE = re.compile(r"#\d{5,}|[A-Za-z]{1,6}[-/]?[A-Za-z0-9]*\d{5,}[A-Za-z0-9]*(?:[-/]\w+)*"
                       r"|[A-Za-z]{1,6}\d*[-/]\w*\d{3,}\w*")


def identifiers(text: str, lang: str = "en") -> list[Span]:
    """Customer and order numbers: after a cue of the language ("Kundennummer", "numéro de
    commande", "pedido") any token with 4+ digits; without a cue only a token shaped like one
    (letters and 4+ digits, "#" and 4+ digits), never a plain number (prices, years, postcodes)."""
    if sum(map(str.isdigit, text)) < 4:
        return []
    d = lang_data(lang)
    out = []
    for m in _ID_TOKEN.finditer(text):
        value = m.group(0)
        plain = (sum(c.isdigit() for c in value) < 4 or re.fullmatch(r"\d{1,2}[:h.]\d{2}|\d+(?:[.,]\d+)?", value)
                 or is_date(value))
        if plain and not (value.isdigit() and len(value) >= 5):
            continue  # times, prices, dates ("del 12/03"), short numbers; a bare 5+ digit number only after a cue
        before = text[max(0, m.start() - 45):m.start()]
        customer = d.customer_id_cue.search(before)
        order = d.order_id_cue.search(before)
        if not (customer or order) and not _ID_SHAPE.fullmatch(value):
            continue
        kind = "CUSTOMER_ID" if customer and (not order or customer.start() > order.start()) else "ORDER_ID"
        out.append(Span(m.start(), m.end(), kind, 0.45, PATTERN))
    return out


# ---------------------------------------------------------------------------------------------
# Obfuscated email addresses: "name [at] web [dot] de", "name(at)tiscali.it", "a.b＠gmail.com",
# "name @ outlook.es", "name at gmail dot com" (Presidio's email recognizer wants a plain "@").
_TLDS = r"(?:com|net|org|info|biz|eu|de|at|ch|fr|be|lu|es|it|nl|uk|ie|io|co|pt|pl|se|dk|no|fi)"
_OBF_AT = r"(?:\s*(?:\[at\]|\(at\)|\{at\}|<at>|＠)\s*|\s+@\s*|\s*@\s+)"
_DOT = r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>)\s*|\s+dot\s+|\.)"
_OBF_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]*\w(?i:" + _OBF_AT + r")[\w-]+(?:(?i:" + _DOT
                        + r")[\w-]+)*(?i:" + _DOT + r")[A-Za-z]{2,6}\b")
_WORD_AT_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]*\w\s+at\s+[\w-]+(?:(?i:" + _DOT + r")[\w-]+)*"
                            r"(?i:" + _DOT + r")" + _TLDS + r"\b")


def obfuscated_emails(text: str, lang: str = "en") -> list[Span]:
    low = text.lower()
    if "@" not in text and "＠" not in text and "at" not in low:
        return []
    out = [Span(m.start(), m.end(), "EMAIL_ADDRESS", 0.7, PATTERN) for m in _OBF_EMAIL.finditer(text)]
    out += [Span(m.start(), m.end(), "EMAIL_ADDRESS", 0.6, PATTERN) for m in _WORD_AT_EMAIL.finditer(text)
            if m.group(0).split()[0].lower() not in STOP_WORDS
            and ("dot" in m.group(0).lower() or re.search(r"\d|[._]", m.group(0).split()[0]))]
    return out
