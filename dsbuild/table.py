"""The one text-table printer: left-aligned labels, right-aligned numbers, two-space gutters."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(rows: Sequence[Sequence[object]], *, left: int = 1, indent: str = "  ",
                 min_widths: Sequence[int] = ()) -> str:
    """``rows`` of cells; the first ``left`` columns are left-aligned, the rest right-aligned.
    Integers get thousands separators; trailing spaces are stripped."""
    cells = [[f"{c:,}" if isinstance(c, int) and not isinstance(c, bool) else str(c) for c in r]
             for r in rows]
    ncols = max(len(r) for r in cells)
    widths = [max([len(r[i]) for r in cells if i < len(r)]
                  + [min_widths[i] if i < len(min_widths) else 0]) for i in range(ncols)]
    return "\n".join(
        (indent + "  ".join(c.ljust(w) if i < left else c.rjust(w)
                            for i, (c, w) in enumerate(zip(r, widths)))).rstrip()
        for r in cells)
