"""Fail closed: after scrubbing, look again, independently, for what must never be written.

This scan shares no pattern and no matching code with the detectors (boosters, Presidio,
known-value matching): a blind spot of a detector is not its blind spot too. It reads the
scrubbed text with the pseudonyms it produced blanked out, folded to NFKC (fullwidth ``＠`` and
digits become ASCII) and case-folded, and looks for:

* payment cards: digit runs, with any separators between the digits (space, dot, slash, dash, up
  to three of them: ``4111.1111.1111.1111``, ``4111/1111/1111/1111``), of 13–19 digits that pass
  Luhn; and any run grouped exactly like a card (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) whatever its
  check digit (``Kreditkarte 4111 1111 1111 1112``): no cue words, so no language is favoured;
* IBANs: a country code with its registry length and two check digits, any separators
  (``DE89.3704.0044.0532.0130.00``, ``DE 89 370 400 440 532 013 000``), mod-97 valid;
* email addresses, including ``[at]``, ``(at)``, ``{at}``, ``＠``, `` at `` and ``[dot]``,
  ``(dot)``, `` dot ``. The bare word "at" counts only in a whole address shape: with an
  obfuscated dot ("anna at firma dot de"), a local part that looks like one ("j.doe at
  example.com", "anna62 at web.de") or a mail word before it ("e-mail: anna at firma.de");
  never in a sentence ("see you at 5.30", "we are at booking.com");
* every known lead value, in any case and with accents folded (identifiers also with their
  separators dropped), and the significant digits of every known phone number.

A hit drops the record as ``pii_residual:TYPE``. Every step is one pass over the text (or one
``str.find`` loop per known value), so the scan is linear in the text's length.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Iterator

import ahocorasick

from dsbuild.stages.pii.known import KnownValues

# ISO 13616 registry lengths (SWIFT IBAN registry): country → total length.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
    "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

_BLANK = "\x00"  # stands for a produced pseudonym: not a separator, not a word character
_SEPS = " ./-\u2010\u2011\u2012\u2013\u2014\xa0\t"
# digit runs with up to three separator characters between two digits: a plain character-class
# run cut at longer gaps (a repeated group would keep a backtracking state per digit)
_RAW_DIGITS = re.compile(r"\d[\d ./\-\u2010-\u2014\xa0\t]*")
_GAP = re.compile(r"\D{4,}")
_CARD_GROUPS = {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4)}
# dates ("12/03/2024 - 14/03/2024") end a digit run; amounts with thousands separators are no card
_DATE = re.compile(r"(?<![\d./-])(\d{2})([./-])(\d{2})\2((?:19|20)\d{2})(?![\d./-])")
_AMOUNT = re.compile(r"\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*")
# an IBAN start: two letters (not inside a word), separators, two check digits
_IBAN_START = re.compile(r"(?<![^\W\d_])([a-z]{2})[ ./\-\t]{0,3}(\d)[ ./\-\t]{0,3}(\d)")

_AT = r"(?:\s*@\s*|\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
_EMAIL = re.compile(
    r"(?<![\w.+\-])(?P<local>[\w][\w.+\-]{0,63})(?P<at>" + _AT + r")"
    r"(?P<domain>[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:" + _DOT + r"[a-z0-9](?:[a-z0-9\-]{0,61}"
    r"[a-z0-9])?)*)(?P<dot>" + _DOT + r")(?P<tld>[a-z]{2,24})(?![\w@])")
_OBFUSCATED_DOT = re.compile(r"\s*[\[({<]\s*dot|\s+dot\s+")
_AT_HINT = re.compile(r"@|\sat\s|at\s*[\])}>]")
_LOCAL_SHAPE = re.compile(r"[._+\-\d]")
_MAIL_CUE = re.compile(r"(?:e-?mail|mail|correo|courriel|adresse|adres|indirizzo|posta)\w*[\s:]*$")


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """``compact``: upper-case letters and digits only."""
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1
    except ValueError:
        return False


def _blank_produced(text: str, produced: Iterable[str]) -> str:
    """``text`` with every produced pseudonym replaced by ``_BLANK``, the longest first.

    A replace per pseudonym costs the text's length each time, and a long message produces more
    pseudonyms the longer it is (quadratic); past a few dozen of them in a long text, one pass
    finds them all (:func:`_blank_in_one_pass`), with the same result."""
    tokens = sorted({t for t in produced if t}, key=lambda t: (-len(t), t))
    if len(tokens) > _DIRECT_TOKENS and len(text) > _DIRECT_CHARS:
        return _blank_in_one_pass(text, tokens)
    for tok in tokens:
        if tok in text:
            text = text.replace(tok, _BLANK)
    return text


_DIRECT_TOKENS, _DIRECT_CHARS = 64, 20_000


def _blank_in_one_pass(text: str, tokens: list[str]) -> str:
    """What the replace loop of :func:`_blank_produced` makes of ``text``, in time linear in
    it: every occurrence of every token is found in one Aho-Corasick pass, then, longest token
    first, each occurrence that no earlier replacement touched (and, within one token, that does
    not overlap the one before, as ``str.replace``) is taken."""
    starts = _occurrences(text, tokens)
    taken = bytearray(len(text))
    spans: list[tuple[int, int]] = []
    for tok, found in zip(tokens, starts):
        size, free_from = len(tok), 0
        for s in found:
            if s >= free_from and taken.find(1, s, s + size) < 0:
                taken[s:s + size] = b"\x01" * size
                spans.append((s, s + size))
                free_from = s + size
    out: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        out += (text[pos:s], _BLANK)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _occurrences(text: str, tokens: list[str]) -> list[list[int]]:
    """Start offsets of every (also overlapping) occurrence of each token, ascending (one
    ``pyahocorasick`` pass, the library the known-value matcher uses; no pattern is shared)."""
    auto = ahocorasick.Automaton()
    for i, tok in enumerate(tokens):
        auto.add_word(tok, i)
    auto.make_automaton()
    starts: list[list[int]] = [[] for _ in tokens]
    for end, i in auto.iter(text):
        starts[i].append(end - len(tokens[i]) + 1)
    return starts


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _plausible_date(m: re.Match[str]) -> bool:
    a, b = int(m.group(1)), int(m.group(3))
    return 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12


def _digit_runs(text: str) -> Iterator[str]:
    for m in _RAW_DIGITS.finditer(text):
        raw, pos = m.group(0), 0
        for g in _GAP.finditer(raw):
            yield raw[pos:g.start()]
            pos = g.end()
        rest = raw[pos:]
        while rest and not rest[-1].isdigit():
            rest = rest[:-1]
        if rest:
            yield rest


def _groups(run: str) -> list[str]:
    return [g for g in re.split(r"\D+", run) if g]


def card_in(text: str) -> bool:
    if _DATE.search(text):  # a date next to a number is not one long number
        text = _DATE.sub(lambda m: _BLANK if _plausible_date(m) else m.group(0), text)
    for run in _digit_runs(text):
        groups = _groups(run)
        digits = "".join(groups)
        if len(digits) < 13 or digits[0] == "0" or _AMOUNT.fullmatch(run):
            continue
        if len(digits) <= 19 and luhn_ok(digits):
            return True
        sizes = [len(g) for g in groups]
        # longer runs (a card next to its expiry, two numbers in a row): windows on group bounds
        for i in range(len(groups)):
            n = 0
            for j in range(i, min(len(groups), i + 19)):
                n += sizes[j]
                if n > 19:
                    break
                if n >= 13 and groups[i][0] != "0" and (
                        tuple(sizes[i:j + 1]) in _CARD_GROUPS or luhn_ok("".join(groups[i:j + 1]))
                        and (i, j) != (0, len(groups) - 1)):
                    return True
    return False


def iban_in(low: str) -> bool:
    for m in _IBAN_START.finditer(low):
        country = m.group(1).upper()
        length = IBAN_LENGTHS.get(country)
        if length is None:
            continue
        chars = [country, m.group(2), m.group(3)]
        have, i, gap = 4, m.end(), 0
        while have < length and i < len(low) and gap <= 3:
            c = low[i]
            if c.isascii() and c.isalnum():
                chars.append(c.upper())
                have += 1
                gap = 0
            elif c in _SEPS:
                gap += 1
            else:
                break
            i += 1
        bban = chars[3:]
        if (have == length and sum(c.isdigit() for c in bban) >= 0.6 * len(bban)
                and iban_valid("".join(chars))):
            return True
    return False


def email_in(low: str, allowed: Callable[[str], bool]) -> bool:
    for m in _EMAIL.finditer(low):
        local, at, dot = m.group("local"), m.group("at"), m.group("dot")
        if "@" not in at and not at.strip().startswith(("[", "(", "{", "<")):
            # the bare word "at": only a whole address shape, not a sentence
            obfuscated_dot = bool(_OBFUSCATED_DOT.match(dot)) or bool(
                _OBFUSCATED_DOT.search(m.group("domain")))
            cue = _MAIL_CUE.search(low, max(0, m.start() - 24), m.start()) is not None
            if not (obfuscated_dot or _LOCAL_SHAPE.search(local) or cue):
                continue
        domain = re.sub(_DOT, ".", m.group("domain"))
        address = f"{local}@{domain}.{m.group('tld')}"
        if address.endswith(".invalid") or allowed(address):
            continue
        return True
    return False


def _bounded_find(hay: str, needle: str, soft: frozenset[int] = frozenset()) -> bool:
    """``needle`` in ``hay`` as a whole word; ``soft``: offsets where a separator was dropped,
    which count as word bounds too."""
    i = hay.find(needle)
    while i >= 0:
        j = i + len(needle)
        if ((i == 0 or i in soft or not hay[i - 1].isalnum())
                and (j == len(hay) or j in soft or not hay[j].isalnum())):
            return True
        i = hay.find(needle, i + 1)
    return False


def _compact(folded: str) -> tuple[str, frozenset[int]]:
    """The text with separators next to digits dropped ("kd 572912" → "kd572912"), and where."""
    pieces: list[str] = []
    soft: set[int] = set()
    pos = length = 0
    for m in _ID_SEPS.finditer(folded):
        pieces.append(folded[pos:m.start()])
        length += m.start() - pos
        soft.add(length)
        pos = m.end()
    pieces.append(folded[pos:])
    return "".join(pieces), frozenset(soft)


def _fold(text: str) -> str:
    return " ".join(_strip_accents(unicodedata.normalize("NFKC", text)).casefold().split())


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@functools.lru_cache(maxsize=8192)
def _fold_value(value: str) -> tuple[tuple[str, ...], str | None]:
    """A known value's folded spellings (accents dropped; German umlauts also as ae/oe/ue), and
    its identifier form when it has a digit. Cached: a record's values are checked against each
    of its messages."""
    v = _fold(value)
    forms = tuple(dict.fromkeys(f for f in (v, _fold(value.translate(_UMLAUTS))) if f))
    return forms, (_ID_SEPS.sub("", v) if any(c.isdigit() for c in v) else None)


_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s().\-/\u2010-\u2014]{1,3}(?=\d)")
# separators next to a digit inside an identifier ("kd 572912" → "kd572912")
_ID_SEPS = re.compile(r"(?<=\d)[\s./\-_#]{1,3}(?=[^\W_])|(?<=[^\W_])[\s./\-_#]{1,3}(?=\d)")


class _Prepared:
    """A lead's values folded once, for all of its messages."""

    def __init__(self, known: KnownValues):
        self.values: list[tuple[tuple[str, ...], str | None, str, str]] = []
        for value, type_ in known.values:
            forms, ident = _fold_value(value)
            probe = max(re.findall(r"[^\W_]+", ident), key=len) if ident else ""
            self.values.append((forms, ident, probe, type_))
        self.phone_cores = tuple(known.phone_cores)


