"""Fail closed: after scrubbing, look again for every lead value and the high-confidence
patterns (email address, Luhn-valid card number, checksum-valid IBAN). A record that still hits is quarantined."""

from __future__ import annotations

import re
from collections.abc import Callable

from dsbuild.stages.pii.boosters import CARD_DIGITS, IBAN, iban_ok
from dsbuild.stages.pii.known import KnownValues

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def residual_hit(text: str, known: KnownValues, produced: set[str],
                 allowed: Callable[[str], bool] = lambda v: False) -> str | None:
    """The entity type of the first thing that should not be there, or None."""
    shields = [(m.start(), m.end()) for tok in produced if tok for m in re.finditer(re.escape(tok), text)]

    def shielded(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in shields)

    for span in known.find(text):
        if not shielded(span.start, span.end):
            return span.type
    for m in _EMAIL.finditer(text):
        if not (shielded(m.start(), m.end()) or m.group(0).lower().endswith(".invalid")
                or allowed(m.group(0))):
            return "EMAIL_ADDRESS"
    for m in CARD_DIGITS.finditer(text):
        if luhn_ok(m.group(0)) and not shielded(m.start(), m.end()):
            return "CREDIT_CARD"
    for m in IBAN.finditer(text):
        if iban_ok(m.group(0)) and not shielded(m.start(), m.end()):
            return "IBAN_CODE"
    return None
