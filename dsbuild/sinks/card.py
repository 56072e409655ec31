"""The dataset card ``README.md``: Hub YAML header, provenance, statistics and charts.

A pure function of the manifest and the statistics' JSON form (``dsbuild stats --json``), so
the card can be regenerated, or its parts merged into a card already on the Hub
(:func:`card_metadata` is the YAML header as a dict, :func:`card_body` the markdown).

It holds no personal value by construction: only settings, counts, label and entity-type names,
drop reasons and hashes. Free-text settings that could hold names or contact details (the
system prompt, PII allow lists, file paths) are never copied, only whether they are set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from dsbuild.hashing import config_digest
from dsbuild.report.dataset_stats import (
    MEASURES,
    PII_DISABLED,
    PII_NOT_RECORDED,
    PII_SCRUBBED,
    DatasetStats,
    compute_stats,
    read_manifest,
)
from dsbuild.report.plots import CHARTS, chart_file
from dsbuild.report.table import DIST_KEYS, MEASURE_LABELS, fmt_num, pii_summary
from dsbuild.sinks.layout import CARD, DATASET_INFO, MANIFEST, PLOTS_DIR
from dsbuild.targets import recipes
from dsbuild.timeparse import parse_epoch
from dsbuild.tokens import TokenCounter

if TYPE_CHECKING:
    from dsbuild.report.plot_workers import PlotWorkers

# Settings of the PII stage safe to show; anything else (allow lists, ...) is left out.
_PII_SETTINGS = ("enabled", "style", "spacy_model", "spacy_model_version")
_PII_INTRO = {
    PII_SCRUBBED: "Personal data was scrubbed before anything was written; see *Provenance* for "
                  "the settings.",
    PII_DISABLED: "**Warning: PII scrubbing was switched off for this build (`pii.enabled: false`);"
                  " the text may contain personal data.**",
    PII_NOT_RECORDED: "**Warning: no PII scrubbing is recorded for this build; review the data "
                      "before sharing it.**",
}
_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
          (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]


def size_category(n: int) -> str:
    return next((label for limit, label in _SIZES if n < limit), "n>100M")


def _card_cfg(manifest: Mapping[str, Any]) -> dict[str, Any]:
    return (manifest.get("config") or {}).get("card") or {}


def data_languages(manifest: Mapping[str, Any]) -> list[str]:
    """The languages detected in the written conversations, most conversations first."""
    langs = (manifest.get("counts") or {}).get("languages") or {}
    return sorted(langs, key=lambda lang: (-langs[lang], lang))


def data_files(stats: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``configs[].data_files`` entries: every split with rows, by the files that hold it."""
    out = []
    for split, s in stats["splits"].items():
        if s["records"]:
            files = s["files"]
            out.append({"split": split, "path": files[0] if len(files) == 1 else files})
    return out


def card_metadata(manifest: Mapping[str, Any], stats: Mapping[str, Any]) -> dict[str, Any]:
    cc = _card_cfg(manifest)
    meta: dict[str, Any] = {
        "pretty_name": cc.get("pretty_name") or f"{manifest.get('agent') or 'Convocore'} conversations",
        "license": cc.get("license") or "other",
    }
    if meta["license"] == "other":
        meta["license_name"] = cc.get("license_name") or "proprietary"
        if cc.get("license_link"):
            meta["license_link"] = cc["license_link"]
    meta["language"] = list(cc.get("language") or data_languages(manifest) or ["en"])
    meta["task_categories"] = ["text-generation"]
    target = (manifest.get("config") or {}).get("output", {}).get("target", "messages")
    # "pii-redacted" only when the PII stage reported: a card must not promise what did not run
    redacted = ["pii-redacted"] if stats["pii"]["status"] == PII_SCRUBBED else []
    meta["tags"] = ["conversational", *redacted, "dsbuild", "convocore", target]
    meta["size_categories"] = [size_category(int(stats["records"]))]
    files = data_files(stats)
    if files:
        meta["configs"] = [{"config_name": "default", "data_files": files, "default": True}]
    return meta


