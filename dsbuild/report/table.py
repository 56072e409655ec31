"""The compact text table ``dsbuild stats`` prints, from the JSON form of the statistics."""

from __future__ import annotations

from typing import Any

from dsbuild.report.dataset_stats import MEASURES, PII_DISABLED, PII_SCRUBBED
from dsbuild.table import format_table

MEASURE_LABELS = {
    "messages": "messages / record",
    "assistant_chars": "assistant chars",
    "assistant_tokens": "assistant tokens",
    "total_chars": "total chars",
    "total_tokens": "total tokens",
}
DIST_KEYS = ("min", "median", "p90", "max", "mean")


def fmt_num(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{int(v):,}"


def pii_summary(pii: dict[str, Any]) -> str:
    if pii["status"] == PII_DISABLED:
        return "none: PII scrubbing was switched off for this build"
    if pii["status"] != PII_SCRUBBED:
        return "none recorded (the PII stage did not report for this build)"
    if not pii["entities"]:
        return "0 found"
    return (", ".join(f"{k} {v:,}" for k, v in pii["entities"].items())
            + "  (by source: " + ", ".join(f"{k} {v:,}" for k, v in pii["by_source"].items()) + ")")


def format_stats(stats: dict[str, Any]) -> str:
    splits: dict[str, Any] = stats["splits"]
    lines = ["records: " + ", ".join(f"{n} {s['records']:,}" for n, s in splits.items())
             + f"  (total {stats['records']:,})"]
    rows: list[tuple[str, ...]] = [("", "split", *DIST_KEYS)]
    for m in MEASURES:
        for i, (name, s) in enumerate(splits.items()):
            rows.append((MEASURE_LABELS[m] if i == 0 else "", name,
                         *(fmt_num(s[m][k]) for k in DIST_KEYS)))
    lines.append(format_table(rows, left=2))
    lines.append(f"  (tokens: {stats['token_method']})")
    for name, s in splits.items():
        total = s["records"] or 1
        lines.append(f"labels {name}: " + (", ".join(
            f"{lab} {n:,} ({100 * n / total:.0f}%)" for lab, n in s["labels"].items()) or "-"))
    lines.append("PII entities: " + pii_summary(stats["pii"]))
    lines.append("dropped: " + (", ".join(f"{k} {v:,}" for k, v in stats["drops"].items()) or "none"))
    lines += [f"warning: {w}" for w in stats["warnings"]]
    return "\n".join(lines)
