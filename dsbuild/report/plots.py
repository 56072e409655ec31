"""PNG charts of :class:`~dsbuild.report.dataset_stats.DatasetStats`, for people and the dataset card.

matplotlib's object API on the Agg canvas (no pyplot, no display, no global state), imported
only when charts are drawn. Every chart is written even when it has nothing to show (it then
says so), so the card's image links always resolve. The title is also stored in the PNG's
``Title`` text chunk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dsbuild.report.dataset_stats import PII_DISABLED, PII_SCRUBBED, DatasetStats

# key → title; the file is ``<key>.png``. The card and tests read this catalogue.
CHARTS: dict[str, str] = {
    "messages_per_record": "Messages per record",
    "assistant_tokens": "Assistant tokens per record",
    "label_balance": "Label balance per split",
    "pii_entities": "PII entities by type",
    "drops": "Conversations dropped by reason",
}

_SPLIT_COLORS = {"train": "#4C72B0", "test": "#DD8452"}
_LABEL_COLORS = {"positive": "#55A868", "label:true": "#55A868", "negative": "#C44E52",
                 "label:false": "#C44E52", "unset": "#8C8C8C", "none": "#BBBBBB"}
_SOURCE_COLORS = {"known": "#C44E52", "pattern": "#DD8452", "ner": "#8172B3"}
_DPI = 100


def chart_file(key: str) -> str:
    return f"{key}.png"


def preload() -> None:
    """Import what drawing needs (about half a second), ahead of the first chart."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.ticker  # noqa: F401


def write_plots(stats: DatasetStats, directory: Path, keys: list[str] | None = None) -> dict[str, Path]:
    """Draw every chart of :data:`CHARTS` (or those of ``keys``) into ``directory``; returns
    key → file."""
    directory.mkdir(parents=True, exist_ok=True)
    return {key: write_chart(stats, directory, key) for key in (CHARTS if keys is None else keys)}


def write_chart(stats: DatasetStats, directory: Path, key: str) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    title = CHARTS[key]
    fig = Figure(figsize=(8, 4.5), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    _DRAW[key](fig, stats)
    fig.suptitle(title, fontsize=14, fontweight="bold")
    path = directory / chart_file(key)
    fig.savefig(path, format="png", metadata={"Title": title, "Software": "dsbuild"})
    return path


def _histograms(fig: Any, stats: DatasetStats, measure: str, xlabel: str) -> None:
    from matplotlib.ticker import MaxNLocator

    splits = list(stats.splits.items())
    axes = fig.subplots(1, len(splits), squeeze=False, sharex=True)[0]
    every = [v for _, s in splits for v in s.values[measure]]
    if every:
        lo, hi = min(every), max(every)
        # the same bins for every split; integer-aligned for small ranges (message counts)
        bins: Any = [x - 0.5 for x in range(lo, hi + 2)] if hi - lo <= 40 else \
            [lo + (hi - lo) * i / 30 for i in range(31)]
    for ax, (name, s) in zip(axes, splits):
        values = s.values[measure]
        ax.set_title(f"{name} ({s.records:,} records)")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("records")
        if not values:
            _empty(ax, "no records")
            continue
        ax.hist(list(values), bins=bins, color=_SPLIT_COLORS.get(name, "#55A868"), edgecolor="white")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)


def _messages(fig: Any, stats: DatasetStats) -> None:
    _histograms(fig, stats, "messages", "messages in the record")


def _assistant(fig: Any, stats: DatasetStats) -> None:
    _histograms(fig, stats, "assistant_tokens", f"assistant tokens ({stats.token_method})")


def _labels(fig: Any, stats: DatasetStats) -> None:
    ax = fig.subplots()
    labels = sorted({lab for s in stats.splits.values() for lab in s.labels})
    splits = list(stats.splits.items())
    width = 0.8 / max(len(labels), 1)
    for i, lab in enumerate(labels):
        xs = [j + (i - (len(labels) - 1) / 2) * width for j in range(len(splits))]
        shares = [100 * s.labels.get(lab, 0) / s.records if s.records else 0 for _, s in splits]
        bars = ax.bar(xs, shares, width=width, label=lab, color=_LABEL_COLORS.get(lab))
        ax.bar_label(bars, labels=[f"{s.labels.get(lab, 0):,}" for _, s in splits], fontsize=9)
    ax.set_xticks(range(len(splits)), [f"{n}\n({s.records:,} records)" for n, s in splits])
    ax.set_ylabel("share of the split's records (%)")
    ax.set_ylim(0, 110)
    ax.set_xlabel("split (bar labels: record counts)")
    if labels:
        ax.legend(title="feedback label")
    else:
        _empty(ax, "no records")


def _pii(fig: Any, stats: DatasetStats) -> None:
    ax = fig.subplots()
    if stats.pii_status == PII_DISABLED:
        _empty(ax, "PII scrubbing was switched off for this build")
    elif stats.pii_status != PII_SCRUBBED:
        _empty(ax, "The PII stage recorded nothing for this build")
    elif not stats.pii_entities:
        _empty(ax, "No PII entities found")
    else:
        _stacked_hbar(ax, stats.pii_entities, stats.pii_detail, list(stats.pii_sources))
        ax.set_xlabel("entities replaced")
        ax.set_ylabel("entity type")


def _drops(fig: Any, stats: DatasetStats) -> None:
    ax = fig.subplots()
    if not stats.drops:
        _empty(ax, "No conversations dropped")
    else:
        _hbar(ax, stats.drops, "conversations", "#8172B3")
        ax.set_ylabel("reason")


def _hbar(ax: Any, counts: dict[str, int], xlabel: str, color: str) -> None:
    items = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))  # largest on top
    bars = ax.barh([k for k, _ in items], [v for _, v in items], color=color)
    ax.bar_label(bars, labels=[f"{v:,}" for _, v in items], padding=3, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.12)
    ax.grid(axis="x", alpha=0.3)


def _stacked_hbar(ax: Any, totals: dict[str, int], detail: dict[str, dict[str, int]],
                  sources: list[str]) -> None:
    types = sorted(totals, key=lambda t: (totals[t], t))  # largest on top
    left = [0] * len(types)
    for source in sources:
        widths = [detail.get(t, {}).get(source, 0) for t in types]
        ax.barh(types, widths, left=left, label=source, color=_SOURCE_COLORS.get(source))
        left = [a + b for a, b in zip(left, widths)]
    for y, total in enumerate(totals[t] for t in types):
        ax.annotate(f"{total:,}", (total, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=9)
    ax.legend(title="found by", loc="lower right")
    ax.margins(x=0.12)
    ax.grid(axis="x", alpha=0.3)


def _empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#555555",
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


_DRAW = {"messages_per_record": _messages, "assistant_tokens": _assistant,
         "label_balance": _labels, "pii_entities": _pii, "drops": _drops}
