"""Phone numbers: validate a phone-shaped candidate with ``phonenumbers`` for the configured
regions (``pii.phone_regions``) plus the conversation language's own country; International
forms (+CC, 00CC) parse independently of region. Shapes that ``phonenumbers`` rejects (fictional
ranges, unlisted countries, "599-275-7430", "001-676-956-2917", "+441632 960271") are taken when
they look like a phone number: a '+', '00' or '(' start, a phone cue of the language before them,
or a phone's usual grouping."""

from __future__ import annotations

import functools
import gzip
import json
import re
from importlib import resources

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


_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{2}|\d{4}))?\.?|(\d{4})([/.-])(\d{1,2})\6(\d{1,2})")


_TIME_RANGE = re.compile(r"([01]?\d|2[0-4])[.:h]([0-5]\d)\s*[-–]\s*([01]?\d|2[0-4])[.:h]([0-5]\d)")


def is_date(value: str) -> bool:
    """A day and a month, in either order, and maybe a year ("12/03", "12.03.2024", "03-12-24",
    "2024-03-12"), or opening hours ("9.00-18.00"): no phone, order or customer number."""
    if _TIME_RANGE.fullmatch(value.strip()):
        return True
    m = _DATE.fullmatch(value.strip())
    if m is None:
        return False
    a, b = (int(m.group(1)), int(m.group(3))) if m.group(1) else (int(m.group(7)), int(m.group(8)))
    return 1 <= min(a, b) and ((a <= 31 and b <= 12) or (a <= 12 and b <= 31))


def phone_like(text: str, lang: str = "en") -> list[Span]:
    """Digit groups that look like a phone number: 8-15 digits, and a '+', '00' or '(' start,
    a phone cue of the language, or a phone's usual grouping."""
    cue = lang_data(lang).phone_cue
    out = []
    for m in _PHONE_LIKE.finditer(text):
        value = m.group(0)
        digits = sum(c.isdigit() for c in value)
        if not 8 <= digits <= 15 or is_date(value):
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
    cands = [(start, c) for start, c in cands if sum(ch.isdigit() for ch in c) >= 7 and not is_date(c)]
    if not cands:
        return []
    region = lang_data(lang).region
    regs = regions if region in regions else regions + (region,)
    return ([Span(start, start + len(c), "PHONE_NUMBER", 0.5, PATTERN) for start, c in cands
             if valid_phone(c, regs)] + phone_like(text, lang)
            + (international(text) if _INTERNATIONAL.search(text) else []))


# -- surrogates -----------------------------------------------------------------------------
# A fake phone keeps the country code, the trunk prefix and the punctuation of the real one, and
# nothing else of it: its national number is drawn from the numbers ``phonenumbers`` holds valid
# for that country, of the real one's type (mobile, fixed line, ...) and length, grouped the same
# way. The first digits (carrier or area code) come from this table, the rest freely.

PREFIX_DIGITS = 3
# suffixes tried after a prefix: a prefix is usable if one of them makes a valid number of the
# type (later digits can still be ruled out: the surrogate redraws them)
_SUFFIX_DIGITS = ("0", "5", "2", "9", "1", "7")


def _groups(text: str) -> tuple[int, ...]:
    return tuple(len(g) for g in re.findall(r"\d+", text))


def national_number(value: str, region: str) -> tuple[phonenumbers.PhoneNumber, str] | None:
    """The parsed number and its national significant number, when ``value`` is a valid phone
    number (international, or national for ``region``) whose digits end with that number (no
    extension)."""
    stripped = value.strip()
    if stripped.startswith("00"):
        stripped = "+" + stripped[2:]
    if not stripped.startswith("+") and not region:
        return None
    try:
        num = phonenumbers.parse(stripped, None if stripped.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if num.extension or not phonenumbers.is_valid_number(num):
        return None
    nsn = phonenumbers.national_significant_number(num)
    if not re.sub(r"\D", "", value).endswith(nsn):
        return None
    return num, nsn


def kind_of(num: phonenumbers.PhoneNumber) -> tuple[int, tuple[int, ...]]:
    """A number's type and its digit groups in national format ("020 7946 0123": (3, 4, 4))."""
    national = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.number_type(num), _groups(national)


def same_kind(num: phonenumbers.PhoneNumber, kind: tuple[int, tuple[int, ...]]) -> bool:
    """``num`` is a valid number of ``kind`` (the kind of a valid number). ``phonenumbers``
    calls a number valid exactly when its type is not UNKNOWN (both read the metadata of the
    region the number is from), so the type decides; the grouping is formatted only for a
    number of the right type."""
    number_type = phonenumbers.number_type(num)
    return (number_type == kind[0] and number_type != phonenumbers.PhoneNumberType.UNKNOWN
            and _groups(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL))
            == kind[1])


def from_national(country_code: int, nsn: str) -> phonenumbers.PhoneNumber:
    return phonenumbers.parse(f"+{country_code}{nsn}", None)


# The metadata fields whose national-number pattern a number of each type matches.
_TYPE_DESCS = {
    phonenumbers.PhoneNumberType.FIXED_LINE: ("fixed_line",),
    phonenumbers.PhoneNumberType.MOBILE: ("mobile",),
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: ("fixed_line", "mobile"),
    phonenumbers.PhoneNumberType.TOLL_FREE: ("toll_free",),
    phonenumbers.PhoneNumberType.PREMIUM_RATE: ("premium_rate",),
    phonenumbers.PhoneNumberType.SHARED_COST: ("shared_cost",),
    phonenumbers.PhoneNumberType.VOIP: ("voip",),
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: ("personal_number",),
    phonenumbers.PhoneNumberType.PAGER: ("pager",),
    phonenumbers.PhoneNumberType.UAN: ("uan",),
    phonenumbers.PhoneNumberType.VOICEMAIL: ("voicemail",),
}


