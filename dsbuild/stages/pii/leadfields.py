"""Every personal value a lead's fields give away, as plain strings (no patterns).

:func:`lead_values` reads all of a :class:`~dsbuild.records.Lead`: the name (full name, its
tokens, the surname with its particles), the email (address, local part, the name tokens in the
local part: ``kaitlyn.conree62`` → kaitlyn, conree), phones (their significant digits), company,
website, the address in any country's order (street line, street name, postcode, city:
``Thomstraat 189, 2763 FB Udenhout`` → ``2763 FB``, ``Udenhout``; ``Hansa-Allee 107, 74068
Gelnhausen``; UK ``HU3 1NW``; US ``, City ST 12345``), and what ``notes`` and ``tags`` hold:
identifiers (four or more digits, or letters mixed with digits: ``KD-572912``), emails, phones and
the name after a note cue (``Spoke with Kaitlyn``, ``Gespräch mit …``, ``parlé avec …``).

Name particles (van, de, von, di, ...) are never values on their own: only inside the full name
or the surname they belong to.

A lead's name is a value of ITS conversation: each of its tokens is redacted wherever it stands
as a word there, in any case, with diacritics folded ("pierre" in the chat of a lead named
Pierre, "ella" in an English chat). Only a token that is an ordinary word *of the
conversation's language* is marked ``common`` and redacted where it is clearly the name (see
:mod:`dsbuild.stages.pii.known`): the language's stop words ("will", "may" and "nor" in
English, "ella" in Spanish, "wil" in Dutch), its weekdays, months and plan words, cities,
particles, the English everyday-word names ("Grace", "Bill", "Hope") in English, and a few
frequent words per language (``frequent_name_words`` in the lang files). Two-letter tokens ("Li", "Jo") are always
``common`` (a rule for short tokens: "al", "ed", "jo" are words too); one letter is an initial,
never a value. With no language known, every supported language's words count (the widest,
most careful reading).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers

from dsbuild.records import Lead
from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES
from dsbuild.stages.pii.foldmap import fold, variants
from dsbuild.stages.pii.langdata import (
    LANGUAGES,
    business_words,
    city_names,
    dictionary_words,
    language_words,
    lead_field_words,
    name_particles,
    name_words,
    product_words,
    stop_words,
)

NAME, EMAIL, PHONE, ORG, URL, STREET, LOCATION, ID = (
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "ORGANIZATION", "URL", "STREET_ADDRESS", "LOCATION",
    "PERSONAL_ID")

# COMMON_WORD_NAMES (English first names that are everyday words) lives in common_names.py:
# langdata.py needs it too and sits below this module.

# First names that are everyday words, months or weekdays in the other supported languages
# (``name_words`` of each lang file): with no conversation language known, all of them are
# "common" (context only).
_OTHER_COMMON = name_words()
# Names that are frequent ordinary words of one language, beyond its stop words, weekdays and
# months (those come from spaCy and the language's data file): context only in a conversation
# of that language (``frequent_name_words``; English: COMMON_WORD_NAMES). Rare words ("pierre" =
# stone, "frank", "rosa") are not there: in the chat of a lead named Pierre, "pierre" is Pierre.


def _frequent_words(lang: str) -> frozenset[str]:
    return COMMON_WORD_NAMES if lang == "en" else language_words(lang, "frequent_name_words")


# Name particles: the per-language data's, and a few more (Portuguese, Scandinavian).
PARTICLES = name_particles() | frozenset("""
van der den de del della dello degli dei di da dal dalla du des d' le la ter ten het von zu zum
zur y e dos das do lo af av
""".split())

# Mailbox names that are not a person ("info@", "sales@", ...) and countries as an address's last
# part (not a value: every "Germany" in a chat is not the lead's): the lang files' ``mailboxes``
# and ``countries``; ``note_cues``: what a CRM note says before a person's name.
_MAILBOXES, _COUNTRIES, _NOTE_CUES = lead_field_words()


_stop_words = stop_words  # spaCy's lists, read without importing the language packages

# Words that are ordinary in any supported language (stop words; weekdays, months, plan words
# and cities of business sentences): a name token equal to one is "common".
COMMON_TOKENS = (COMMON_WORD_NAMES | _OTHER_COMMON | PARTICLES | business_words() | city_names()
                 | frozenset().union(*(_stop_words(c) for c in ("de", "fr", "es", "nl", "it"))))
_STOP_WORDS = frozenset().union(*(_stop_words(c) for c in ("en", "de", "fr", "es", "nl", "it")))


@dataclass(frozen=True, slots=True)
class KnownValue:
    value: str
    type: str
    key: str  # identity for consistent pseudonyms
    common: bool = False  # an ordinary word: redacted only where it is clearly the name
    identifier: bool = False  # also matched with its separators changed (KD-572912 / kd 572912)


_NAME_TOKEN = re.compile(r"[^\W\d_]{3,}(?:['’-][^\W\d_]+)*")
_SHORT_TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_]{2}(?![\w'’-])")
_LETTERS = re.compile(r"[^\W\d_]+")
_EMAILS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONES = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t().\-/]{5,20}\d(?!\w)")
_IDS = re.compile(r"(?<![\w-])[^\W_](?:[\w]|[-/.#](?=[^\W_]))*")
_YEAR = re.compile(r"(?:19|20)\d\d")

_NOTE_CUE = r"(?i:" + _NOTE_CUES + r")\s*"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ][^\W\d_]+(?:['’-][^\W\d_]+)*"
_PARTICLE = r"(?:" + "|".join(sorted((re.escape(p) for p in PARTICLES), key=len, reverse=True)) + r")"
_NOTE_NAME = re.compile(_NOTE_CUE + r"(" + _CAP + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _CAP + r"){0,2})")
# a sentence's first words, capitalised, before a lower-case word ("Pance wants ...")
_NOTE_SUBJECT = re.compile(r"(?:^|(?<=[.!?;\n]))\s*(" + _CAP + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _CAP
                           + r"){0,2})(?=[ \t]+[a-zß-öø-ÿ])")

# Postcodes in each country's shape, tried in this order on each part of an address.
_POSTCODES = [
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),  # UK: SW1A 1AA, HU3 1NW
    re.compile(r"\b\d{4}\s?[A-Z]{2}\b"),  # NL: 2763 FB
    re.compile(r"(?:\b[A-Z]{2}\s+)(\d{5}(?:-\d{4})?)\b"),  # US: state + ZIP
    re.compile(r"\b\d{4}-\d{3}\b|\b\d{2}-\d{3}\b"),  # PT, PL
    re.compile(r"\b(?:[A-Z]{1,2}-)?\d{4,5}\b"),  # DE FR ES IT (5), AT BE CH DK (4), "D-10115"
]
_US_STATE = re.compile(r"\s*\b[A-Z]{2}\s*$")
_HOUSE_NUMBER = re.compile(r"^\d+\s?[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?\s+|\s+\d+\s?[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?$")
_STREET_SUFFIX = re.compile(r"(?i)(?:stra(?:ß|ss)e|str\.|straat|weg|laan|gracht|allee|platz|gasse|ring"
                            r"|dijk|kade|plein|singel|damm|ufer|markt|hof|pad)$")


@functools.lru_cache(maxsize=4096)
def phone_core(value: str) -> str | None:
    """The significant digits of a phone number: without country code and trunk prefix."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 6:
        return None
    v = value.strip()
    if v.startswith("00"):
        v = "+" + v[2:]
    if v.startswith("+"):
        try:
            return str(phonenumbers.parse(v, None).national_number)
        except phonenumbers.NumberParseException:
            pass
    return digits.lstrip("0") or None


