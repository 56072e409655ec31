"""A found piece of PII and how overlapping finds are resolved."""

from __future__ import annotations

from dataclasses import dataclass

# Where a find came from, for the manifest counts (never the value itself).
KNOWN, PATTERN, NER = "known", "pattern", "ner"
# The score of a name found after a relation ("mon mari X", "my wife X"): the business filter
# keeps such a find even when its word is a business word ("mon mari Noël", "my wife April").
STRONG_CUE_SCORE = 0.9
CUE_SCORE = 0.8  # a name cue's find (a relation's: STRONG_CUE_SCORE; NER's 0.85)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str  # PERSON, EMAIL_ADDRESS, ...
    score: float
    source: str  # KNOWN | PATTERN | NER
    key: str = ""  # identity for consistent pseudonyms; "" = derived from the text

    def shifted(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset, self.type, self.score, self.source, self.key)


_RANK = {KNOWN: 2, PATTERN: 1, NER: 0}


def resolve(spans: list[Span], text: str | None = None) -> list[Span]:
    """Non-overlapping spans, sorted (see :func:`_resolve_cluster` for the rules); ``text``,
    the spans' text, where an overhang left of another type's span is kept only if it holds a
    letter or a digit.

    Only spans that overlap, directly or through others, can affect each other, and every
    rule keeps a result inside the union of what it merged, so each cluster is resolved on its
    own: linear in the number of spans for chat text, not quadratic (a long message with
    thousands of finds took minutes)."""
    if len(spans) < 2:
        return list(spans)
    out: list[Span] = []
    cluster: list[Span] = []
    end = -1
    for s in sorted(spans, key=lambda s: s.start):
        if cluster and s.start >= end:
            out += _resolve_cluster(cluster, text)
            cluster = []
        cluster.append(s)
        end = max(end, s.end) if len(cluster) > 1 else s.end
    out += _resolve_cluster(cluster, text)
    return out


def _resolve_cluster(spans: list[Span], text: str | None = None) -> list[Span]:
    """Non-overlapping spans, sorted. Known values win, then the higher score, then the longer span;
    but a span of another type that wholly contains the winners replaces them.

    A partial overlap of the same type is merged into the winner, so no fragment of a value
    survives between two replacements (naive replacement of Presidio's raw overlapping results
    corrupts text). One of another type keeps its overhang beyond the winner as a span of its
    own, touching the winner: each part is faked by its own type (a card's fake keeps what is
    not a digit, so a name merged into a card came out as written).
    """
    order = sorted(spans, key=lambda s: (-_RANK[s.source], -s.score, -(s.end - s.start), s.start))
    kept: list[Span] = []
    rest: list[Span] = []  # overhangs of another type's span beyond a winner
    for s in order:
        hit = [k for k in kept if s.start < k.end and k.start < s.end]
        if not hit:
            kept.append(s)
            continue
        if all(s.start <= k.start and k.end <= s.end and s.end - s.start > k.end - k.start
               and k.type != s.type for k in hit):
            # A value of another kind wholly inside this one (a known first name inside an email
            # address): the whole is what the text holds, so it keeps its own type.
            kept = [k for k in kept if k not in hit] + [s]
            continue
        for k in hit:  # extend the winner to cover the loser's overhang
            if (s.start < k.start or s.end > k.end) and s.type == k.type:
                kept[kept.index(k)] = Span(min(k.start, s.start), max(k.end, s.end), k.type, k.score,
                                           k.source, k.key)
            elif s.start < k.start or s.end > k.end:  # another type's: its own value (a card
                # "3706 441206 52364" and an address "52364\n\nTivér Toin")
                rest += [Span(a, b, s.type, s.score, s.source, s.key) for a, b in
                         ((s.start, k.start), (k.end, s.end)) if a < b]
    for r in rest:  # what no kept span covers
        pieces = [(r.start, r.end)]
        for k in kept:
            pieces = [p for a, b in pieces for p in ((a, min(b, k.start)), (max(a, k.end), b)) if p[0] < p[1]]
        kept += [Span(a, b, r.type, r.score, r.source, r.key) for a, b in pieces
                 if text is None or any(c.isalnum() for c in text[a:b])]
    kept.sort(key=lambda s: s.start)
    merged: list[Span] = []
    for s in kept:  # extensions may have created new overlaps
        if merged and s.start < merged[-1].end:
            m = merged[-1]
            merged[-1] = Span(m.start, max(m.end, s.end), m.type, m.score, m.source, m.key)
        else:
            merged.append(s)
    return merged
