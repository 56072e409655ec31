"""Chat recall boosters: what Presidio's English defaults miss in chat text.

* cue phrases: "my name is X", "call me X", "this is X", "I'm X", "X here", "Mr./Dr. X";
* a street-address recognizer (Presidio has none for English): house number + street words +
  street suffix, European "Name-suffix 12" forms, "Apt./Suite/Unit/PO Box N", military
  APO/FPO/DPO addresses, "the corner of X and Y", plus a trailing ", City";
* a separator-tolerant phone pattern for numbers ``phonenumbers`` rejects for the configured
  regions (fictional 555 numbers, unlisted countries) when they look like a phone number;
* casing: all-caps and all-lowercase user turns are given to NER in a case-normalised copy
  (same length, so offsets map back one to one).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.stages.pii.known import COMMON_WORD_NAMES
from dsbuild.stages.pii.names import is_first_name, is_last_name, is_name
from dsbuild.stages.pii.spans import PATTERN, Span

_W = r"[^\W\d_][\w'’.-]*"  # a word starting with a letter
_UPPER = r"A-ZÀ-ÖØ-ÞĀ-ſΆ-ΫА-ЯŁŚŻŹĆŃ"
_CAP = r"[" + _UPPER + r"][\w'’-]*"

# After these a single word is taken as a name whatever its case.
_STRONG_CUE = re.compile(r"(?i:\b(?:my name is|my name's|name is|call me|ask for|"
                         r"(?:mr|mrs|ms|miss|dr|prof)\.?)\s+)(" + _W + r")(?:\s+(" + _W + r"))?")
# After these only a word that cannot be an ordinary word ("I'm fine", "this is great").
_WEAK_CUE = re.compile(r"(?i:\b(?:this is|it'?s|i'?m|i am|regards,?|thanks,?|cheers,?|"
                       r"best,?|sincerely,?|tell|forward (?:this |it )?to|colleague|cc|dear|"
                       r"ask|speak to|talk to|contact|hi|hello|hey)\s+)(" + _W + r")(?:\s+(" + _W + r"))?")
_POSTFIX_CUE = re.compile(r"(?:^|(?<=\s))(" + _CAP + r")(?:\s+(" + _CAP + r"))?\s+(?:said|says|told|asked|"
                          r"called|wrote|will join|is my|from accounts|from billing)\b")
_HERE = re.compile(r"(?:^|[.!?]\s+|,\s*)(?i:hi|hello|hey)?[, ]*(" + _CAP + r")(?:\s+(" + _CAP
                   + r"))?\s+here\b")
_SIGNATURE = re.compile(r"(?:^|[.!?]\s+|\n)\s*(?i:[-–—~]|thanks!?\s*[-–—,]|thank you!?\s*[-–—,]|"
                        r"cheers[,!]?\s*-?|regards,?|best,?)\s*(" + _W + r")(?:\s+(" + _W + r"))?\s*$")
_NOT_NAME_TAIL = re.compile(r"(?i)(?:ing|ed|ly|ful|ous|able|ible|less|ive)$")
_EVERYDAY = frozenset("""
fine good sorry sure here new happy interested trying looking ok okay great wrong right back
glad afraid calling writing contacting not just also still so very really gonna wanna having
done ready unable able confused lost stuck curious wondering hoping planning asking sending
available online busy free late early home there thank thanks hello hi hey yes no please
customer client member user owner manager the a an your our their his her its it this that
about from with regarding re pro team premium basic plan trial account order invoice support
""".split()) | COMMON_WORD_NAMES


def _nameish(word: str, strong: bool) -> bool:
    w = word.strip("'’.-").lower()
    if len(w) < 2 or w in _EVERYDAY:
        return False
    if strong or is_name(w):
        return True
    return word[0].isupper() and not _NOT_NAME_TAIL.search(w)


def _uniform_case(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (all(c.islower() for c in letters) or all(c.isupper() for c in letters))


def _surname_like(word: str) -> bool:
    w = word.lower()
    return (len(w) >= 3 and w not in _EVERYDAY and w not in STOP_WORDS
            and not _NOT_NAME_TAIL.search(w) and w not in _VERBS)


_VERBS = frozenset("said says told asked called wrote will would can could should is was has had "
                   "needs wants sent paid ordered booked joined".split())


def cue_names(text: str) -> list[Span]:
    out: list[Span] = []
    uniform = _uniform_case(text)
    for rx, strong in ((_STRONG_CUE, True), (_WEAK_CUE, False), (_HERE, False), (_SIGNATURE, False),
                       (_POSTFIX_CUE, False)):
        for m in rx.finditer(text):
            first, last = m.group(1), m.group(2)
            if not _nameish(first, strong):
                if last and is_last_name(last) and first.lower() not in STOP_WORDS:  # "hunter caldwell"
                    out.append(Span(m.start(1), m.end(2), "PERSON", 0.7, PATTERN))
                continue
            end = m.end(1)
            if last and (_nameish(last, False) or (strong and uniform and _surname_like(last))):
                end = m.end(2)
            end -= len(text[m.start(1):end]) - len(text[m.start(1):end].rstrip(".,"))
            out.append(Span(m.start(1), end, "PERSON", 0.8, PATTERN))
    return out


_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def _ends_phrase(text: str, toks: list[re.Match[str]], k: int) -> bool:
    """Token k ends a phrase: end of text, punctuation, or a stop word follows it."""
    rest = text[toks[k].end():].lstrip(" ")
    return not rest or rest[0] in ",.!?;:\n" or (k + 1 < len(toks) and toks[k + 1].group(0).lower()
                                                    in STOP_WORDS | _VERBS)


def lexicon_names(text: str) -> list[Span]:
    """Names from the gazetteer: a first name followed by a surname-like word, or a lone
    capitalised first name that does not start a sentence. In lower- or upper-case text only a
    first name followed by a known last name counts (casing says nothing there)."""
    toks = list(_TOKEN.finditer(text))
    letters = [c for c in text if c.isalpha()]
    uniform = bool(letters) and (all(c.islower() for c in letters) or all(c.isupper() for c in letters))
    out: list[Span] = []
    i = 0
    while i < len(toks):
        t = toks[i].group(0)
        if t.lower() in _EVERYDAY or not is_first_name(t) or not (uniform or t[0].isupper()):
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and j - i < 2:
            gap = text[toks[j].end():toks[j + 1].start()]
            nxt = toks[j + 1].group(0)
            if gap.strip(" .") or "\n" in gap or nxt.lower() in _EVERYDAY:
                break
            if uniform and not (is_last_name(nxt) or is_first_name(nxt) or
                                (j == i and _surname_like(nxt) and _ends_phrase(text, toks, j + 1))):
                break
            if not uniform and not nxt[0].isupper():
                break
            j += 1
        before = text[:toks[i].start()].rstrip()
        initial = not before or before[-1] in ".!?:\n\"'>"
        after = text[toks[j].end():toks[j].end() + 12]
        # a sentence-initial lone first name: only as the subject ("Darren is", "Zuzana: hi")
        subject = re.match(r"(?::|\s+[a-z]{2,})", after) is not None and is_first_name(t)
        if j > i or (not uniform and (not initial or subject)):
            out.append(Span(toks[i].start(), toks[j].end(), "PERSON", 0.6 if j > i else 0.5, PATTERN))
        i = j + 1
    return out


_SUFFIX = (r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
           r"terrace|terrasse|circle|cir|highway|hwy|parkway|pkwy|square|sq|crescent|cres|close|"
           r"crossroad|crossing|loop|pass|greens?|radial|row|walk|mews|grove|gardens|hill|park|"
           r"view|trail|path|alley|plaza|point|ridge|heights|junction|manor|meadows?|port|quay|"
           r"vale|villas?|wharf|wynd|brae|rise|esplanade|embankment|causeway|apartments|residency|"
           r"towers|nagar|colony|enclave")
_EU_WORD = (r"[\w'’-]*(?:stra(?:ß|ss)e|str\.|gasse|weg|allee|platz|ring|damm|ufer|vej|veien|vegen|"
            r"gata|gatan|gade|katu|kuja|tie|polku|straat|laan|gracht|plein|steeg|út|utca|tér|"
            r"sokak|caddesi)")
_EU_PREFIX = (r"(?:ul\.|ulica|al\.|aleja|via|viale|corso|piazza|rue|avenue|boulevard|bd|calle|"
              r"avenida|av\.|rua|carrer|plaza|paseo|strada|rua|estrada|travessa|plac|náměstí)")
_NUM = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,4})?"
_UNIT = r"(?:,?\s*(?:apt\.?|apartment|suite|ste\.?|unit|flat|floor|fl\.?|room|#)\s*[\w-]{1,6})"
_CITY = r"(?:,\s*" + _CAP + r"(?:\s" + _CAP + r")?(?:,?\s+[A-Z]{2})?(?:\s+\d{4,6})?)"
_ADDRESS = re.compile(
    r"(?i:\bthe corner of\s+)[^\n,.;]{3,60}?\s+and\s+[^\n,.;?!]{3,40}"
    r"|\b" + _NUM + r"\s+(?:" + _W + r"\s+){0,4}?(?i:" + _SUFFIX + r")\.?(?![\w])" + _UNIT + r"?"
    + _CITY + r"?"
    r"|(?i:\b" + _EU_PREFIX + r")\s+(?:" + _W + r"\s+){0,3}?" + _NUM + r"\b" + _UNIT + r"?" + _CITY
    + r"?"
    r"|\b" + _NUM + r"\s+(?i:" + _EU_PREFIX + r")\s+(?:" + _W + r"\s*){1,4}" + _CITY + r"?"
    r"|(?i:\b" + _EU_WORD + r")\s+" + _NUM + r"\b\.?" + _UNIT + r"?" + _CITY + r"?"
    r"|\b(?i:apt\.?|apartment|suite|unit|flat|p\.?\s?o\.?\s+box|box|psc)\s+\d{1,6}\b"
    r"(?:,?\s*(?i:box)\s+\d{1,6})?(?:,\s*(?:" + _W + r"\s+){1,3}(?i:" + _SUFFIX + r")\b)?"
    r"|\b(?i:APO|FPO|DPO)\s+(?i:AA|AE|AP)\s+\d{5}\b"
    r"|\b\d{1,6}\s+(?:\d{1,5}\s+)?(?:" + _CAP + r"\.?\s+){1,3}\d{1,5}[A-Za-z]?\b(?![:%.,]\d)" + _UNIT
    + r"?" + _CITY + r"?"
    r"|\b\d{1,6}\s+\d{1,5}\s+(?:" + _W + r"\s+){0,4}?(?i:" + _SUFFIX + r")\.?(?![\w])"
    r"|\b(?i:US(?:S|NS|NV|CGC))\s+" + _W + r"\b"
)
_CUE_ADDRESS = re.compile(r"(?i:\b(?:i live at|i live on|my address is|address is|live at|"
                          r"ship (?:it )?to|deliver (?:it )?to|send (?:it )?to|located at|"
                          r"address:)\s+)(\d[^\n?!;]{4,60}?)(?=[.?!;]\s|[.?!;]?$|\n)")


# In a multi-line address block the zip / "Country 12345" line belongs to the address too.
_ZIP_LINE = re.compile(r"(?m)^[\s>?]*((?:[" + _UPPER + r"][\w'’.()-]*\s+){0,3}\d{4,6})[\s?]*$")


def street_addresses(text: str) -> list[Span]:
    out = [Span(m.start(), m.end(), "STREET_ADDRESS", 0.7, PATTERN) for m in _ADDRESS.finditer(text)]
    if out and "\n" in text:
        out += [Span(m.start(1), m.end(1), "STREET_ADDRESS", 0.6, PATTERN)
                for m in _ZIP_LINE.finditer(text)]
    out += [Span(m.start(1), m.end(1), "STREET_ADDRESS", 0.75, PATTERN)
            for m in _CUE_ADDRESS.finditer(text)]
    return out


_PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{1,5}"
                         r"(?:[\s.-]\d{2,5}){1,4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w])")
_PHONE_CUE = re.compile(r"(?i)(?:phone|mobile|cell|call|text|reach|number|tel|whatsapp|contact)"
                        r"[^.?!\n]{0,25}$")


def phone_like(text: str) -> list[Span]:
    """Digit groups that look like a phone number: 8-15 digits, and a '+', a '(', or a cue."""
    out = []
    for m in _PHONE_LIKE.finditer(text):
        digits = sum(c.isdigit() for c in m.group(0))
        if not 8 <= digits <= 15:
            continue
        cued = m.group(0).startswith(("+", "(")) or _PHONE_CUE.search(text[max(0, m.start() - 40):m.start()])
        if cued or re.fullmatch(r"0\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{3,4}", m.group(0)):
            out.append(Span(m.start(), m.end(), "PHONE_NUMBER", 0.6, PATTERN))
    return out


IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{4}){2,7}(?:\s?[A-Za-z0-9]{1,4})?\b")
CARD_DIGITS = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_CARD_CUE = re.compile(r"(?i)(?:card|credit|debit|visa|mastercard|amex|cc|charge)[^.?!\n]{0,30}$")


def iban_ok(value: str) -> bool:
    v = re.sub(r"\s", "", value).upper()
    if not 15 <= len(v) <= 34:
        return False
    num = "".join(str(int(c, 36)) for c in v[4:] + v[:4])
    return int(num) % 97 == 1


def money_numbers(text: str) -> list[Span]:
    """IBANs in any case (checksum-validated) and card-length digit runs after a card cue
    (Presidio wants a valid Luhn digit; people mistype, and so do test sets)."""
    out = [Span(m.start(), m.end(), "IBAN_CODE", 0.9, PATTERN) for m in IBAN.finditer(text)
           if iban_ok(m.group(0))]
    out += [Span(m.start(), m.end(), "CREDIT_CARD", 0.5, PATTERN) for m in CARD_DIGITS.finditer(text)
            if _CARD_CUE.search(text[max(0, m.start() - 40):m.start()])]
    return out


def case_normalised(text: str) -> str | None:
    """A title-cased copy of an all-caps or all-lowercase text (same length), else None."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return None
    if not (all(c.islower() for c in letters) or all(c.isupper() for c in letters)):
        return None
    out = re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower()
                 if m.group(0).lower() not in _EVERYDAY else m.group(0).lower(), text)
    return out if len(out) == len(text) else None
