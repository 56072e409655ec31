"""Phone numbers: validate a phone-shaped candidate with ``phonenumbers`` for the configured
regions (``pii.phone_regions``) plus the conversation language's own country; International
forms (+CC, 00CC) parse independently of region. Shapes that ``phonenumbers`` rejects (fictional
ranges, unlisted countries, "599-275-7430", "001-676-956-2917", "+441632 960271") are taken when
they look like a phone number: a '+', '00' or '(' start, a phone cue of the language before them,
or a phone's usual grouping."""

from __future__ import annotations

import functools
import re

import phonenumbers

from dsbuild.stages.pii.langdata import lang_data
from dsbuild.stages.pii.spans import PATTERN, Span

_PHONE_CANDIDATE = re.compile(r"(?:\+|\b00|\(|\b)\d[\d\s().\-/]{5,22}\d")
_PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?(?:\(0\)\s?)?\d{1,10}"
                         r"(?:[\s.-]{1,2}\d{2,8}){0,4}(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w])")
# the usual groupings: NANP "599-275-7430", trunk-zero national "03 291-1354", "0171 1234567"
_SHAPED = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|0\d{1,4}[\s.-]\d{2,4}[\s.-]?\d{3,4}"
                     r"|0\d{1,4}[\s/.-]\d{5,8}|00\d[\d\s.-]{8,}")


@functools.lru_cache(maxsize=65536)
def valid_phone(candidate: str, regions: tuple[str, ...]) -> bool:
    cand = candidate.strip()
    if cand.startswith("00"):
        cand = "+" + cand[2:]
    for region in (None,) if cand.startswith("+") else regions:
        try:
            num = phonenumbers.parse(cand, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            return True
    return False


def phone_like(text: str, lang: str = "en") -> list[Span]:
    """Digit groups that look like a phone number: 8-15 digits, and a '+', '00' or '(' start,
    a phone cue of the language, or a phone's usual grouping."""
    cue = lang_data(lang).phone_cue
    out = []
    for m in _PHONE_LIKE.finditer(text):
        value = m.group(0)
        digits = sum(c.isdigit() for c in value)
        if not 8 <= digits <= 15:
            continue
        if digits == len(value) and not (value.startswith("0") and cue.search(
                text[max(0, m.start() - 40):m.start()])):
            continue  # a bare run of digits, no trunk zero and cue: an order or customer number
        if (value.startswith(("+", "(", "00")) or cue.search(text[max(0, m.start() - 40):m.start()])
                or _SHAPED.fullmatch(value)):
            out.append(Span(m.start(), m.end(), "PHONE_NUMBER", 0.6, PATTERN))
    return out


_INTERNATIONAL = re.compile(r"(?:\+|(?<![\d.,:])00)\d")


def international(text: str) -> list[Span]:
    """International forms ('+CC', '00CC') by ``phonenumbers``' own matcher: any number of a
    possible length for its country, in any grouping ("(0033 7 26 44 85 77)", "0031 6 9351
    7959", "+441632 960271"), valid or not. Parsed as from a country whose international prefix
    is 00, so "00" reads as "+"."""
    out = []
    for m in phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.POSSIBLE):
        raw, start = m.raw_string, m.start
        if raw.startswith("(") and ")" not in raw:  # "(0033 ...)": the parenthesis stays
            raw, start = raw[1:], start + 1
        if start and (text[start - 1].isdigit() or text[start - 1] in ":.,/-"):
            continue  # "10:00 1234 5678": a time's minutes, not an international prefix
        if raw.startswith(("+", "00")) and 8 <= sum(c.isdigit() for c in raw) <= 15:
            out.append(Span(start, start + len(raw), "PHONE_NUMBER", 0.55, PATTERN))
    return out


def phone_spans(text: str, regions: tuple[str, ...], lang: str = "en") -> list[Span]:
    """Each phone-shaped candidate is parsed once per region until one validates (Presidio's
    PhoneRecognizer scans the whole text once per region: ~10x the cost); then the shapes."""
    cands = [(m.start(), m.group(0).rstrip(" .-/(")) for m in _PHONE_CANDIDATE.finditer(text)]
    cands = [(start, c) for start, c in cands if sum(ch.isdigit() for ch in c) >= 7]
    if not cands:
        return []
    region = lang_data(lang).region
    regs = regions if region in regions else regions + (region,)
    return ([Span(start, start + len(c), "PHONE_NUMBER", 0.5, PATTERN) for start, c in cands
             if valid_phone(c, regs)] + phone_like(text, lang)
            + (international(text) if _INTERNATIONAL.search(text) else []))