def is_common(token: str) -> bool:
    return token.lower() in COMMON_TOKENS


@functools.cache
def common_words(lang: str | None) -> frozenset[str]:
    """The words a lead's name token may be in a conversation of ``lang`` without being the
    name (``None`` or an unsupported language: every supported language's)."""
    if lang not in LANGUAGES:
        return COMMON_TOKENS
    # English business words too: EU support chats mix them in ("sales", "team", "thanks")
    return (_stop_words(lang) | _frequent_words(lang) | PARTICLES | language_words(lang, "business")
            | language_words("en", "business") | city_names())


class _Collector:
    def __init__(self, lang: str | None = None) -> None:
        self.common = common_words(lang)
        self.values: list[KnownValue] = []
        self.phones: list[tuple[str, str]] = []  # (significant digits, pseudonym key)
        self._seen: set[str] = set()

    def add(self, value: str, type_: str, key: str, *, common: bool = False,
            identifier: bool = False) -> None:
        value = " ".join(value.split()).strip(" ,;:")
        if len(value) < (2 if common and type_ == NAME else 3) or value.casefold() in self._seen:
            return
        self._seen.add(value.casefold())
        self.values.append(KnownValue(value, type_, key, common, identifier))

    def phone(self, value: str, key: str) -> None:
        core = phone_core(value)
        if core and all(core != c for c, _ in self.phones):
            self.phones.append((core, key))

    def name(self, name: str, key: str) -> None:
        words = name.split()
        # a one-word name is its token: "Will" alone is as ambiguous as the token
        self.add(name, NAME, key, common=len(words) == 1 and self.is_common(name))
        low = [w.lower() for w in words]
        first_particle = next((i for i, w in enumerate(low) if w in PARTICLES and 0 < i < len(words) - 1),
                              None)
        if first_particle is not None:  # "Jan van der Berg" → also "van der Berg"
            self.add(" ".join(words[first_particle:]), NAME, key)
        for tok in dict.fromkeys(_NAME_TOKEN.findall(name)):
            if tok.lower() in PARTICLES:
                continue  # "van" is a person only inside the full name
            self.add(tok, NAME, key, common=self.is_common(tok))
            parts = _LETTERS.findall(tok)
            if len(parts) > 1:  # "Jean-Pierre", "Smith-Jones", "Dell'Orto": each part, and joined
                for part in parts:
                    if len(part) >= 3 and part.lower() not in PARTICLES:
                        self.add(part, NAME, key, common=self.is_common(part))
                self.add("".join(parts), NAME, key)
        for tok in dict.fromkeys(_SHORT_TOKEN.findall(name)):  # "Li", "Jo": only as clearly a name
            if tok.lower() not in PARTICLES:
                self.add(tok, NAME, key, common=True)

    def is_common(self, token: str) -> bool:
        return token.lower() in self.common

    def email(self, email: str, name_key: str) -> None:
        self.add(email, EMAIL, "lead:email")
        local = email.split("@", 1)[0]
        if len(local) >= 3 and not is_common(local) and local.lower() not in _MAILBOXES:
            self.add(local, EMAIL, "lead:email")
        parts = _LETTERS.findall(local)
        if len(parts) > 1 or (parts and parts[0] != local):  # kaitlyn.conree62 → kaitlyn, conree
            for tok in parts:
                if len(tok) >= 3 and tok.lower() not in _MAILBOXES and tok.lower() not in PARTICLES:
                    self.add(tok, NAME, name_key, common=self.is_common(tok))

    def concatenated_names(self, email: str, name_key: str) -> None:
        """``michellaverhekkers@`` with the known name Michella: verhekkers is a name too; so is
        conree in ``kconree@`` (the initial of a known name, then the surname)."""
        # with the spellings of an e-mail address: "stesuendwiggike@" of Stesündwig
        names = list(dict.fromkeys(k for v in self.values if v.type == NAME and " " not in v.value
                                   for k in variants(v.value)))
        for chunk in _LETTERS.findall(fold(email.split("@", 1)[0])):
            if chunk in _MAILBOXES:
                continue
            for name in names:
                if chunk == name or len(chunk) < min(len(name) + 3, 5):
                    continue
                rest = chunk[len(name):] if chunk.startswith(name) else (
                    chunk[:-len(name)] if chunk.endswith(name) else "")
                if not rest and len(name) >= 3 and chunk[0] == name[0] and chunk[1:] not in names:
                    rest = chunk[1:]  # "kconree" of Kaitlyn
                if len(rest) >= 3 and rest not in _MAILBOXES and rest not in PARTICLES:
                    self.add(rest, NAME, name_key, common=self.is_common(rest))

    def joined_names(self) -> None:
        """Two name tokens written as one word (``kaitlynconree``, ``ConreeKaitlyn``: a handle, an
        address without its dots) or as a full name no field holds whole (``Stiana Her``)."""
        # the name field's, the e-mail's and the notes' tokens together: "Stesündwig" (name) and
        # "Gike" (a note) make "gikestesuendwig"
        toks = [(v.value, v.key, v.common) for v in self.values if v.type == NAME and " " not in v.value
                and len(v.value) >= 3][:8]
        for a, key, a_common in toks:
            for b, _, b_common in toks:
                if a.casefold() not in b.casefold() and b.casefold() not in a.casefold():
                    self.add(a + b, NAME, key)
                    if not (a_common and b_common):
                        # a full name no field holds whole: "stiana her" of the name Stiana and
                        # stiana.her35@ (the ordinary word "her" is the name there)
                        self.add(f"{a} {b}", NAME, key)

    def address(self, address: str) -> None:
        self.add(address, STREET, "lead:address")
        parts = [p.strip() for p in re.split(r"[,\n;]", address) if p.strip()]
        if not parts:
            return
        first = parts[0]
        rest = parts[1:]
        for i, part in enumerate(parts):
            found = self._postcode(part)
            if found is None:
                continue
            start, end, code = found
            before, after = part[:start].strip(" ,"), part[end:].strip(" ,")
            if i == 0 and not before:
                continue  # a house number first ("0487 Hull Village"), not a postcode
            self.add(code, STREET, "lead:postcode")
            before = _US_STATE.sub("", before)
            if i == 0:  # "Thomstraat 189 2763 FB Udenhout": no comma before the postcode
                first = before or first
                rest = ([after] if after else []) + parts[1:]
            else:
                rest = [p for p in rest if p != part] + [p for p in (before, after) if p]
            break
        self.add(first, STREET, "lead:address")
        if rest and re.fullmatch(r"\d+\s?[A-Za-z]?", rest[0]):  # "Calle Mayor, 5"
            self.add(f"{first}, {rest[0]}", STREET, "lead:address")
            self.add(f"{first} {rest[0]}", STREET, "lead:address")
        street = _HOUSE_NUMBER.sub("", first).strip()
        if street != first and street and not is_common(street):
            if len(street.split()) > 1 or _STREET_SUFFIX.search(street):
                self.add(street, STREET, "lead:address")
        for part in rest:
            city = re.sub(r"\b\d+\w*\b", "", part).strip(" ,.-")
            # the lead's own city is a value even where it is a business word ("Paris")
            if (len(city) >= 3 and _LETTERS.search(city) and city.casefold() not in _COUNTRIES
                    and city.lower() not in _STOP_WORDS):
                self.add(city, LOCATION, "lead:city")

    @staticmethod
    def _postcode(part: str) -> tuple[int, int, str] | None:
        for rx in _POSTCODES:
            m = rx.search(part)
            if m:
                g = 1 if m.lastindex else 0
                return m.start(), m.end(), m.group(g)
        return None

    def free_text(self, text: str, where: str, name_key: str) -> None:
        """Notes and tags: emails, phones, identifiers and the names after a note cue."""
        emails, phones, idents, names = _free_text(text)
        for email in emails:
            self.email(email, name_key)
        for phone in phones:
            self.phone(phone, f"lead:{where}-phone{len(self.phones)}")
        for ident in idents:
            self.add(ident, ID, f"lead:{where}", identifier=True)
        for name in names:
            self.name(name, name_key)


