"""The table of counts printed at the end of a run, and the time each step took."""

from __future__ import annotations

import json
from typing import Any

from dsbuild.pipeline import BuildResult
from dsbuild.sinks.layout import CARD, MANIFEST
from dsbuild.table import format_table


def _manifest(result: BuildResult) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((result.out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def format_summary(result: BuildResult) -> str:
    c = result.counts()
    rows: list[tuple[str, int | str]] = [("conversations read", c["conversations_read"])]
    rows += [(f"dropped: {reason}", n) for reason, n in c["dropped"].items()]
    rows += [("duplicates removed", c["duplicates"]), ("kept", c["kept"])]
    rows += [(f"{split} records", n) for split, n in c["records"].items()]
    types = result.stats.section("message_types_dropped")
    lines = ["dsbuild make: done", format_table(rows, min_widths=(0, 9))]
    if types:
        top = sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        lines.append("messages without training text, by type: "
                     + ", ".join(f"{t} {n:,}" for t, n in top))
    langs = result.stats.section("languages")
    if langs:
        line = "conversations by language: " + ", ".join(
            f"{k} {n:,}" for k, n in sorted(langs.items(), key=lambda kv: (-kv[1], kv[0])))
        other = result.stats.section("languages_other")
        if other:
            line += (f" ({sum(other.values()):,} looked like another language and were handled as"
                     " the closest configured one: " + ", ".join(f"{k} {n:,}" for k, n in other.items()) + ")")
        lines.append(line)
    kto = _manifest(result).get("kto_weights")
    if kto:
        lines.append(f"kto: train has {kto['desirable']:,} desirable and {kto['undesirable']:,}"
                     f" undesirable rows; TRL's recommended desirable_weight"
                     f" {kto['desirable_weight']}, undesirable_weight {kto['undesirable_weight']}"
                     " (in the card and manifest.json)")
    elif "kto_weights" in _manifest(result):
        lines.append("kto: train lacks one of the labels; KTO needs both thumbs up and down")
    pii = result.stats.section("pii")
    if pii:
        lines.append("PII replaced (source/type): " + ", ".join(f"{k} {n:,}" for k, n in pii.items()))
    cache = result.stats.section("pii_cache")
    if cache:
        total = sum(cache.values())
        lines.append(f"PII analysis cache: {cache.get('hit', 0) / total:.0%} of {total:,} messages")
    lines.append("seconds per step: " + ", ".join(
        f"{name} {s['seconds']:.2f}" for name, s in result.stats.steps().items()))
    lines.append(f"dataset card: {result.out / CARD}  (details: dsbuild stats {result.out})")
    return "\n".join(lines)
