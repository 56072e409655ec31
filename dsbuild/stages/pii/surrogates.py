"""Realistic fakes that keep the shape of what they replace.

* a first name alone → a first name, a last name alone → a last name, a full name → a full
  name; each token keeps its case (``emma`` → ``lena``, ``EMMA`` → ``LENA``), titles stay;
* an email → an email whose local part is built from the same fake name tokens (``emma.bellamy22``
  → ``lena.hoffmann57``), digits and separators in place, at a free-mail domain of the language;
* a phone → a valid number of the same country, type (mobile, fixed line), length and grouping
  in the same punctuation: only the country code and trunk prefix are the real one's;
* a street address → the same arrangement (number first or last, commas, postcode shape) with a
  fake street, number, postcode and city;
* an organisation → a fake company, a city → a fake city;
* card numbers stay Luhn-valid, IBANs keep their country and get valid check digits, IPs come
  from the documentation ranges; anything else keeps its shape character by character.

A value gets the same fake everywhere in its conversation, and two different values of one
conversation never share a fake. Names, streets, cities, companies, phone, card and email
digits, postcodes, IBANs and IPs are drawn by slot (:mod:`.draws`: the conversation's position
in the export, through a keyed permutation), so two conversations do not share a fake either
until a pool is exhausted; the rest (house numbers, initials) is a keyed hash of (secret,
conversation scope, kind, value). Pools come from :func:`dsbuild.stages.pii.names.pools` (one per language; English
for a language without one).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

import phonenumbers

from dsbuild.hashing import keyed_choice, keyed_digits
from dsbuild.stages.pii.checksums import iban_check, luhn_complete
from dsbuild.stages.pii.draws import Draws
from dsbuild.stages.pii.foldmap import fold
from dsbuild.stages.pii.langdata import lang_data
from dsbuild.stages.pii.names import is_first_name, is_last_name, pools
from dsbuild.stages.pii.phones import (
    PREFIX_DIGITS,
    fake_prefixes,
    from_national,
    kind_of,
    national_number,
    same_kind,
)
from dsbuild.stages.pii.taken import TakenNumbers

TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "herr", "frau", "fr", "hr",
                    "mme", "mlle", "m", "sr", "sra", "srta", "sig", "sigra", "dott", "dhr", "mevr"])
_TOKEN = re.compile(r"\S+")
_WORDS = re.compile(r"[^\W_]+")
# the "at" of an e-mail address, plain or obfuscated as the detectors find it
_AT = re.compile(r"(\s*(?:@|＠|\[at\]|\(at\)|\{at\}|<at>)\s*|\s+at\s+)", re.IGNORECASE)
_WORD_CORE = re.compile(r"^([\W_]*)(.*?)((?:['’]s)?[\W_]*)$", re.DOTALL)
_NUMBER = r"\d+\s?[a-zA-Z]?(?:\s?[-/]\s?\d+[a-zA-Z]?)?"
_NUMBER_FIRST = re.compile(rf"^({_NUMBER})(,?\s+)(.+)$", re.DOTALL)
_NUMBER_LAST = re.compile(rf"^(.+?)(,?\s+)({_NUMBER})$", re.DOTALL)
_TEST_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")


def _with_case(like: str, fake: str) -> str:
    letters = [c for c in like if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return fake.upper()
    if letters and all(c.islower() for c in letters):
        return fake.lower()
    return fake


def shares_run(real: str, fake: str, n: int) -> bool:
    """Whether ``fake``'s digits hold a run of ``n`` of ``real``'s digits (all of them, if
    ``real`` has fewer)."""
    a, b = re.sub(r"\D", "", real), re.sub(r"\D", "", fake)
    if len(a) <= n:
        return a in b
    return any(a[i:i + n] in b for i in range(len(a) - n + 1))


def _ascii_slug(text: str) -> str:
    import unicodedata

    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", flat.lower()) or "mail"


_ATTEMPTS = 64  # draws of a fake before the last one is taken even if it is already used
_PHONE_ATTEMPTS = 16  # draws of a phone's digits before the last is taken, valid or not
_REDRAWS = 8  # draws of a fake too close to a real number before the last is kept (see render)
# A fake phone number shares no run of this many digits with the real one: the kept country code
# and trunk prefix ("0031 6") and a carrier prefix drawn equal to the real one's ("992") wrote
# 8 of the real "0031 6 9926 7035"'s 13 digits in a row into "0031 6 9929 1330".
PHONE_SHARED_RUN = 7
# the types whose fake is drawn by the span's key: drawn again with another key when taken
_KEYLESS = frozenset({"PERSON", "EMAIL_ADDRESS", "STREET_ADDRESS", "LOCATION", "ORGANIZATION",
                      "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "URL"})
# id(pool) → (the pool, how many different fakes it holds, case aside). Per process, not per
# conversation: counting a pool of thousands of names for every conversation was half of the
# PII stage's time on a realistic export. The pools live as long as the process (names.pools).
_DISTINCT: dict[int, tuple[list[str], int]] = {}


def _distinct_count(options: list[str]) -> int:
    hit = _DISTINCT.get(id(options))
    if hit is None or hit[0] is not options:
        hit = _DISTINCT[id(options)] = (options, len({o.casefold() for o in options}))
    return hit[1]


class Surrogates:
    """One conversation's fakes."""

    def __init__(self, secret: str, scope: str, language: str = "en", avoid: Iterable[str] = (),
                 position: int = 0, *, regions: Iterable[str] = (), taken: TakenNumbers | None = None):
        self.secret = secret
        self.taken = taken  # every lead's numbers: a fake must not be another customer's value
        self.scope = scope
        self.draws = Draws(secret, position, scope)
        all_pools = pools()
        self.pool = all_pools.get(language) or all_pools["en"]
        # where a phone number in national form may be from: the language's country first, then
        # the configured ones (pii.phone_regions, as detection reads them)
        own = lang_data(language).region
        self.regions = (own, *(r for r in regions if r != own))
        self._avoid_values = [a for a in avoid if a]
        self.avoid = {" ".join(a.casefold().split()) for a in self._avoid_values}
        # a fake must not hold a known value as a word either (:meth:`_holds_known`); the
        # values' words are read at the first draw: many conversations draw none
        self._avoid_words: frozenset[str] | None = None
        self._avoid_phrases: tuple[str, ...] = ()
        self._memo: dict[tuple[str, str], str] = {}  # (kind, real value) → fake
        self._numbers: dict[tuple[str, str, tuple[int, ...]], list[int]] = {}
        self._used: dict[str, set[str]] = {}  # kind → fakes already given to another value
        self._produced: set[str] = set()
        self._redraws: dict[tuple[str, str], int] = {}  # (type, key) → draws again (render)
        # the real name tokens of the values replaced so far: a fake is never one of them ("chan.anna"
        # must not become "mutahi.chan", writing the real surname back as the fake first name)
        self._reals: set[str] = set()

    # -- drawing --------------------------------------------------------------------------
    def _key(self, *parts: str) -> str:
        return "\x00".join((self.scope, *parts))

    def draw(self, kind: str, real: str) -> str:
        """The fake of ``kind`` (a pool name) for ``real``: stable, and never one already given
        to another value of this conversation, the value itself or a known value."""
        memo_key = (kind, " ".join(real.casefold().split()))
        hit = self._memo.get(memo_key)
        if hit is not None:
            return hit
        options = self.pool[kind]
        used = self._used.setdefault(kind, set())
        if len(used) >= self._distinct(kind):
            # Every fake of the pool is taken in this conversation: no attempt can succeed, and
            # the last of the 64 is the one drawn. Take it at once (a long message with more
            # names than the pool paid 64 draws for each new one).
            self.draws.skip(kind, _ATTEMPTS - 1)
            fake = options[self.draws.index(kind, len(options), memo_key[1])]
        else:
            fake = options[0]
            for _attempt in range(_ATTEMPTS):  # each attempt takes a new slot
                fake = options[self.draws.index(kind, len(options), memo_key[1])]
                folded = fake.casefold()
                if (folded not in used and folded not in self.avoid and folded != memo_key[1]
                        and folded not in self._reals and not self._holds_known(fake)):
                    break
        used.add(fake.casefold())
        self._memo[memo_key] = fake
        return fake

    def _distinct(self, kind: str) -> int:
        """How many different fakes (case aside) the pool of ``kind`` holds."""
        return _distinct_count(self.pool[kind])

    def _holds_known(self, fake: str) -> bool:
        """A fake city "San Ana" in the chat of a lead named Ana would write her name back."""
        if self._avoid_words is None:
            known: list[tuple[str, ...]] = [tuple(_WORDS.findall(fold(a))) for a in self._avoid_values]
            self._avoid_words = frozenset(w[0] for w in known if len(w) == 1)
            self._avoid_phrases = tuple(" ".join(w) for w in known if len(w) > 1)
        if not self._avoid_words and not self._avoid_phrases:
            return False
        words: list[str] = _WORDS.findall(fold(fake))
        if self._avoid_words.intersection(words):
            return True
        joined = f" {' '.join(words)} "
        return any(f" {p} " in joined for p in self._avoid_phrases)

    def digits(self, real: str, n: int, kind: str = "digits") -> list[int]:
        return keyed_digits(self.secret, self._key(kind, real), n)

    def number(self, kind: str, ident: str, radices: list[int]) -> list[int]:
        """One digit per radix for ``ident``: the same for the same ident, distinct between
        the idents of one conversation and between conversations (a slot of ``kind``)."""
        memo_key = (kind, ident, tuple(radices))
        hit = self._numbers.get(memo_key)
        if hit is None:
            hit = self._numbers[memo_key] = self.draws.mixed(kind, radices, ident)
        return hit

    def produced(self) -> set[str]:
        return set(self._produced)

    # -- rendering ------------------------------------------------------------------------
    def render(self, type_: str, value: str, key: str = "") -> str:
        fake = self._render(type_, value, key)
        if type_ not in _KEYLESS and (self.taken is not None or type_ == "PHONE_NUMBER"):
            # a fake "ticket 74054" must not be another lead's real ticket-74054, nor a fake phone
            # most of the real one's digits: drawn again. The first mention of a key decides how
            # often; its other mentions take that draw (a phone in another format included), so
            # one value keeps one fake in its conversation.
            ident = (type_, key or value)
            attempt = self._redraws.get(ident)
            if attempt is None:
                attempt = 0
                while attempt < _REDRAWS - 1 and self._too_close(type_, value, fake):
                    attempt += 1
                    fake = self._render(type_, value, f"{key or value}\x00taken{attempt}")
                self._redraws[ident] = attempt
            elif attempt:
                fake = self._render(type_, value, f"{key or value}\x00taken{attempt}")
        self._produced.add(fake)
        return fake

    def _too_close(self, type_: str, value: str, fake: str) -> bool:
        if type_ == "PHONE_NUMBER":
            return shares_run(value, fake, PHONE_SHARED_RUN) or (
                self.taken is not None and self.taken.holds_phone(fake))
        return self.taken is not None and self.taken.holds(fake)

    def _render(self, type_: str, value: str, key: str) -> str:
        if type_ == "PERSON":
            return self.person(value)
        if type_ == "EMAIL_ADDRESS":
            return self.email(value)
        if type_ == "PHONE_NUMBER":
            return self.phone(value, key)
        if type_ == "STREET_ADDRESS":
            return self.address(value)
        if type_ == "LOCATION":
            return _with_case(value, self.draw("cities", value))
        if type_ == "ORGANIZATION":
            return _with_case(value, self.draw("companies", value))
        if type_ == "CREDIT_CARD":
            return self.card(value)
        if type_ == "IBAN_CODE":
            return self.iban(value)
        if type_ == "IP_ADDRESS":
            return self.ip(value)
        if type_ == "URL":
            return self.url(value)
        if type_ == "US_SSN":
            return self.shape(value, key or value, first="9")
        return self.shape(value, key or value)

    def name_token(self, token: str, role: str) -> str:
        """The fake for one real name token; a token keeps its fake whatever role it appears in."""
        folded = token.casefold()
        for kind in ("first", "last"):
            if (kind, folded) in self._memo:
                return _with_case(token, self._memo[(kind, folded)])
        return _with_case(token, self.draw(role, token))

    def initial(self, letter: str) -> str:
        """A fake initial for a real one (the same within the conversation)."""
        n = keyed_choice(self.secret, self._key("initial", letter.casefold()), 26)
        return string.ascii_uppercase[n] if letter.isupper() else string.ascii_lowercase[n]

    def _real_tokens(self, value: str) -> None:
        self._reals.update(w.casefold() for w in _WORDS.findall(value) if len(w) > 1)

    def person(self, value: str) -> str:
        self._real_tokens(value)
        tokens = list(_TOKEN.finditer(value))
        cores = []
        for m in tokens:
            lead, core, tail = _WORD_CORE.match(m.group(0)).groups()  # type: ignore[union-attr]
            cores.append((m, lead, core, tail))
        names = [i for i, (_, _, core, _) in enumerate(cores)
                 if core and core.rstrip(".").casefold() not in TITLES and len(core.rstrip(".")) > 1]
        out, pos = [], 0
        for i, (m, lead, core, tail) in enumerate(cores):
            out.append(value[pos:m.start()])
            pos = m.end()
            if not core or i not in names:
                if core and len(core.rstrip(".")) == 1 and core[0].isalpha():  # an initial
                    out.append(lead + _with_case(core[0], self.initial(core[0])) + core[1:] + tail)
                else:
                    out.append(m.group(0))
                continue
            if len(names) == 1:
                role = "last" if is_last_name(core) and not is_first_name(core) else "first"
                if any(c[2] and j not in names for j, c in enumerate(cores[:i])):
                    role = "last"  # "Mr Fischer", "J. Fischer"
            else:
                role = "last" if i == names[-1] else "first"
            out.append(lead + self.name_token(core, role) + tail)
        out.append(value[pos:])
        return "".join(out)

    def _local_part(self, local: str) -> str:
        self._real_tokens(local)
        # every run of non-letters separates (an analyser's span may hold "'s kirk.anna"): no
        # piece with a letter in it is ever kept as written
        pieces = re.split(r"([\W_]+|\d+)", local)
        out = []
        for p in pieces:
            if not p:
                continue
            if p.isdigit():
                out.append("".join(map(str, self.number("email-digits", local, [10] * len(p)))))
            elif not p[0].isalnum():
                out.append(p)
            elif len(p) == 1:
                out.append(_with_case(p, self.initial(p)))
            elif ("first", p.casefold()) in self._memo or ("last", p.casefold()) in self._memo:
                fake = self.name_token(p, "first")
                out.append(_ascii_slug(fake) if p.islower() else fake)
            elif is_last_name(p) and not is_first_name(p):
                out.append(_ascii_slug(self.name_token(p, "last")) if p.islower() else
                           self.name_token(p, "last"))
            elif is_first_name(p):
                fake = self.name_token(p, "first")
                out.append(_ascii_slug(fake) if p.islower() else fake)
            elif len(p) > 3 and is_last_name(p[1:]):  # "jsmith"
                out.append((self.initial(p[0]) + _ascii_slug(self.name_token(p[1:], "last"))).lower())
            else:
                out.append(_ascii_slug(self.name_token(p, "last")))
        return "".join(out)

    def email(self, value: str) -> str:
        """The local part faked token by token; the "at" kept as written (``@``, `` [at] ``,
        ``(at)``, ``＠``, `` at ``), the domain drawn from the pool."""
        parts = _AT.split(value, maxsplit=1)
        if len(parts) < 3:
            return self._local_part(value)
        local, at, domain = parts
        return f"{self._local_part(local)}{at}{self.draw('email_domains', domain)}"

    def phone(self, value: str, key: str) -> str:
        """A valid number of the same country, type, length and grouping, in the same
        punctuation, keeping only the country code and trunk prefix; a number ``phonenumbers``
        does not hold valid keeps its country code, trunk zeros and first national digit."""
        parsed = next(filter(None, (national_number(value, r) for r in self.regions)), None)
        if parsed is not None:
            fake = self._valid_phone(*parsed, key)
            if fake is not None:
                stream = iter(re.sub(r"\D", "", value)[:-len(fake)] + fake)
                return "".join(next(stream) if c.isdigit() else c for c in value)
        return self._shaped_phone(value, key)

    def _valid_phone(self, num: phonenumbers.PhoneNumber, nsn: str, key: str) -> str | None:
        prefixes = fake_prefixes(num, nsn)
        if not prefixes:
            return None
        kind, free, country = kind_of(num), len(nsn) - PREFIX_DIGITS, num.country_code or 0
        ident = key or nsn
        fake = ""
        for attempt in range(_PHONE_ATTEMPTS):  # later digits a prefix rules out: draw again
            first, *rest = self.number(f"phone:{attempt}" if attempt else "phone", ident,
                                       [len(prefixes)] + [10] * free)
            fake = prefixes[first] + "".join(map(str, rest))
            if fake != nsn and same_kind(from_national(country, fake), kind):
                break
        return fake

    def _shaped_phone(self, value: str, key: str) -> str:
        digits = re.sub(r"\D", "", value)
        keep = 0
        stripped = value.lstrip()
        if stripped.startswith(("+", "00")):
            try:
                cc = phonenumbers.parse("+" + digits[2:] if stripped.startswith("00") else
                                        stripped, None).country_code
                keep = len(str(cc)) + (2 if stripped.startswith("00") else 0)
            except phonenumbers.NumberParseException:
                keep = 2 + (2 if stripped.startswith("00") else 0)
        rest = digits[keep:]
        zeros = len(rest) - len(rest.lstrip("0"))
        keep += zeros + 1  # trunk zeros and the first national digit
        ident = key or digits[keep:]
        stream = iter(self.number("phone", ident, [10] * max(0, len(digits) - keep)))
        out, seen = [], 0
        for c in value:
            if c.isdigit():
                out.append(c if seen < keep else str(next(stream)))
                seen += 1
            else:
                out.append(c)
        return "".join(out)

    def address(self, value: str) -> str:
        # "18, rue des Lilas": a leading bare number belongs to the street line
        lead = re.match(r"^\d+\w?,\s*", value)
        parts = re.split(r"(\s*[,\n]\s*)", value[lead.end():] if lead else value)
        if lead:
            parts[0] = lead.group(0) + parts[0]
        out = []
        street_done = False
        for i, part in enumerate(parts):
            if i % 2 == 1 or not part:
                out.append(part)
                continue
            if not street_done:
                street_done = True
                out.append(self._street_line(part))
            else:
                out.append(self._locality(part))
        return "".join(out)

    def _number(self, real: str) -> str:
        n = len(re.sub(r"\D", "", real.split("-")[0].split("/")[0])) or 1
        d = self.digits(real, n, "house")
        d[0] = d[0] % 9 + 1
        return "".join(map(str, d))

    def _street_line(self, line: str) -> str:
        m = _NUMBER_FIRST.match(line)
        if m and re.search(r"[^\W\d_]", m.group(3)):
            return self._number(m.group(1)) + m.group(2) + _with_case(m.group(3),
                                                                      self.draw("streets", m.group(3)))
        m = _NUMBER_LAST.match(line)
        if m and re.search(r"[^\W\d_]", m.group(1)):
            return _with_case(m.group(1), self.draw("streets", m.group(1))) + m.group(2) + \
                self._number(m.group(3))
        return _with_case(line, self.draw("streets", line))

    def _locality(self, part: str) -> str:
        """'20095 Hamburg', 'London SW1A 1AA', 'Leeds': postcode shape kept, city faked."""
        words = part.split(" ")
        city_words = [w for w in words if w and not any(c.isdigit() for c in w)
                      and not (w.isupper() and len(w) <= 3)]
        city = " ".join(city_words)
        fake_city = _with_case(city, self.draw("cities", city)) if city else ""
        out, placed = [], False
        for w in words:
            if w in city_words:
                if not placed:
                    out.append(fake_city)
                    placed = True
            elif w:
                out.append(self.shape(w, part + "\x00" + w))
            else:
                out.append(w)
        return " ".join(out)

    def shape(self, value: str, ident: str, first: str = "") -> str:
        """Digits → digits, letters → letters of the same case, everything else kept; with
        ``first``, the first digit is ``first``."""
        free = [i for i, c in enumerate(value) if c.isdigit() or (c.isalpha() and c.isascii())]
        if first and (lead := next((i for i in free if value[i].isdigit()), None)) is not None:
            free.remove(lead)
        fake = dict(zip(free, self.number("shape:" + first, ident,
                                          [10 if value[i].isdigit() else 26 for i in free])))
        out = []
        for i, c in enumerate(value):
            if i in fake:
                if c.isdigit():
                    out.append(str(fake[i]))
                else:
                    letter = string.ascii_lowercase[fake[i]]
                    out.append(letter.upper() if c.isupper() else letter)
            elif c.isdigit() and first:
                out.append(first)
            else:
                out.append(c)
        return "".join(out)

    def card(self, value: str) -> str:
        digits = re.sub(r"\D", "", value)
        body = [int(digits[0])] + self.number("card", digits, [10] * max(0, len(digits) - 2))
        full = body + [luhn_complete(body)]
        it = iter(full)
        return "".join(str(next(it)) if c.isdigit() else c for c in value)

    def iban(self, value: str) -> str:
        # separators of any kind (space, dot, dash, slash) are kept where they stand
        compact = "".join(c for c in value if c.isascii() and c.isalnum())
        country, bban = compact[:2].upper(), compact[4:]
        fake_bban = self.shape(bban, compact, "")
        check = iban_check(country, fake_bban)
        fake = country + check + fake_bban
        it = iter(fake)
        return "".join(next(it) if c.isascii() and c.isalnum() else c for c in value)

    def ip(self, value: str) -> str:
        n = self.number("ip", value, [254 * len(_TEST_NETS)])[0]
        if ":" in value:
            return f"2001:db8::{n + 1:x}"
        return f"{_TEST_NETS[n // 254]}{n % 254 + 1}"

    def url(self, value: str) -> str:
        m = re.match(r"^([a-z][a-z0-9+.-]*://)?(www\.)?([^/?#\s]+)(.*)$", value, re.IGNORECASE | re.DOTALL)
        if not m:
            return self.shape(value, value)
        scheme, www, host, rest = m.groups()
        slug = _ascii_slug(self.draw("companies", host))[:24]
        return f"{scheme or ''}{www or ''}{slug}.example{self.shape(rest, value) if rest else ''}"
