"""``dsbuild make`` as a library call: export file → output directory.

The driver streams: the engine yields processed batches in input order; the driver does the
global steps (quarantine, exact dedup, split) and writes each row as it comes, so memory does
not grow with the dataset beyond the parsed export and the dedup digests.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from dsbuild.config import Config
from dsbuild.convocore.export_file import BadItem
from dsbuild.convocore.source import RawSource, source_from_file
from dsbuild.engines.local import run_local
from dsbuild.errors import UsageError
from dsbuild.hashing import config_digest
from dsbuild.process import ConversationProcessor, Outcome
from dsbuild.records import ChatRecord, Dropped
from dsbuild.sinks.card import write_report
from dsbuild.sinks.jsonl import JsonlWriter
from dsbuild.sinks.layout import MANIFEST, SPLITS, split_file
from dsbuild.sinks.manifest import write_manifest
from dsbuild.sinks.outdir import AtomicOutputDir, check_target, write_private_file
from dsbuild.sinks.storage import convert_splits, describe_files
from dsbuild.stages.dedup import ExactDedup
from dsbuild.stages.pii import pii_manifest, pii_settings
from dsbuild.stages.pii.review import check_review_path, review_line
from dsbuild.stages.length import REASON as TOO_LONG
from dsbuild.stages.length import length_filter
from dsbuild.stages.split import assign_split
from dsbuild.stats import Stats
from dsbuild.targets import RenderOptions, Target, get_target
from dsbuild.targets.check_output import check_written
from dsbuild.targets.recipes import count_labels, kto_weights

Progress = Callable[[int], None]


@dataclass
class BuildResult:
    out: Path
    stats: Stats
    rows: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        s = self.stats
        return {
            "conversations_read": s.get("conversations", "read"),
            "dropped": s.section("dropped"),
            "duplicates": s.get("conversations", "duplicate"),
            "kept": s.get("conversations", "kept"),
            "records": dict(self.rows),
            # conversations written, per detected language; and those that looked like a
            # language outside pii.languages (they were handled as the closest configured one)
            "languages": s.section("languages"),
            "languages_other": s.section("languages_other"),
        }


def default_out(cfg: Config) -> Path:
    if cfg.out:
        return Path(cfg.out)
    if not cfg.agent:
        raise UsageError("--agent is required (it names the dataset and the default --out)")
    return Path("data") / cfg.agent


def _quarantine_line(d: Dropped) -> bytes:
    doc = {"reason": d.reason, "item": d.item.raw if isinstance(d.item, BadItem) else d.item}
    try:
        return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS, default=str)
    except TypeError:
        # Raw items may hold lone surrogates (valid JSON escapes, invalid UTF-8): keep them escaped.
        return (json.dumps(doc, ensure_ascii=True, default=str) + "\n").encode("ascii")


def build(cfg: Config, *, overwrite: bool = False, quarantine: Path | None = None,
          progress: Progress | None = None, source: RawSource | None = None) -> BuildResult:
    """Build from ``source`` (e.g. the cached API export) or, by default, the ``--input`` file."""
    if source is None and not cfg.input:
        raise UsageError("--input FILE is required when no fetched export is given")
    out = default_out(cfg)
    check_target(out, overwrite)
    if source is None:
        source = source_from_file(Path(cfg.input or ""))
    items = source.items

    pii = pii_settings(cfg)  # fails here, before any output, if the NER model is missing
    review_path = check_review_path(cfg.pii.review, out) if pii else None
    reviews: list[bytes] = []
    stats = Stats()
    processor = ConversationProcessor(cfg, pii)
    target = get_target(cfg.output.target)
    opts = RenderOptions(turns=cfg.output.turns)
    dedup = ExactDedup()
    quarantined: list[bytes] = []
    rows = dict.fromkeys(SPLITS, 0)
    length = length_filter(cfg.length)
    dates: list[str] = []  # first and last conversation date of the kept records
    batches = _run_engine(cfg, processor, items)

    with AtomicOutputDir(out, overwrite) as tmp:
        writers = {s: JsonlWriter(tmp / split_file(s, "jsonl")) for s in SPLITS}
        try:
            for outcomes, batch_stats in batches:
                stats += batch_stats
                for outcome in outcomes:
                    stats.add("conversations", "read")
                    if isinstance(outcome, Dropped):
                        stats.add("dropped", outcome.reason)
                        if quarantine is not None:
                            quarantined.append(_quarantine_line(outcome))
                        continue
                    if outcome.review and len(reviews) < cfg.pii.review_size:
                        reviews.append(review_line(outcome))
                    outcome.review = None
                    if length is not None and length.too_long(outcome):
                        stats.add("dropped", TOO_LONG)
                        continue
                    if _emit(outcome, cfg, dedup, stats, writers, target, opts) and outcome.ts:
                        day = outcome.ts.date().isoformat()
                        dates[:] = [min(dates[0], day), max(dates[1], day)] if dates else [day, day]
                if progress:
                    progress(stats.get("conversations", "read"))
        finally:
            for w in writers.values():
                w.close()
        for s, w in writers.items():
            rows[s] = w.rows
        if rows["train"] + rows["test"] == 0:
            stats.add("warnings", "empty_dataset")
        check_written(tmp, target)
        kto = kto_weights(*count_labels(tmp / split_file("train", "jsonl"))) \
            if target.name == "kto" else None
        if rows["train"] + rows["test"]:
            for s in SPLITS:  # an empty split has no file: `load_dataset(OUT)` would choke on it
                if not rows[s]:
                    (tmp / split_file(s, "jsonl")).unlink()
        convert_splits(tmp, cfg.output.format, target, opts)
        write_manifest(tmp / MANIFEST, {
            "agent": cfg.agent,
            "input": source.info,
            "seed": cfg.split.seed,
            "config": cfg.public_dict(),
            "pii": pii_manifest(pii),
            "config_sha256": config_digest(cfg.public_dict()),
            "conversation_window": {"first": dates[0], "last": dates[1]} if dates else None,
            "counts": BuildResult(out, stats, rows).counts(),
            "stats": stats.as_dict(),
            "files": describe_files(tmp, cfg.output.format, rows),
            **({"kto_weights": kto} if target.name == "kto" else {}),
        })
        write_report(tmp, plots=cfg.card.plots, counter=length.counter if length else None)
        if quarantine is not None:
            write_private_file(quarantine, b"".join(quarantined))
        if review_path is not None:
            write_private_file(review_path, b"".join(reviews))
    return BuildResult(out, stats, rows)


def _run_engine(cfg: Config, processor: ConversationProcessor,
                items: Iterable[Any]) -> Iterator[tuple[list[Outcome], Stats]]:
    if cfg.engine == "ray":
        from dsbuild.engines import ray_engine  # Ray is optional: imported only when asked for

        ray_engine.import_ray()  # fail before any output exists
        return ray_engine.run_ray(processor, items, cfg.ray)
    return run_local(processor, items, workers=cfg.workers)


def _emit(record: ChatRecord, cfg: Config, dedup: ExactDedup, stats: Stats,
          writers: dict[str, JsonlWriter], target: Target, opts: RenderOptions) -> bool:
    """Dedup, split and write one record; True if it was kept."""
    if not dedup.is_new(record):
        stats.add("conversations", "duplicate")
        return False
    rows = target.render(record, opts)
    if not rows:  # e.g. kto: no rated reply; counted, never silently lost
        stats.add("dropped", target.no_rows_reason)
        return False
    stats.add("conversations", "kept")
    if record.language:
        stats.add("languages", record.language)
    record.split = assign_split(record, cfg.split)
    for row in rows:
        writers[record.split].write(row)
    return True


def stderr_progress(quiet: bool) -> Progress | None:
    if quiet or not sys.stderr.isatty():
        return None

    def show(n: int) -> None:
        sys.stderr.write(f"\rprocessed {n:,} conversations")
        sys.stderr.flush()

    return show
