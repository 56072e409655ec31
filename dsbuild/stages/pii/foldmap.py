"""Case, accent and whitespace folding that remembers where each folded character came from.

Known values are matched on folded text (``José  Müller`` → ``jose muller``) and the spans are
mapped back to the original offsets. The fold is one character for one character (lower case,
accents dropped from precomposed Latin letters, fullwidth forms to ASCII, every whitespace to a
space, curly apostrophes straight), then combining marks are dropped (a name typed decomposed,
``Rene\u0301e``, is ``renee``) and runs of spaces collapse to one: the two steps that move offsets.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base.lower()
    for cp in range(0xFF01, 0xFF5F):  # fullwidth ASCII: ＠ → @
        table[cp] = chr(cp - 0xFEE0).lower()
    table.update({ord(k): v for k, v in {"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                                          "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"}.items()})
    for ch in "\t\n\r\x0b\x0c\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
            chr(c) for c in range(0x2000, 0x200B)):
        table[ord(ch)] = " "
    return table


_TABLE = _table()
_SPACES = re.compile(r" {2,}")
# combining marks (accents typed decomposed): dropped, as the precomposed letters lose theirs
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)  # "İ".lower() is two characters


def fold(text: str) -> str:
    """The folded form of a value (no offsets needed)."""
    norm = _lower_same_length(text).translate(_TABLE)
    if _MARKS.search(norm):
        norm = _MARKS.sub("", norm)
    return " ".join(norm.split())


@functools.lru_cache(maxsize=16384)
def variants(value: str) -> frozenset[str]:
    """The folded spellings of a value a person may write: as is, ß as ss, umlauts as ae/oe/ue."""
    out = {fold(value)}
    if "ß" in value:
        out.add(fold(value.replace("ß", "ss")))
    if any(c in value for c in "äöüÄÖÜ"):
        out.add(fold(value.translate(_DE)))
    out.discard("")
    return frozenset(out)


def fold_with_map(text: str) -> tuple[str, Callable[[int], int]]:
    """The folded text and a function from a folded offset to the original offset."""
    norm = _lower_same_length(text).translate(_TABLE)
    if _MARKS.search(norm):
        return _folded_marks(norm)
    if "  " not in norm:
        return norm, _identity
    new_starts: list[int] = []
    old_starts: list[int] = []
    pieces: list[str] = []
    pos = 0
    length = 0
    for m in _SPACES.finditer(norm):
        seg = norm[pos:m.start() + 1]  # keep one space of the run
        new_starts.append(length)
        old_starts.append(pos)
        pieces.append(seg)
        length += len(seg)
        pos = m.end()
    new_starts.append(length)
    old_starts.append(pos)
    pieces.append(norm[pos:])

    def to_orig(i: int) -> int:
        k = bisect.bisect_right(new_starts, i) - 1
        return old_starts[k] + (i - new_starts[k])

    return "".join(pieces), to_orig


def _folded_marks(norm: str) -> tuple[str, Callable[[int], int]]:
    """The rare text with combining marks: one pass over its characters, each kept one with its
    original offset."""
    kept: list[str] = []
    where: list[int] = []
    for i, c in enumerate(norm):
        if _MARKS.match(c) or (c == " " and kept and kept[-1] == " "):
            continue
        kept.append(c)
        where.append(i)
    where.append(len(norm))
    return "".join(kept), where.__getitem__


def is_mark(c: str) -> bool:
    """A combining mark (it belongs to the letter before it)."""
    return _MARKS.match(c) is not None


def _identity(i: int) -> int:
    return i
