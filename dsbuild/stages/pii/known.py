"""Known-value redaction: the lead's own values, found in every message of its conversation.

This is the highest-precision, highest-recall signal there is, so it runs first and wins every
overlap. Rules:

* name: the full name (any case, any whitespace) and each name token of 3+ letters, case-insensitive
  ("hey its john"). A token that is also a common English word (Will, May, Grace, Bill, ...;
  :data:`COMMON_WORD_NAMES` plus spaCy's stop words) is only redacted where it is clearly the
  name: written capitalised but not at the start of a sentence ("thanks, Will"), inside the
  full name, or right after a cue ("I'm will", "this is may", "call me grace"). So "you will get
  an email" keeps its "will".
* email: the address and its local part; phone: its digits, whatever separators, country prefix
  or trunk zero; company, website host, street line and city of the address: any case.
* any other personal metadata string (userID, caller number, ...): verbatim, any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from spacy.lang.en.stop_words import STOP_WORDS

from dsbuild.records import Lead
from dsbuild.stages.pii.spans import KNOWN, Span

COMMON_WORD_NAMES = frozenset("""
will may grace bill mark rose june april august hope faith joy art sunny summer autumn dawn
rich chance chase drew frank gene guy hunter iris ivy jack jade jean kit lily major miles
pat penny ray reed rob rusty sandy skip sky star sue victor violet wade ward woody young
page paige holly heather amber ruby pearl crystal daisy robin jay wren glen dale ben don
""".split()) | frozenset(STOP_WORDS)

CUE = r"(?:my name is|name'?s|this is|it'?s|i'?m|i am|call me|regards,?|thanks,?|cheers,?)\s+"
_SEP = r"[\s().\-/]{0,3}"
_NAME_TOKEN = re.compile(r"[^\W\d_]{3,}(?:['’-][^\W\d_]+)*")


def _flex(value: str) -> str:
    """A literal that tolerates any run of whitespace where the value has one."""
    return r"\s+".join(re.escape(p) for p in value.split())


def _word(pattern: str) -> str:
    return rf"(?<![\w@.]){pattern}(?![\w])"


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


def phone_pattern(core: str) -> str:
    prefix = r"(?:(?:\+|00)\d{1,3}" + _SEP + r")?(?:\(?0\)?" + _SEP + r")?"
    return r"(?<![\d+])" + prefix + _SEP.join(core) + r"(?!\d)"


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    type: str
    key: str
    common: bool = False  # a common-word name token: see the module docstring


class KnownValues:
    """The compiled matchers for one lead. Cheap to build (microseconds per conversation)."""

    def __init__(self, lead: Lead):
        self.rules: list[_Rule] = []
        self.literals: list[str] = []  # for the residual scan
        self.phone_cores: list[str] = []
        if lead.name:
            self._name(lead.name)
        if lead.email:
            self._email(lead.email)
        if lead.phone:
            self._phone(lead.phone, "lead:phone")
        if lead.company:
            self._literal(lead.company, "ORGANIZATION", "lead:company")
        if lead.website:
            self._website(lead.website)
        if lead.address:
            self._address(lead.address)
        for i, other in enumerate(lead.other):
            if sum(c.isdigit() for c in other) >= 7 and not re.search(r"[^\d\s()+.\-/]", other):
                self._phone(other, f"lead:other{i}")
            elif len(other) >= 4:
                self._literal(other, "PERSONAL_ID", f"lead:other{i}")

    def __bool__(self) -> bool:
        return bool(self.rules)

    def _add(self, pattern: str, type_: str, key: str, *, common: bool = False,
             case: bool = False) -> None:
        flags = 0 if case else re.IGNORECASE
        self.rules.append(_Rule(re.compile(pattern, flags), type_, key, common))

    def _literal(self, value: str, type_: str, key: str) -> None:
        value = value.strip()
        if len(value) < 3:
            return
        self.literals.append(value)
        self._add(_word(_flex(value)), type_, key)

    def _name(self, name: str) -> None:
        self._literal(name, "PERSON", "lead:name")
        for tok in dict.fromkeys(_NAME_TOKEN.findall(name)):
            if tok.lower() in COMMON_WORD_NAMES:
                cap = re.escape(tok[0].upper() + tok[1:].lower())
                # capitalised, not sentence-initial
                self._add(r"(?<=[^\s.!?\n]\s)" + _word(cap), "PERSON", "lead:name", common=True,
                          case=True)
                self._add(r"(?i:\b" + CUE + r")" + "(?i:" + _word(re.escape(tok)) + ")",
                          "PERSON", "lead:name", common=True, case=True)
            else:
                self.literals.append(tok)
                self._add(_word(re.escape(tok)), "PERSON", "lead:name")

    def _email(self, email: str) -> None:
        self._literal(email, "EMAIL_ADDRESS", "lead:email")
        local = email.split("@", 1)[0]
        if len(local) >= 3 and local.lower() not in COMMON_WORD_NAMES:
            self.literals.append(local)
            self._add(_word(re.escape(local)), "EMAIL_ADDRESS", "lead:email")

    def _phone(self, phone: str, key: str) -> None:
        core = phone_core(phone)
        if core:
            self.phone_cores.append(core)
            self._add(phone_pattern(core), "PHONE_NUMBER", key)

    def _website(self, site: str) -> None:
        host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", site.strip(), flags=re.I).split("/")[0]
        self._literal(site, "URL", "lead:website")
        self._literal(host, "URL", "lead:website")
        if host.lower().startswith("www."):
            self._literal(host[4:], "URL", "lead:website")

    def _address(self, address: str) -> None:
        self._literal(address, "STREET_ADDRESS", "lead:address")
        parts = [p.strip() for p in re.split(r"[,\n]", address) if p.strip()]
        if parts:
            self._literal(parts[0], "STREET_ADDRESS", "lead:address")
            street = re.sub(r"^\d+\w?\s+|\s+\d+\w?$", "", parts[0])
            if street != parts[0] and len(street.split()) >= 1 and street.lower() not in COMMON_WORD_NAMES:
                self._literal(street, "STREET_ADDRESS", "lead:address")
        for city in parts[1:]:
            city = re.sub(r"\b\d{4,6}\b", "", city).strip()
            if city:
                self._literal(city, "LOCATION", "lead:city")

    def find(self, text: str) -> list[Span]:
        out: list[Span] = []
        for rule in self.rules:
            for m in rule.regex.finditer(text):
                start = m.start()
                if rule.common:  # cue rules match "I'm will": keep only the name part
                    tail = re.search(r"\S+$", m.group(0))
                    start = m.start() + (tail.start() if tail else 0)
                out.append(Span(start, m.end(), rule.type, 1.0, KNOWN, rule.key))
        return out
