"""Phone numbers: validate a phone-shaped candidate with ``phonenumbers`` for the configured
regions (``pii.phone_regions``). International forms (+CC, 00CC) parse independently of region."""

from __future__ import annotations

import functools

import phonenumbers


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