def card_body(manifest: Mapping[str, Any], stats: Mapping[str, Any],
              plots: Mapping[str, str] | None = None) -> str:
    """The markdown after the YAML header; ``plots`` maps chart key → path relative to the card."""
    title = card_metadata(manifest, stats)["pretty_name"]
    parts = [f"# {title}", "",
             f"Chat fine-tuning data built by dsbuild from the conversations of "
             f"the Convocore agent `{manifest.get('agent')}`. {_PII_INTRO[stats['pii']['status']]}", "",
             "```python", "from datasets import load_dataset",
             'ds = load_dataset("org/name")  # this Hub repo id, or the path of this directory', "```", ""]
    parts += _provenance(manifest, stats) + [""] + _statistics(stats)
    parts += [""] + train_with(manifest, stats)
    if plots:
        parts += ["", "## Charts", ""]
        for key, title in CHARTS.items():
            if key in plots:
                parts += [f"![{title}]({plots[key]})", ""]
    return "\n".join(parts).rstrip() + "\n"


def _output_cfg(manifest: Mapping[str, Any]) -> tuple[str, str, str]:
    out = (manifest.get("config") or {}).get("output") or {}
    return out.get("target", "messages"), out.get("turns", "all"), out.get("format", "jsonl")


def _has_system(manifest: Mapping[str, Any]) -> bool:
    return bool(((manifest.get("config") or {}).get("convert") or {}).get("system_prompt"))


def _splits_with_rows(stats: Mapping[str, Any]) -> list[str]:
    return [s for s, v in stats["splits"].items() if v["records"]]


def train_with(manifest: Mapping[str, Any], stats: Mapping[str, Any]) -> list[str]:
    """The "Train with" section: per target, the calls and configs that load this output."""
    target, turns, fmt = _output_cfg(manifest)
    train = stats["splits"].get("train") or {}
    return recipes.train_with_section(target, turns, fmt, _splits_with_rows(stats),
                                      train.get("labels"), _has_system(manifest))