def _type_patterns(country_code: int, number_type: int) -> list[re.Pattern[str]] | None:
    """The national-number patterns, over every region of ``country_code``, that a valid number
    of ``number_type`` must match whole (None: unknown, check every candidate in full)."""
    fields = _TYPE_DESCS.get(number_type)
    if fields is None:
        return None
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    metas = [phonenumbers.PhoneMetadata.metadata_for_nongeo_region(country_code)
             if region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
             else phonenumbers.PhoneMetadata.metadata_for_region(region) for region in regions]
    out = []
    for meta in metas:
        if meta is None:
            return None
        for name in fields:
            desc = getattr(meta, name, None)
            if desc is not None and desc.national_number_pattern:
                out.append(re.compile(desc.national_number_pattern))
    return out


# The tables of the countries of the PII languages and the default phone regions, precomputed
# (dsbuild/stages/pii/build_phones.py): computing one took each process 0.1-0.4 s of CPU the
# first time a number of its kind was faked (~0.5 s in a demo worker's first batch). Used only
# with the phonenumbers version they were computed with; any other table is computed here.
PREFIX_FILE = "phone_prefixes.json.gz"
Kind = tuple[int, tuple[int, ...]]


@functools.cache
def _shipped() -> dict[str, str]:
    """``table_key`` → the table as a hex bitmap of the 10**PREFIX_DIGITS prefixes; empty when
    the file was built with another phonenumbers version."""
    blob = resources.files("dsbuild.stages.pii").joinpath(PREFIX_FILE).read_bytes()
    data = json.loads(gzip.decompress(blob))
    if data.get("phonenumbers") != phonenumbers.__version__:
        return {}
    return dict(data["tables"])


def table_key(country_code: int, kind: Kind, length: int) -> str:
    return f"{country_code}:{kind[0]}:{'-'.join(map(str, kind[1]))}:{length}"


def encode_table(prefixes: tuple[str, ...]) -> str:
    bits = 0
    for prefix in prefixes:
        bits |= 1 << int(prefix)
    return f"{bits:x}"


def decode_table(hexbits: str) -> tuple[str, ...]:
    bits = int(hexbits, 16)
    return tuple(str(p).zfill(PREFIX_DIGITS) for p in range(10 ** PREFIX_DIGITS) if bits >> p & 1)


@functools.lru_cache(maxsize=512)
def _prefixes(country_code: int, kind: Kind, length: int) -> tuple[str, ...]:
    shipped = _shipped().get(table_key(country_code, kind, length))
    if shipped is not None:
        return decode_table(shipped)
    return prefix_table(country_code, kind, length)


def prefix_table(country_code: int, kind: Kind, length: int) -> tuple[str, ...]:
    """The prefixes a valid national number of ``kind`` and ``length`` can start with: those
    whose first suffix digit that parses makes one (see :data:`_SUFFIX_DIGITS`)."""
    # A candidate that matches none of its type's patterns cannot be a valid number of the type:
    # one regex match rules it out before phonenumbers parses, validates and formats it (the same
    # table, ~20x faster to build; it was most of a short run's PII time).
    patterns = _type_patterns(country_code, kind[0])
    out = []
    for p in range(10 ** PREFIX_DIGITS):
        prefix = str(p).zfill(PREFIX_DIGITS)
        for d in _SUFFIX_DIGITS:
            nsn = prefix + d * (length - PREFIX_DIGITS)
            if patterns is not None and not any(pat.fullmatch(nsn) for pat in patterns):
                continue
            found = _candidate_kind(country_code, nsn)
            if found is None:  # does not parse
                break
            if found == kind:
                out.append(prefix)
                break
    return tuple(out)



@functools.lru_cache(maxsize=32768)
def _candidate_kind(country_code: int, nsn: str) -> tuple[int, tuple[int, ...]] | None:
    """:func:`kind_of` the number +``country_code`` ``nsn`` when it is valid, (UNKNOWN, ()) when
    it is not, None when it does not parse. The tables of the kinds of one country and length
    (mobile and fixed line, each grouping) try the same candidates: each is parsed once."""
    try:
        num = from_national(country_code, nsn)
    except phonenumbers.NumberParseException:
        return None
    number_type = phonenumbers.number_type(num)
    if number_type == phonenumbers.PhoneNumberType.UNKNOWN:  # invalid: no kind matches it
        return number_type, ()
    return number_type, _groups(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.NATIONAL))


def fake_prefixes(num: phonenumbers.PhoneNumber, nsn: str) -> tuple[str, ...]:
    """The first :data:`PREFIX_DIGITS` digits a national number of ``num``'s country, type,
    length and grouping can start with (per kind of number, from the metadata of
    ``phonenumbers``: shipped precomputed for the PII languages' countries, else computed once);
    empty for a number too short to have free digits past them."""
    if len(nsn) <= PREFIX_DIGITS + 2:
        return ()
    return _prefixes(num.country_code, kind_of(num), len(nsn))
