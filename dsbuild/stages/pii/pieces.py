"""Text longer than one analysis can take is analysed in pieces, never skipped unscrubbed.

spaCy refuses a text over its ``max_length`` and its memory grows with the text; a message that
long is a paste, not chat, and by default is dropped before this stage
(``convert.max_message_chars``). When that limit is raised or off, the text is cut at a line end
or a space near every ``limit`` characters, each piece is analysed as a text of its own, and
the finds are shifted back to the whole text's offsets. Cutting costs one scan: linear.
"""

from __future__ import annotations

from collections.abc import Callable

from dsbuild.stages.pii.spans import Span

# Small enough that per-piece costs that grow faster than the text (Presidio's context
# enhancer compares every find with every token) stay bounded; large enough for NER context.
PIECE_CHARS = 10_000

Analyze = Callable[[list[str]], dict[str, tuple[Span, ...]]]


def piece_starts(text: str, limit: int) -> list[int]:
    """Start offsets of pieces of at most ``limit`` characters, cut after whitespace when there
    is some in the second half of a piece."""
    starts = [0]
    pos = 0
    while len(text) - pos > limit:
        lo, hi = pos + limit // 2, pos + limit
        cut = text.rfind("\n", lo, hi)
        if cut < 0:
            cut = text.rfind(" ", lo, hi)
        pos = hi if cut < 0 else cut + 1
        starts.append(pos)
    return starts


def in_pieces(analyze: Analyze, texts: list[str], limit: int = PIECE_CHARS) -> dict[str, tuple[Span, ...]]:
    """``analyze`` over ``texts``, with every text over ``limit`` given to it in pieces."""
    cuts: dict[str, list[tuple[int, str]]] = {}
    for t in texts:
        if len(t) > limit and t not in cuts:
            starts = piece_starts(t, limit)
            cuts[t] = [(s, t[s:e]) for s, e in zip(starts, [*starts[1:], len(t)])]
    flat = [t for t in texts if t not in cuts] + [p for parts in cuts.values() for _, p in parts]
    found = analyze(flat)
    out: dict[str, tuple[Span, ...]] = {}
    for t in texts:
        if t in cuts:
            # Pieces are disjoint and each piece's finds are resolved: shifting keeps them so.
            out[t] = tuple(s.shifted(off) for off, p in cuts[t] for s in found[p])
        else:
            out[t] = found[t]
    return out
