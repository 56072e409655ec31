"""Numbers no fake may be: the identifiers in every lead of the export.

A surrogate keeps the shape of what it replaces (``ticket 78019`` → ``ticket 74054``), and the
draws by position (:mod:`.draws`) keep two conversations from sharing a fake; but a fake can
still *equal another conversation's real value*. Each 5-digit fake meets one of the export's
real 5-digit tickets with odds (tickets in the leads) / 100,000, so an export with a few hundred
leads wrote one customer's real ticket number into another conversation about once in every
thousand fakes (the held-out evaluation saw one in 960 conversations).

So the driver's first pass over the export (the one that looks for repeated ids,
:mod:`dsbuild.convocore.versions`) also reads each lead's phone, e-mail, notes, tags and other
personal fields, and keeps the digits of every token with 4 to 18 of them (a calling code like
``0049`` aside) and the last 7 digits of each phone number, as 64-bit numbers (8 bytes each,
sorted: a million leads with two such numbers each hold 16 MB). A fake identifier holding one
of those identifiers, or a fake phone number ending like a lead's phone, is drawn again
(:meth:`dsbuild.stages.pii.surrogates.Surrogates.render`). Names, streets and cities are not
numbers and are not kept; a lead's own values are the conversation's known values, which the
fakes avoid already.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from dsbuild.convocore.parser import item_lead

MIN_DIGITS = 4  # "anything with four or more digits" is an identifier in a lead's notes
MAX_DIGITS = 18  # "1" + 18 digits fits in a signed 64-bit number
_TOKEN = re.compile(r"[^\s,;:()\[\]{}<>\"']+")
_NOT_DIGIT = re.compile(r"\D")
_PREFIX = re.compile(r"(?:\+|00)\d{1,3}")  # a country's calling code: no identifier
PHONE_DIGITS = 7
_PHONES = re.compile(r"(?:\+|00)?\d[\d \t().\-/]{5,20}\d")


def number_keys(text: str) -> Iterator[int]:
    """The identifiers of ``text``: one key per token with 4 to 18 digits (``KD-572912`` → the
    key of 572912; ``1 234`` is two tokens), an international prefix (``0049``, ``+31``) aside."""
    for tok in _TOKEN.findall(text):
        digits = _NOT_DIGIT.sub("", tok)
        if MIN_DIGITS <= len(digits) <= MAX_DIGITS and not _PREFIX.fullmatch(tok):
            yield int("1" + digits)  # the leading 1 keeps "0123" apart from "123"


def phone_key(text: str) -> int | None:
    """A phone number's key: its last 7 digits, the same in every format of the number
    (``+49 89 2280148``, ``089/228 01 48``); None below 7 digits."""
    digits = _NOT_DIGIT.sub("", text)
    return int("2" + digits[-PHONE_DIGITS:]) if len(digits) >= PHONE_DIGITS else None


class TakenNumbers:
    """The keys of :func:`number_keys` and :func:`phone_key` over every lead's values, sorted,
    without repeats (the two kinds of key cannot meet: one starts with 1, the other with 2)."""

    def __init__(self, keys: Iterable[int] = ()) -> None:
        import numpy as np  # only where a lead holds a number

        self.keys = np.unique(np.fromiter(keys, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.keys)

    def _has(self, key: int) -> bool:
        i = int(self.keys.searchsorted(key))
        return i < len(self.keys) and int(self.keys[i]) == key

    def holds(self, text: str) -> bool:
        """Whether an identifier of ``text`` is one of the leads'."""
        return any(self._has(key) for key in number_keys(text))

    def holds_phone(self, text: str) -> bool:
        """Whether the phone number ``text`` is one of the leads' (its last 7 digits)."""
        key = phone_key(text)
        return key is not None and self._has(key)


class LeadNumbers:
    """Collects :class:`TakenNumbers` item by item (``add`` is the first pass's visitor)."""

    def __init__(self) -> None:
        self._keys: array[int] = array("q")

    def add(self, item: Any) -> None:
        try:
            lead = item_lead(item)
        except Exception:  # noqa: BLE001 - a hostile item: the parser drops it as malformed
            return
        if lead is None:
            return
        for value in (lead.phone, lead.email, lead.notes, *lead.tags, *lead.other):
            if value:
                self._keys.extend(number_keys(value))
        for value in (lead.phone, lead.notes, *lead.tags, *lead.other):  # and every phone number
            for m in _PHONES.finditer(value or ""):
                key = phone_key(m.group())
                if key is not None:
                    self._keys.append(key)

    def taken(self) -> TakenNumbers | None:
        """None when no lead holds a number (nothing to check)."""
        return TakenNumbers(self._keys) if self._keys else None
