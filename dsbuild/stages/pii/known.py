"""Known-value redaction: the lead's own values, found in every message of its conversation.

This is the highest-precision, highest-recall signal there is, so it runs first and wins every
overlap. What the values are is :mod:`dsbuild.stages.pii.leadfields`; this module finds them:

* One Aho-Corasick automaton per conversation (``pyahocorasick``) holds every value's folded
  spellings; a message is folded once (case, accents, whitespace: :mod:`.foldmap`) and scanned
  once, whatever the number of values. No regex is compiled per value or per conversation
  (building the automaton costs microseconds; compiling one regex per value cost ~1 ms each).
* Values match as whole words, in any case, with accents folded (precomposed or typed as
  combining marks), any whitespace inside. A word ends where a letter meets a non-letter or a
  digit a non-digit: a name glued to digits or underscores (``kaitlyn62``, ``@kaitlyn_conree``)
  is the name.
  Identifiers (``KD-572912``) also match with other separators (``kd 572912``, ``KD572912``).
* A lead's name token is redacted wherever it stands as a word in its conversation. Only one
  that is an ordinary word of the conversation's language (Will and May in English, Ella in
  Spanish, Wil in Dutch: see :mod:`.leadfields`) or has two letters is redacted only where it
  is clearly the name: written capitalised but not at the start of a sentence ("thanks,
  Will"), inside the full name, right after a name cue in any supported language ("I'm will",
  "gruß frank", "c'est jean", "hoi met rob"), before "here" ("will here", "wil hier"), or
  signing the message off ("see you then\n- will", "ok thanks, will"), or addressed after the
  sentence's first word ("helder, jan. ik regel het"). So "you will get an email" keeps its
  "will".
* Phones: their significant digits, whatever separators, country prefix or trunk zero, found
  on a digit projection of the text (one process-wide regex, no per-number pattern).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

from dsbuild.records import Lead
from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES
from dsbuild.stages.pii.foldmap import fold, fold_with_map, is_mark, variants
from dsbuild.stages.pii.langdata import (
    LANGUAGES,
    after_name,
    company_context,
    lead_name_cues,
    signoff_phrases,
)
from dsbuild.stages.pii.leadfields import KnownValue, lead_values, phone_core
from dsbuild.stages.pii.spans import KNOWN, Span

__all__ = ["COMMON_WORD_NAMES", "KnownValues", "phone_core", "phone_pattern"]

# What comes right before a name (the lang files' ``lead_name_cues`` and ``signoffs``, every
# language's: EU chats mix them), lower case forms included.
NAME_CUES = lead_name_cues() + signoff_phrases()
_CUE_BEFORE = re.compile(r"(?i)(?<!\w)(?:" + "|".join(sorted((c.replace("'", "['’]") for c in NAME_CUES),
                                                            key=len, reverse=True))
                         + r")[\s,:;!.\-–]{1,4}$")
_CUE_WINDOW = 40
# the name opens its sentence (a greeting word may come first): "will speaking", "hi, frank am
# Apparat" (what follows a name is lang data: langdata.after_name)
_OPENING = re.compile(r"(?:^|[.!?\n])[ \t]*(?:[^\W\d_]+[ \t]*[,!.]?[ \t]*)?$")
# a vocative: one word and a comma open the sentence, the name closes the clause ("helder, jan.
# ik regel het", "thanks, will!", "perfetto, nice, me ne occupo")
_VOCATIVE_BEFORE = re.compile(r"(?:^|[.!?\n])[ \t]*[^\W\d_]+[ \t]*,[ \t]*$")
_VOCATIVE_AFTER = re.compile(r"[ \t]*[.!?,](?:\s|$)")
# a sign-off: the name is the message's last word, after a line break, a dash or a comma
_SIGNOFF_BEFORE = re.compile(r"(?:^|[\n\-–—~,])[ \t]*$")
_SIGNOFF_AFTER = re.compile(r"[\s.!]*$")

_SEP = "[\\s().\\-/]{0,3}"
# digit runs, up to three separators between two digits: a character-class run cut at longer gaps
_RAW_RUN = re.compile(r"\+?\d[\d\s().\-/]*")
_GAP = re.compile(r"[^\d+]{4,}")
_PHONE_PREFIX = re.compile(r"(?:(?:\+|00)\d{1,3})?0?")
_ID_JOINERS = ("", " ", "-", ".", "/")


def phone_pattern(core: str) -> str:
    """A regex for a phone's significant digits in any writing (for tests and one-off checks;
    the stage itself matches on a digit projection, see :meth:`KnownValues.find`)."""
    prefix = r"(?:(?:\+|00)\d{1,3}" + _SEP + r")?(?:\(?0\)?" + _SEP + r")?"
    return r"(?<![\d+])" + prefix + _SEP.join(core) + r"(?!\d)"


def _inside(edge: str, neighbour: str) -> bool:
    """The value's edge character continues into its neighbour: a letter next to a letter, a
    digit next to a digit ("ann" in "anna", "4512" in "45123"). A name glued to digits or an
    underscore ("kaitlyn62", "@kaitlyn_conree") is still the name."""
    return (edge.isalpha() and neighbour.isalpha()) or (edge.isdigit() and neighbour.isdigit())


def _keys(v: KnownValue) -> frozenset[str]:
    keys = variants(v.value)
    if v.identifier:
        chunks = re.findall(r"[^\W_]+", fold(v.value))
        if len(chunks) > 1:
            keys = keys | {j.join(chunks) for j in _ID_JOINERS}
    return keys


def _digit_runs(text: str) -> Iterator[tuple[int, str]]:
    for m in _RAW_RUN.finditer(text):
        raw, base, pos = m.group(0), m.start(), 0
        for g in _GAP.finditer(raw):
            yield base + pos, raw[pos:g.start()]
            pos = g.end()
        rest = raw[pos:]
        while rest and not rest[-1].isdigit():
            rest = rest[:-1]
        if rest:
            yield base + pos, rest


class KnownValues:
    """The matcher for one lead's values. Cheap to build (tens of microseconds)."""

    def __init__(self, lead: Lead, lang: str | None = None):
        """``lang``: the conversation's language (which name tokens are ordinary words there)."""
        values, phones = lead_values(lead, lang)
        self._lang = lang if lang in LANGUAGES else None
        self._phones = phones
        self.phone_cores: list[str] = [core for core, _ in phones]
        # for the residual scan: every value that must never be left, with its type
        self.values: list[tuple[str, str]] = [(v.value, v.type) for v in values if not v.common]
        # every value, the ordinary-word names too: what a surrogate must never contain
        self.literals: list[str] = [v.value for v in values]
        self._min_phone = min((len(c) for c in self.phone_cores), default=0)
        self._auto: ahocorasick.Automaton | None = None
        if values:
            auto = ahocorasick.Automaton()
            for v in values:
                for k in _keys(v):
                    if k not in auto:
                        auto.add_word(k, (len(k), v.type, v.key, v.common))
            auto.make_automaton()
            self._auto = auto

    def __bool__(self) -> bool:
        return self._auto is not None or bool(self.phone_cores)

    def find(self, text: str) -> list[Span]:
        out: list[Span] = []
        if self._auto is not None:
            out += self._literal_spans(text)
        if self._phones:
            out += self._phone_spans(text)
        return out

    def _literal_spans(self, text: str) -> list[Span]:
        assert self._auto is not None
        norm, to_orig = fold_with_map(text)
        out: list[Span] = []
        for end, (n, type_, key, common) in self._auto.iter(norm):
            start = end - n + 1
            if start > 0 and _inside(norm[start], norm[start - 1]):
                continue
            if end + 1 < len(norm) and _inside(norm[end], norm[end + 1]):
                continue
            s, e = to_orig(start), to_orig(end) + 1
            while e < len(text) and is_mark(text[e]):
                e += 1  # the accent typed after the value's last letter
            if common and not self._clearly_a_name(text, s, e):
                continue
            out.append(Span(s, e, type_, 1.0, KNOWN, key))
        return out

    def _clearly_a_name(self, text: str, start: int, end: int) -> bool:
        word = text[start:end]
        if (word[:1].isupper() and word[1:] == word[1:].lower() and start >= 2
                and text[start - 1].isspace() and not text[start - 2].isspace()
                and text[start - 2] not in ".!?"):
            return True  # capitalised, not at the start of a sentence
        here, tags = after_name(self._lang)
        if here.match(text, end) or (tags.match(text, end) and _OPENING.search(text, max(0, start - 40), start)):
            return True  # "will here", "will speaking"
        if _SIGNOFF_BEFORE.search(text, max(0, start - 8), start) and _SIGNOFF_AFTER.fullmatch(text, end):
            return True  # "thanks\n- will"
        if _VOCATIVE_AFTER.match(text, end) and _VOCATIVE_BEFORE.search(text, max(0, start - 40), start):
            return True  # "helder, jan. ik regel het meteen"
        before, after = company_context()
        if after.match(text, end) or before.search(text, max(0, start - 30), start):
            return True  # the surname in a company's name: "ward plumbing", "autohaus her"
        return _CUE_BEFORE.search(text, max(0, start - _CUE_WINDOW), start) is not None

    def _phone_spans(self, text: str) -> list[Span]:
        """Each digit run, read as its digits; a phone core inside it counts when it ends a digit
        group and what precedes it in the run is nothing, a trunk 0, or a country code."""
        out: list[Span] = []
        for start, run in _digit_runs(text):
            digits: list[str] = []
            pos: list[int] = []
            groups: list[int] = [0]  # digit indices that start a group
            last = -2
            for i, ch in enumerate(run):
                if ch.isdigit():
                    if digits and i != last + 1:
                        groups.append(len(digits))
                    digits.append(ch)
                    pos.append(i)
                    last = i
            if len(digits) < self._min_phone:
                continue
            d = "".join(digits)
            plus = run.startswith("+")
            for core, key in self._phones:
                i = d.find(core)
                while i >= 0:
                    j = i + len(core)
                    if j == len(d) or j in groups:
                        for g in groups:
                            if g > i:
                                break
                            prefix = ("+" if g == 0 and plus else "") + d[g:i]
                            if _PHONE_PREFIX.fullmatch(prefix):
                                a = 0 if g == 0 and plus else pos[g]
                                out.append(Span(start + a, start + pos[j - 1] + 1,
                                                "PHONE_NUMBER", 1.0, KNOWN, key))
                                break
                    i = d.find(core, i + 1)
        return out