def render_card(manifest: Mapping[str, Any], stats: Mapping[str, Any],
                plots: Mapping[str, str] | None = None) -> str:
    header = yaml.safe_dump(card_metadata(manifest, stats), sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n{card_body(manifest, stats, plots)}"


def write_report(out: Path, *, plots: bool = True, counter: TokenCounter | None = None,
                 plotter: PlotWorkers | None = None) -> DatasetStats:
    """Compute the statistics of ``out``, draw the charts into ``out/plots`` (by ``plotter``'s
    helper processes when given) and write the card."""
    manifest = read_manifest(out) or {}
    stats = compute_stats(out, counter)
    links: dict[str, str] = {}
    if plots:
        if plotter is not None:
            plotter.write_plots(stats, out / PLOTS_DIR)
        else:
            from dsbuild.report.plots import write_plots

            write_plots(stats, out / PLOTS_DIR)
        links = {key: f"{PLOTS_DIR}/{chart_file(key)}" for key in CHARTS}
    as_dict = stats.to_dict()
    (out / CARD).write_text(render_card(manifest, as_dict, links), encoding="utf-8")
    target, turns, fmt = _output_cfg(manifest)
    info = recipes.llamafactory_info(target, turns, fmt, _splits_with_rows(as_dict),
                                     _has_system(manifest))
    if info:  # so that LLaMA-Factory's `dataset_dir: OUT` finds the splits
        (out / DATASET_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return stats


def _provenance(m: Mapping[str, Any], stats: Mapping[str, Any]) -> list[str]:
    cfg = m.get("config") or {}
    sel, split = cfg.get("select") or {}, cfg.get("split") or {}
    out, length = cfg.get("output") or {}, cfg.get("length") or {}
    rows: list[tuple[str, Any]] = [
        ("source", f"Convocore agent `{m.get('agent')}`"),
        ("export sha256", _code((m.get("input") or {}).get("sha256"))),
    ]
    window = export_window(m.get("input") or {})
    if window:
        rows.append(("export window", window))
    dated = m.get("conversation_window") or {}
    if dated.get("first"):
        rows.append(("conversations dated", f"{dated['first']} → {dated['last']}"))
    rows += [
        ("feedback labels kept", ", ".join(sel.get("feedback") or []) or "-"),
        ("replies rated negative", sel.get("negative_turns")),
        ("human-agent turns", sel.get("human_turns")),
        ("test conversations", "kept" if sel.get("include_test") else "dropped"),
        ("channels", ", ".join(sel.get("origins") or []) or "all"),
        ("system prompt", "set by config" if (cfg.get("convert") or {}).get("system_prompt") else "from the export"),
        ("max tokens", f"{length['max_tokens']:,}, counted with {stats['token_method']}"
                       if length.get("max_tokens") else "no limit"),
        ("PII", _pii_line(m)),
        ("split", f"{split.get('eval_ratio')} of {split.get('group_by')}s to test, hash seed "
                  f"{m.get('seed', split.get('seed'))}"),
        ("target / format", f"{out.get('target')} / {out.get('format')}"),
        ("dsbuild version", (m.get("versions") or {}).get("dsbuild")),
        ("config sha256", _code(config_digest(cfg)) if cfg else "-"),
        ("built at", m.get("created_at")),
    ]
    lines = ["## Provenance", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {_cell(v)} |" for k, v in rows]
    return lines + ["", f"Every setting is in `{MANIFEST}` next to this card."]


def export_window(source: Mapping[str, Any]) -> str | None:
    """The time range asked of the export API, from the fetches recorded for the cached export
    (``input.fetches[].params`` ``fromTs``/``toTs``; an open end is the start or the fetch time)."""
    fetches = [f for f in source.get("fetches") or [] if isinstance(f, dict)]
    if not fetches:
        return None
    starts = [f.get("params", {}).get("fromTs") for f in fetches]
    ends = [f.get("params", {}).get("toTs") or f.get("finished_at") for f in fetches]
    start = "the first conversation" if None in starts else _when(min(starts))
    known_ends = [e for e in ends if e]
    end = max((_when(e) for e in known_ends), default="the fetch")
    return f"{start} → {end} ({len(fetches)} fetch{'es' if len(fetches) > 1 else ''})"


def _when(v: Any) -> str:
    if isinstance(v, (int, float)):
        dt = parse_epoch(v)
        return dt.isoformat(timespec="seconds") if dt else str(v)
    return str(v)


def _pii_line(m: Mapping[str, Any]) -> str:
    recorded = m.get("pii")
    settings = {**((m.get("config") or {}).get("pii") or {}),
                **(recorded if isinstance(recorded, dict) else {})}
    shown = [f"{k}: {_cell(', '.join(map(str, v)) if isinstance(v, list) else v)}"
             for k, v in settings.items() if k in _PII_SETTINGS and isinstance(v, (str, int, float, list))]
    if not settings:
        return "no PII stage recorded in the manifest"
    pipelines = settings.get("pipelines")
    if isinstance(pipelines, dict) and pipelines:  # which language ran with which NER pipeline
        with_ner = [f"{lang} {name}" for lang, name in pipelines.items() if name]
        without = [lang for lang, name in pipelines.items() if not name]
        shown.append(_cell("NER per language: " + ", ".join(with_ner or ["none"]) + (
            f"; no NER (patterns, cues, names list and lead values only): {', '.join(without)}"
            if without else "")))
    return "; ".join(shown) or "scrubbed (settings in the manifest)"


def _statistics(s: Mapping[str, Any]) -> list[str]:
    splits = s["splits"]
    lines = ["## Statistics", "",
             "Records per split: " + ", ".join(f"{n} **{v['records']:,}**" for n, v in splits.items())
             + f". Tokens: {s['token_method']}.", "",
             "| measure | split | " + " | ".join(DIST_KEYS) + " |",
             "|---|---|" + "---:|" * len(DIST_KEYS)]
    for m in MEASURES:
        for name, v in splits.items():
            lines.append(f"| {MEASURE_LABELS[m]} | {name} | "
                         + " | ".join(fmt_num(v[m][k]) for k in DIST_KEYS) + " |")
    lines += ["", "**Label balance** (feedback of the records)", "", "| split | label | records | share |",
              "|---|---|---:|---:|"]
    for name, v in splits.items():
        for lab, n in v["labels"].items():
            lines.append(f"| {name} | {lab} | {n:,} | {100 * n / (v['records'] or 1):.1f}% |")
    pii = s["pii"]
    lines += ["", "**PII entities replaced**", ""]
    if pii["status"] != PII_SCRUBBED or not pii["entities"]:
        text = pii_summary(pii)
        lines.append(text[0].upper() + text[1:] + ".")
    else:
        lines += ["| by type | count |", "|---|---:|"] + [f"| {k} | {v:,} |" for k, v in pii["entities"].items()]
        lines += ["", "| by source | count |", "|---|---:|"] + [
            f"| {k} | {v:,} |" for k, v in pii["by_source"].items()]
    lines += ["", "**Conversations dropped, by reason**", ""]
    if s["drops"]:
        lines += ["| reason | count |", "|---|---:|"] + [f"| {k} | {v:,} |" for k, v in s["drops"].items()]
    else:
        lines.append("None.")
    return lines


def _code(v: Any) -> str:
    return f"`{v}`" if v else "-"


def _cell(v: Any) -> str:
    return "-" if v is None or v == "" else str(v).replace("|", "\\|").replace("\n", " ")
