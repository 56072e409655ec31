"""The build's driver steps, after the per-conversation ones (datatrove's ``PipelineStep`` is the model).

A :class:`Step` has a name and two phases, both optional: :meth:`Step.run` maps the stream of
outcomes to a new stream (a generator: dropping, counting, rewriting records), and
:meth:`Step.finish` runs once the stream is exhausted (validate, convert, manifest, card).
:func:`run_steps` chains them, gives each its own counters and measures each one's wall time
(a stream step's time excludes the steps before it); then :meth:`Step.seal`, untimed, lets the
manifest record every step's time, the steps after it included. What the steps share is
:class:`BuildState`. The order lives in :func:`dsbuild.pipeline.build_steps`.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from dsbuild.config import Config
from dsbuild.convocore.export_file import BadItem
from dsbuild.counters import RunCounters, StepCounters
from dsbuild.fs import private_writer
from dsbuild.hashing import config_digest
from dsbuild.interrupt import raise_caught
from dsbuild.process import Outcome
from dsbuild.records import ChatRecord, Dropped
from dsbuild.report.plot_workers import PlotWorkers
from dsbuild.sinks.card import write_report
from dsbuild.sinks.jsonl import JsonlWriter
from dsbuild.sinks.layout import MANIFEST, SPLITS, split_file
from dsbuild.sinks.manifest import manifest_doc, write_manifest
from dsbuild.sinks.storage import convert_splits, describe_files
from dsbuild.stages.dedup import ExactDedup
from dsbuild.stages.length import REASON as TOO_LONG
from dsbuild.stages.length import LengthFilter
from dsbuild.stages.pii import pii_manifest
from dsbuild.stages.pii.review import review_line
from dsbuild.stages.pii.settings import PiiSettings
from dsbuild.stages.split import assign_split
from dsbuild.targets import RenderOptions, Row, Target
from dsbuild.targets.check_output import check_written
from dsbuild.targets.recipes import count_labels, kto_weights

Batches = Iterable[tuple[list[Outcome], RunCounters]]


@dataclass
class BuildState:
    """What the steps of one build share: settings in, results out."""

    cfg: Config
    out: Path
    source_info: dict[str, Any]
    pii: PiiSettings | None
    review_path: Path | None
    quarantine_path: Path | None
    target: Target
    opts: RenderOptions
    length: LengthFilter | None
    progress: Callable[[int], None] | None = None
    tmp: Path = Path()  # the directory being built (set once it exists)
    counters: RunCounters = field(default_factory=RunCounters)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SPLITS, 0))
    kto_weights: dict[str, Any] | None = None  # TRL's recommended weights (kto target)
    dates: list[str] = field(default_factory=list)  # first and last day of the kept records
    # ``--quarantine`` / ``--pii-review``, written as they come (see :func:`private_sinks`)
    quarantine: BinaryIO | None = None
    review: BinaryIO | None = None
    reviews: int = 0
    manifest: dict[str, Any] | None = None  # as written by the manifest step
    plotter: PlotWorkers | None = None  # helper processes that draw the card's charts


class Step:
    name = "step"

    def run(self, stream: Iterator[Any], state: BuildState, tally: StepCounters) -> Iterator[Any]:
        return stream

    def finish(self, state: BuildState, tally: StepCounters) -> None:
        """After the stream is exhausted."""

    def seal(self, state: BuildState) -> None:
        """After every step finished and was timed; not timed itself."""


def run_counts(counters: RunCounters, rows: dict[str, int]) -> dict[str, Any]:
    """The headline counts of a run (manifest ``counts``, the summary table)."""
    return {
        "conversations_read": counters.get("conversations", "read"),
        "dropped": counters.section("dropped"),
        "duplicates": counters.get("conversations", "duplicate"),
        "kept": counters.get("conversations", "kept"),
        "records": dict(rows),
        # conversations written, per detected language; and those that looked like a
        # language outside pii.languages (they were handled as the closest configured one)
        "languages": counters.section("languages"),
        "languages_other": counters.section("languages_other"),
    }


class _Clock:
    """Wall time spent inside ``next()`` of one generator, upstream steps included."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, stream: Iterator[Any]) -> Iterator[Any]:
        while True:
            start = time.perf_counter()
            try:
                item = next(stream)
            except StopIteration:
                self.seconds += time.perf_counter() - start
                return
            self.seconds += time.perf_counter() - start
            yield item


