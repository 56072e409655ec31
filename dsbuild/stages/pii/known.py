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

import functools
import re
from collections.abc import Iterator

import ahocorasick

from dsbuild.records import Lead
from dsbuild.stages.pii.common_names import COMMON_WORD_NAMES
from dsbuild.stages.pii.foldmap import fold, fold_with_map, is_mark, variants
from dsbuild.stages.pii.langdata import (
    DEFAULT,
    LANGUAGES,
    after_name,
    business_words,
    company_context,
    language_words,
    lead_name_cues,
    lead_word_positions,
    signoff_phrases,
    stop_words,
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
_VOCATIVE_END = re.compile(r"[ \t]*(?:[.!?,;:)](?:\s|$)|$|\n)")
_FOR_END = re.compile(r"[ \t]*(?:[-–—][ \t]|[.!?,;:)](?:\s|$)|$|\n)")
# a sign-off: the name is the message's last word, after a line break, a dash or a comma
_SIGNOFF_BEFORE = re.compile(r"(?:^|[\n\-–—~,])[ \t]*$")
_SIGNOFF_AFTER = re.compile(r"[\s.!]*$")
# the name on a line of its own, or after a dash opening a line: a signature block ("Grace\n
# Northwind Ltd | +44 ..."), "- grace, accounting"
_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
_DASH_START = re.compile(r"(?:^|\n)[ \t]*[-–—~•*][ \t]*$")
_LINE_END = re.compile(r"[ \t]*[,.!]?[ \t]*(?:\n|$)")
# a kiss signing off before the name that ends the line: "... pls x guy", "thanks xx Hope"
_KISS_BEFORE = re.compile(r"(?:^|[\s,.!])(?i:x{1,3}|xo|xoxo)[ \t]+$")
_COMMA = re.compile(r"[ \t]*,")
# addressed opening its sentence: "Will, can you check the invoice?"
_SENTENCE_START = re.compile(r"(?:^|[\n.!?])[ \t]*$")
# all a bracket holds: "[Grace] cannot log in"
_BRACKET_AFTER = re.compile(r"[ \t]*[)\]]")
# a field of a signature or a speaker's label after the name opening a line: "Grace | Northwind
# Ltd", "ben: is de factuur klaar?"
_LABEL_AFTER = re.compile(r"[ \t]*[|:]")
# between dashes, or a dash and a comma: "the person to ask – will – is away"
_DASH_BEFORE = re.compile(r"\s[-–—][ \t]*$")
_DASH_AFTER = re.compile(r"[ \t]+[-–—](?:\s|$)|[ \t]*,")
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
# two of the lead's name tokens side by side: "young, grace", "name: hill grace"
_ADJACENT = re.compile(r"[ \t]*,?[ \t]*")
_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t]+$")
_AFTER_WORD = re.compile(r"\w[ \t]*$")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")

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