@functools.lru_cache(maxsize=4096)
def _free_text(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What a note or tag holds (cached: tags and templated notes repeat across leads)."""
    emails = tuple(m.group(0) for m in _EMAILS.finditer(text))
    text = _EMAILS.sub(" ", text)
    phones = tuple(m.group(0) for m in _PHONES.finditer(text) if sum(c.isdigit() for c in m.group(0)) >= 7)
    idents: list[str] = []
    if any(c.isdigit() for c in text):
        for m in _IDS.finditer(text):
            ident = m.group(0).rstrip(".-/#")
            digits = sum(c.isdigit() for c in ident)
            letters = sum(c.isalpha() for c in ident)
            if digits >= 4 and not (len(ident) == 4 and _YEAR.fullmatch(ident)) or (
                    digits and letters and digits + letters >= 4 and digits >= 2):
                idents.append(ident)
                idents += [chunk for chunk in re.findall(r"\d{5,}", ident) if chunk != ident]  # "572912"
    names: list[str] = []
    for m in _NOTE_NAME.finditer(text):
        name = m.group(1)
        toks = [t for t in name.split() if t.lower() not in PARTICLES]
        if toks and not all(t.lower() in COMMON_TOKENS for t in toks):
            names.append(name)
    names += _note_subjects(text)
    return emails, phones, tuple(idents), tuple(names)


def _note_subjects(text: str) -> list[str]:
    """A note's sentence that opens with capitalised words no dictionary of any supported
    language holds, then a lower-case word: "Pance wants the Pro plan", "Sündhild Porbach hat
    angerufen", "Lirkke van Doorn belt terug" ("Customer wants ..." is no name)."""
    out: list[str] = []
    for m in _NOTE_SUBJECT.finditer(text):
        words: list[str] = []
        for w in m.group(1).split():
            low = w.lower()
            if low in PARTICLES and words:
                words.append(w)
            elif _unknown_word(w) or (words and words[-1].lower() in PARTICLES and low not in _STOP_WORDS):
                words.append(w)  # a surname after its particle may be a word ("van Doorn")
            else:
                break
        while words and words[-1].lower() in PARTICLES:
            words.pop()
        if words:
            out.append(" ".join(words))
    return out


def _unknown_word(word: str) -> bool:
    w = word.casefold()
    return (len(w) >= 3 and not word.isupper() and w not in COMMON_TOKENS and w not in _STOP_WORDS
            and not _in_dictionary(w))


def _in_dictionary(w: str) -> bool:
    """A common word of any language, or a product word. Asked of each language's set: their
    union (300k words) took every pool worker 0.17 s of CPU to build in its first batch."""
    return any(w in words for words in dictionary_words().values()) or w in product_words()


def lead_values(lead: Lead, lang: str | None = None) -> tuple[list[KnownValue], list[tuple[str, str]]]:
    """The lead's values (literal strings with their type and pseudonym key) and its phones'
    significant digits (with their pseudonym key); ``lang``: the conversation's language, which
    decides which name tokens are ordinary words there (``common``)."""
    c = _Collector(lang)
    if lead.name:
        c.name(lead.name, "lead:name")
    if lead.email:
        c.email(lead.email, "lead:name")
    if lead.phone:
        c.phone(lead.phone, "lead:phone")
    if lead.company:
        c.add(lead.company, ORG, "lead:company")
    if lead.website:
        site = lead.website.strip()
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", site, flags=re.IGNORECASE).split("/")[0]
        c.add(site, URL, "lead:website")
        c.add(host, URL, "lead:website")
        if host.lower().startswith("www."):
            c.add(host[4:], URL, "lead:website")
    if lead.address:
        c.address(lead.address)
    # a name in the notes is the lead's when the lead has no name of its own
    note_key = "lead:name" if not lead.name else "lead:note-name"
    if lead.notes:
        c.free_text(lead.notes, "notes", note_key)
    for tag in lead.tags:
        c.free_text(tag, "tags", note_key)
    if lead.email:
        c.concatenated_names(lead.email, "lead:name")
    c.joined_names()
    for i, other in enumerate(lead.other):
        if sum(ch.isdigit() for ch in other) >= 7 and not re.search(r"[^\d\s()+.\-/]", other):
            c.phone(other, f"lead:other{i}")
        elif len(other.strip()) >= 4:
            c.add(other, ID, f"lead:other{i}")
    return c.values, c.phones