def run_steps(steps: list[Step], batches: Batches, state: BuildState) -> None:
    """Stream ``batches`` through every step's ``run``, then call every ``finish`` in order."""
    stream: Iterator[Any] = iter([batches])
    clocks: list[tuple[Step, StepCounters, _Clock]] = []
    for step in steps:
        tally = state.counters.step(step.name)
        clock = _Clock()
        stream = clock.wrap(iter(step.run(stream, state, tally)))
        clocks.append((step, tally, clock))
    for _ in stream:  # the last stream step consumes everything; nothing should reach here
        pass
    raise_caught()  # a signal a finaliser swallowed ends the build before anything is finished
    upstream = 0.0
    for _step, tally, clock in clocks:
        tally.add_seconds(max(0.0, clock.seconds - upstream))
        upstream = clock.seconds
    for step, tally, _clock in clocks:
        start = time.perf_counter()
        step.finish(state, tally)
        tally.add_seconds(time.perf_counter() - start)
    raise_caught()
    for step in steps:
        step.seal(state)


# --- stream steps -----------------------------------------------------------------------------

class Engine(Step):
    """Outcomes of the per-conversation steps, batch by batch; merges the workers' counters."""

    name = "engine"

    def run(self, stream: Iterator[Any], state: BuildState, tally: StepCounters) -> Iterator[Any]:
        for batches in stream:
            for outcomes, batch_counters in batches:
                raise_caught()  # between batches: see dsbuild.interrupt
                state.counters += batch_counters
                for outcome in outcomes:
                    tally.add("conversations", "read")
                    yield outcome
                if state.progress:
                    state.progress(state.counters.get("conversations", "read"))


def quarantine_line(d: Dropped) -> bytes:
    doc = {"reason": d.reason, "item": d.item.raw if isinstance(d.item, BadItem) else d.item}
    try:
        return orjson.dumps(doc, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS, default=str)
    except TypeError:
        # Raw items may hold lone surrogates (valid JSON escapes, invalid UTF-8): keep them escaped.
        return (json.dumps(doc, ensure_ascii=True, default=str) + "\n").encode("ascii")


class Quarantine(Step):
    """Counts each dropped conversation by reason (and keeps it raw for ``--quarantine``)."""

    name = "quarantine"

    def run(self, stream: Iterator[Any], state: BuildState, tally: StepCounters) -> Iterator[Any]:
        for outcome in stream:
            if isinstance(outcome, Dropped):
                tally.add("dropped", outcome.reason)
                if state.quarantine is not None:
                    state.quarantine.write(quarantine_line(outcome))
                continue
            yield outcome


class Review(Step):
    """The ``--pii-review`` sample: the first records that had something replaced."""

    name = "review"

    def run(self, stream: Iterator[ChatRecord], state: BuildState,
            tally: StepCounters) -> Iterator[ChatRecord]:
        for record in stream:
            if record.review and state.reviews < state.cfg.pii.review_size:
                state.reviews += 1
                if state.review is not None:
                    state.review.write(review_line(record))
            record.review = None  # the before/after text goes no further
            yield record


class LengthLimit(Step):
    name = "length"

    def run(self, stream: Iterator[ChatRecord], state: BuildState,
            tally: StepCounters) -> Iterator[ChatRecord]:
        for record in stream:
            if state.length is not None and state.length.too_long(record):
                tally.add("dropped", TOO_LONG)
                continue
            yield record


class Dedup(Step):
    """Exact duplicates (identical messages): the first one wins."""

    name = "dedup"

    def run(self, stream: Iterator[ChatRecord], state: BuildState,
            tally: StepCounters) -> Iterator[ChatRecord]:
        dedup = ExactDedup()
        for record in stream:
            if dedup.is_new(record):
                yield record
            else:
                tally.add("conversations", "duplicate")


class Render(Step):
    """The target's rows of each record; a record with none (kto: no rated reply) is a drop."""

    name = "render"

    def run(self, stream: Iterator[ChatRecord], state: BuildState,
            tally: StepCounters) -> Iterator[tuple[ChatRecord, list[Row]]]:
        for record in stream:
            rows = state.target.render(record, state.opts)
            if not rows:  # counted, never silently lost
                tally.add("dropped", state.target.no_rows_reason)
                continue
            tally.add("conversations", "kept")
            if record.language:
                tally.add("languages", record.language)
            yield record, rows


class Split(Step):
    name = "split"

    def run(self, stream: Iterator[tuple[ChatRecord, list[Row]]], state: BuildState,
            tally: StepCounters) -> Iterator[tuple[ChatRecord, list[Row]]]:
        for record, rows in stream:
            record.split = assign_split(record, state.cfg.split)
            yield record, rows