@functools.cache
def _word_sets(lang: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(the stop words of the language and English: a name token after one is a word again, "I
    will"; and whether a name token is one itself, "will", "ben"; the business words: "May",
    "June" opening a sentence are months) (None: every language's)."""
    codes = LANGUAGES if lang is None else tuple(dict.fromkeys((lang, DEFAULT)))
    stop = frozenset().union(*(stop_words(c) for c in codes))
    business = (business_words() if lang is None else
                language_words(lang, "business") | language_words(DEFAULT, "business"))
    return stop, business


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
                        auto.add_word(k, (len(k), v.type, v.key, v.common, fold(v.value)))
            auto.make_automaton()
            self._auto = auto
        self._stop, self._business = _word_sets(self._lang)

    def __bool__(self) -> bool:
        return self._auto is not None or bool(self.phone_cores)

    def find(self, text: str) -> list[Span]:
        """The values in one message (a name token that is an ordinary word: where this message
        says it is the name, see :meth:`find_all`)."""
        return self.find_all([text])[0]

    def find_all(self, texts: list[str]) -> list[list[Span]]:
        """The values in each message of one conversation. A name token that is an ordinary word
        and is clearly the name somewhere in the conversation ("hello rose.") is the name again
        where it is not used as a word ("yes, rose is the account holder"; not "the price rose",
        "a grace period", "mark the invoice"); one that is a stop word ("will", "ben") only where
        each message says so."""
        hits = [self._adjacent(t, self._literal_spans(t)) if self._auto is not None else [] for t in texts]
        confirmed = {v for found in hits for _, v, clear in found if v and clear}
        out: list[list[Span]] = []
        for text, found in zip(texts, hits):
            spans = [s for s, v, clear in found
                     if clear or (v in confirmed and self._repeated_name(text, s.start, s.end, v))]
            if self._phones:
                spans += self._phone_spans(text)
            out.append(spans)
        return out

    @staticmethod
    def _adjacent(text: str, found: list[tuple[Span, str, bool]]) -> list[tuple[Span, str, bool]]:
        """A name token that is an ordinary word next to another of the lead's name tokens is the
        name: "Young, Grace", "name: hill grace"."""
        names = [s for s, _, _ in found if s.type == "PERSON"]
        out = []
        for s, v, clear in found:
            if v and not clear:
                clear = any(o is not s and ((o.end <= s.start and _ADJACENT.fullmatch(text, o.end, s.start))
                                            or (s.end <= o.start and _ADJACENT.fullmatch(text, s.end, o.start)))
                            for o in names)
            out.append((s, v, clear))
        return out

    def _repeated_name(self, text: str, start: int, end: int, value: str) -> bool:
        """A confirmed name token again: not a stop word, opening a clause (after punctuation, a
        line break or "and then"), and not before an article or a preposition (a verb: "mark the
        invoice", "hope for the best")."""
        if value in self._stop:
            return False
        prev = _PREV_WORD.search(text, max(0, start - 30), start)
        if prev and prev.group(1).lower() not in lead_word_positions(self._lang).clause:
            return False  # "the price rose", "a grace period"; not "and then grace lost it"
        if not prev and _AFTER_WORD.search(text, max(0, start - 30), start):
            return False  # "2 jan", "n° rose"
        nxt = _NEXT_WORD.match(text, end)
        return not (nxt and nxt.group(1).lower() in lead_word_positions(self._lang).function)

    def _literal_spans(self, text: str) -> list[tuple[Span, str, bool]]:
        """(span, the folded value if it is an ordinary-word name token, whether the message
        says it is the name) of each literal value found."""
        assert self._auto is not None
        norm, to_orig = fold_with_map(text)
        out: list[tuple[Span, str, bool]] = []
        for end, (n, type_, key, common, value) in self._auto.iter(norm):
            start = end - n + 1
            if start > 0 and _inside(norm[start], norm[start - 1]):
                continue
            if end + 1 < len(norm) and _inside(norm[end], norm[end + 1]):
                continue
            s, e = to_orig(start), to_orig(end) + 1
            while e < len(text) and is_mark(text[e]):
                e += 1  # the accent typed after the value's last letter
            clear = not common or self._clearly_a_name(text, s, e)
            out.append((Span(s, e, type_, 1.0, KNOWN, key), value if common else "", clear))
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
        if _CUE_BEFORE.search(text, max(0, start - _CUE_WINDOW), start) is not None:
            return True
        return self._name_position(text, start, end)

    def _name_position(self, text: str, start: int, end: int) -> bool:
        """The places of a name that no cue word marks: a sentence opening with a greeting
        ("buongiorno sole, ...", "buenas luz") or a vocative cue and the name closing the clause
        ("good morning hope!", "thanks again, grace."), a form's label ("first name: will"), a
        line of its own in a message of several lines (a signature block: "Grace\nNorthwind Ltd
        | +44 ..."), after a dash opening a line ("- grace, accounting") or between dashes,
        opening a line or a sentence before a comma, a colon or a bar ("Will, can you check the
        invoice?", "ben: is de factuur klaar?", "Grace | Northwind Ltd"; not a month: "May, June
        and July"), all a bracket holds ("[Grace] cannot log in", "(for faith)"), in a list after
        the writer ("users: me, bill, and an intern"); after a kiss ending a line ("pls x guy");
        joined to the writer ("bill and i"),
        before a verb of speech or a subject's verb ("i think hope said", "creo que luz dijo",
        "grace mentioned"), before a possessive
        "'s" ("grace's account"), but not after an article or a preposition ("the bill said"),
        nor a stop-word name after a stop word ("I will and I")."""
        pos = lead_word_positions(self._lang)
        if pos.field.search(text, max(0, start - 40), start) or pos.pronoun.search(text, max(0, start - 16), start):
            return True
        if pos.greeting.search(text, max(0, start - 40), start):
            return True
        if pos.vocative.search(text, max(0, start - 40), start) and _VOCATIVE_END.match(text, end):
            return True
        line_end = _LINE_END.match(text, end) is not None
        if _DASH_START.search(text, max(0, start - 8), start) and (line_end or _COMMA.match(text, end)):
            return True
        if _DASH_BEFORE.search(text, max(0, start - 8), start) and (line_end or _DASH_AFTER.match(text, end)):
            return True
        if line_end and "\n" in text and _LINE_START.search(text, max(0, start - 4), start):
            return True
        if line_end and _KISS_BEFORE.search(text, max(0, start - 8), start):
            return True
        if ((_COMMA.match(text, end) or _LABEL_AFTER.match(text, end))
                and _SENTENCE_START.search(text, max(0, start - 4), start)
                and fold(text[start:end]) not in self._business):
            return True
        if pos.bracket.search(text, max(0, start - 12), start) and _BRACKET_AFTER.match(text, end):
            return True
        if _FOR_END.match(text, end) and fold(text[start:end]) not in self._business:
            prev = _PREV_WORD.search(text, max(0, start - 12), start)
            if prev and prev.group(1).lower() in pos.for_words:
                return True  # "forwarding this for mark - see below"; not "for may."
        if pos.verb.match(text, end) or pos.joined.match(text, end) or _POSSESSIVE.match(text, end):
            prev = _PREV_WORD.search(text, max(0, start - 30), start)
            word = prev.group(1).lower() if prev else ""
            if word in pos.that and pos.verb.match(text, end):
                return True  # "ik denk dat jan zei"
            # "the bill said", "I will and I"; "ask will and me"
            return not (word in pos.function or (word in self._stop and fold(text[start:end]) in self._stop))
        return False

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
