"""Text normalisation applied to every message: the output is always valid, tidy UTF-8."""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"), None)
# Control characters other than \n and \t.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A zero-width joiner is kept only inside emoji sequences (👩‍💻); elsewhere it is noise.
_STRAY_ZWJ = re.compile(r"(?<![\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F])\u200d|\u200d(?![\U0001F000-\U0001FAFF\u2600-\u27BF])")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MANY_BLANK = re.compile(r"\n{3,}")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_BREAK_TAG = re.compile(r"<(?:br|/p|/div|/li|/h[1-6])\s*/?>", re.IGNORECASE)


def fix_surrogates(s: str) -> str:
    """Pair valid UTF-16 surrogate pairs and drop lone surrogates (a U+FFFD would be trained on)."""
    if not _LONE_SURROGATE.search(s):
        return s
    s = s.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    return _LONE_SURROGATE.sub("", s)


def strip_html(s: str) -> str:
    if "<" not in s or not _TAG.search(s):
        return s
    s = _BREAK_TAG.sub("\n", s)
    return html.unescape(_TAG.sub("", s))


def normalize_text(s: str, *, html_to_text: bool = True) -> str:
    """NFC, ``\\n`` line ends, plain spaces, no invisible or control characters, trimmed."""
    s = fix_surrogates(s)
    if html_to_text:
        s = strip_html(s)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = s.translate(_SPACES).translate(_INVISIBLE)
    if "\u200d" in s:
        s = _STRAY_ZWJ.sub("", s)
    s = _CONTROL.sub("", s)
    s = unicodedata.normalize("NFC", s)
    # Per line, not a regex: ``[ \t]+\n`` is quadratic on a long run of spaces.
    s = "\n".join(line.rstrip(" \t") for line in s.split("\n"))
    s = _MANY_BLANK.sub("\n\n", s)
    return s.strip()