class Write(Step):
    """Appends rows to ``train.jsonl`` / ``test.jsonl`` as they come; records the date window."""

    name = "write"

    def run(self, stream: Iterator[tuple[ChatRecord, list[Row]]], state: BuildState,
            tally: StepCounters) -> Iterator[Any]:
        writers = {s: JsonlWriter(state.tmp / split_file(s, "jsonl")) for s in SPLITS}
        try:
            for record, rows in stream:
                split = record.split
                assert split is not None  # the split step set it
                for row in rows:
                    writers[split].write(row)
                if record.ts:
                    day = record.ts.date().isoformat()
                    d = state.dates
                    d[:] = [min(d[0], day), max(d[1], day)] if d else [day, day]
        finally:
            for w in writers.values():
                w.close()
        state.rows.update({s: w.rows for s, w in writers.items()})
        if sum(state.rows.values()) == 0:
            tally.add("warnings", "empty_dataset")
        yield from ()


# --- finishing steps --------------------------------------------------------------------------

class Validate(Step):
    """The target's rules over what was written, before anything is renamed into place."""

    name = "validate"

    def finish(self, state: BuildState, tally: StepCounters) -> None:
        check_written(state.tmp, state.target)
        if state.target.name == "kto":
            state.kto_weights = kto_weights(*count_labels(state.tmp / split_file("train", "jsonl")))
        if sum(state.rows.values()):
            for s in SPLITS:  # an empty split has no file: `load_dataset(OUT)` would choke on it
                if not state.rows[s]:
                    (state.tmp / split_file(s, "jsonl")).unlink()


class ConvertFormat(Step):
    name = "convert_format"

    def finish(self, state: BuildState, tally: StepCounters) -> None:
        convert_splits(state.tmp, state.cfg.output.format, state.target, state.opts)


class Manifest(Step):
    """``manifest.json``, written for the card; rewritten once every step's time is known."""

    name = "manifest"

    def finish(self, state: BuildState, tally: StepCounters) -> None:
        cfg, c, dates = state.cfg, state.counters, state.dates
        state.manifest = manifest_doc({
            "agent": cfg.agent,
            "input": state.source_info,
            "seed": cfg.split.seed,
            "config": cfg.public_dict(),
            "pii": pii_manifest(state.pii),
            "config_sha256": config_digest(cfg.public_dict()),
            "conversation_window": {"first": dates[0], "last": dates[1]} if dates else None,
            "counts": run_counts(c, state.rows),
            "stats": c.as_dict(),
            "files": describe_files(state.tmp, cfg.output.format, state.rows),
            "steps": c.steps(),
            **({"kto_weights": state.kto_weights} if state.target.name == "kto" else {}),
        })
        write_manifest(state.tmp / MANIFEST, state.manifest)

    def seal(self, state: BuildState) -> None:
        """The steps' times, this one's and those after it (card, private files) included."""
        assert state.manifest is not None  # written by finish
        state.manifest["steps"] = state.counters.steps()
        write_manifest(state.tmp / MANIFEST, state.manifest)


class Card(Step):
    """The dataset card ``README.md`` and its charts."""

    name = "card"

    def finish(self, state: BuildState, tally: StepCounters) -> None:
        write_report(state.tmp, plots=state.cfg.card.plots,
                     counter=state.length.counter if state.length else None, plotter=state.plotter)


class PrivateFiles(Step):
    """``--quarantine`` and ``--pii-review``: raw text, mode 0600, outside the output.

    Both are streamed to hidden temporary files as the conversations come (no list holds
    them); :func:`private_sinks` renames them into place when the build succeeds.
    """

    name = "private_files"

    def finish(self, state: BuildState, tally: StepCounters) -> None:
        for f in (state.quarantine, state.review):
            if f is not None:
                f.flush()


@contextlib.contextmanager
def private_sinks(state: BuildState, claim: Callable[[Path], None]) -> Iterator[None]:
    """Open the quarantine and review files of ``state`` for the build; complete or nothing.
    ``claim`` records each one first, so that a killed run's temporaries are found again
    (:meth:`dsbuild.fs.AtomicDir.claim`)."""
    with contextlib.ExitStack() as files:
        if state.quarantine_path is not None:
            claim(state.quarantine_path)
            state.quarantine = files.enter_context(private_writer(state.quarantine_path))
        if state.review_path is not None:
            claim(state.review_path)
            state.review = files.enter_context(private_writer(state.review_path))
        yield
