"""Consistent pseudonyms: the same value gets the same token everywhere in a conversation.

* ``placeholder`` (default): ``<PERSON_1>``, ``<EMAIL_ADDRESS_1>``, numbered per conversation in
  order of first mention; the lead's name, its tokens and its mentions share one number.
* ``surrogate``: a realistic fake value picked by a keyed hash of (type, normalised value), so
  text stays natural; deterministic for the same key (``privacy.id_salt`` + seed).
* ``redact``: ``<PERSON>`` with no number: mentions cannot be linked.

No reverse mapping is kept: the table lives for one conversation, in memory.
"""

from __future__ import annotations

import re
from typing import get_args

from dsbuild.config import PiiStyle
from dsbuild.hashing import keyed_choice
from dsbuild.stages.pii.spans import Span

STYLES = get_args(PiiStyle)

_FIRST = ["Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn",
          "Rowan", "Harper", "Emerson", "Finley", "Hayden", "Parker", "Reese", "Sawyer", "Dakota"]
_LAST = ["Ashford", "Brennick", "Calloway", "Dunmore", "Everly", "Fairbanks", "Greyson", "Holloway",
         "Ingram", "Kingsley", "Lockhart", "Merriweather", "Northcott", "Pembrook", "Radcliffe"]
_STREETS = ["Maple Court", "Willow Lane", "Cedar Row", "Birch Avenue", "Aspen Way", "Linden Road"]
_CITIES = ["Fairview", "Riverton", "Lakeside", "Brookfield", "Hillcrest", "Oakdale"]


def normalise(type_: str, value: str) -> str:
    if type_ == "PHONE_NUMBER":
        return re.sub(r"\D", "", value)[-9:]
    return " ".join(value.casefold().split())


def _surrogate(type_: str, key: str, secret: str) -> str:
    def pick(options: list[str], salt: str) -> str:
        return options[keyed_choice(secret, f"{salt}:{type_}:{key}", len(options))]

    n = keyed_choice(secret, f"n:{type_}:{key}", 10**7)
    if type_ == "PERSON":
        return f"{pick(_FIRST, 'f')} {pick(_LAST, 'l')}"
    if type_ == "EMAIL_ADDRESS":
        return f"{pick(_FIRST, 'f').lower()}.{pick(_LAST, 'l').lower()}{n % 100}@example.invalid"
    if type_ == "PHONE_NUMBER":
        return f"+1 555 01{n % 100:02d} {n // 100 % 10000:04d}"
    if type_ == "STREET_ADDRESS":
        return f"{n % 200 + 1} {pick(_STREETS, 's')}"
    if type_ == "LOCATION":
        return pick(_CITIES, "c")
    if type_ == "CREDIT_CARD":
        return "4000 0000 0000 0002"
    if type_ == "IBAN_CODE":
        return "GB00 TEST 0000 0000 0000 00"
    if type_ == "IP_ADDRESS":
        return f"192.0.2.{n % 254 + 1}"
    if type_ == "US_SSN":
        return f"900-00-{n % 10000:04d}"
    if type_ == "URL":
        return f"https://example.invalid/{n % 1000}"
    return f"<{type_}>"


class Pseudonymizer:
    """One conversation's table: (type, key) → token."""

    def __init__(self, style: str, secret: str):
        self.style = style
        self.secret = secret
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def token(self, span: Span, value: str) -> str:
        label = "EMAIL" if span.type == "EMAIL_ADDRESS" else span.type
        if self.style == "redact":
            return f"<{label}>"
        ident = (span.type, span.key or normalise(span.type, value))
        tok = self._tokens.get(ident)
        if tok is None:
            if self.style == "surrogate":
                tok = _surrogate(span.type, ident[1], self.secret)
            else:
                self._counts[label] = self._counts.get(label, 0) + 1
                tok = f"<{label}_{self._counts[label]}>"
            self._tokens[ident] = tok
        return tok

    def produced(self) -> set[str]:
        return set(self._tokens.values())

    def apply(self, text: str, spans: list[Span]) -> str:
        out, pos = [], 0
        for s in spans:
            out.append(text[pos:s.start])
            out.append(self.token(s, text[s.start:s.end]))
            pos = s.end
        out.append(text[pos:])
        return "".join(out)