_PREPARED: weakref.WeakKeyDictionary[KnownValues, _Prepared] = weakref.WeakKeyDictionary()


def known_in(text: str, known: KnownValues) -> str | None:
    prepared = _PREPARED.get(known)
    if prepared is None:
        prepared = _PREPARED[known] = _Prepared(known)
    folded = _fold(text) if prepared.values else ""
    compact: tuple[str, frozenset[int]] | None = None
    for forms, ident, probe, type_ in prepared.values:
        for f in forms:
            if f in folded and _bounded_find(folded, f):
                return type_
        if ident and probe in folded:  # identifiers and postcodes, separators dropped
            if compact is None:
                compact = _compact(folded)
            if _bounded_find(compact[0], ident, compact[1]):
                return type_
    if prepared.phone_cores:
        digits = _BETWEEN_DIGITS.sub("", unicodedata.normalize("NFKC", text))
        if any(core in digits for core in prepared.phone_cores):
            return "PHONE_NUMBER"
    return None


def _digit_count(text: str) -> int:
    return sum(map(text.count, "0123456789"))


def residual_hit(text: str, known: KnownValues, produced: set[str],
                 allowed: Callable[[str], bool] = lambda v: False) -> str | None:
    """The entity type of the first thing that should not be there, or None."""
    text = _blank_produced(text, produced)
    hit = known_in(text, known)
    if hit:
        return hit
    norm = unicodedata.normalize("NFKC", text)
    low = norm.casefold()
    if _AT_HINT.search(low) and email_in(low, allowed):
        return "EMAIL_ADDRESS"
    if _digit_count(norm) >= 8:  # the shortest IBAN has 15 characters, mostly digits
        if iban_in(low):
            return "IBAN_CODE"
        if card_in(norm):
            return "CREDIT_CARD"
    return None
