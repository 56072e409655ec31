"""Check digits of payment numbers: Luhn (cards) and ISO 13616 mod 97 (IBANs).

The one place for the detectors (:mod:`.boosters`, which accept only checksum-valid numbers)
and the surrogates (:mod:`.surrogates`, whose fake cards and IBANs stay valid). The fail-closed
scan (:mod:`.residual`) keeps its own on purpose: it shares nothing with the detectors.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]")


def _luhn_sum(digits: list[int], doubled: int) -> int:
    """The Luhn sum of ``digits``, doubling those at odd (``doubled=1``) or even positions
    from the right."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == doubled:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


def luhn_ok(digits: str) -> bool:
    """True if a string of digits carries a valid Luhn check digit (its last)."""
    return _luhn_sum([int(c) for c in digits], 1) % 10 == 0


def luhn_complete(digits: list[int]) -> int:
    """The check digit that makes ``digits + [check]`` Luhn-valid."""
    return (10 - _luhn_sum(digits, 0) % 10) % 10


def _mod97(text: str) -> int:
    return int("".join(str(int(c, 36)) for c in text.upper())) % 97


def iban_ok(value: str) -> bool:
    """True if ``value`` (separators allowed) is 15-34 letters/digits with valid check digits."""
    v = _SEPARATORS.sub("", value).upper()
    if not 15 <= len(v) <= 34 or not v.isalnum():
        return False
    return _mod97(v[4:] + v[:4]) == 1


def iban_check(country: str, bban: str) -> str:
    """The two check digits of the IBAN ``country + check + bban``."""
    return f"{98 - _mod97(bban + country + '00'):02d}"
