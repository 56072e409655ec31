"""``dsbuild make`` as a library call: export → output directory, as a list of named steps.

The per-conversation steps (parse → select → convert → PII, :mod:`dsbuild.process`) run inside
the engine, in batches, in this process or in workers. The driver streams their outcomes through
the build steps of :func:`build_steps` (quarantine, review sample, length, dedup, render, split,
write) and then runs the finishing ones (validate, convert format, manifest, card, private files).
Each step has a name, its own counters and its wall time; the manifest (``steps``) and the summary
show them. Memory does not grow with the dataset beyond the dedup digests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsbuild.config import Config
from dsbuild.convocore.source import RawSource, source_from_path
from dsbuild.counters import RunCounters
from dsbuild.engines.local import run_local
from dsbuild.errors import UsageError
from dsbuild.process import ConversationProcessor, Outcome
from dsbuild.sinks.outdir import AtomicOutputDir, check_target
from dsbuild.stages.length import length_filter
from dsbuild.stages.pii import pii_settings
from dsbuild.stages.pii.review import check_review_path
from dsbuild.steps import (
    BuildState,
    Card,
    ConvertFormat,
    Dedup,
    Engine,
    LengthLimit,
    Manifest,
    PrivateFiles,
    Quarantine,
    Render,
    Review,
    Split,
    Step,
    Validate,
    Write,
    private_sinks,
    run_counts,
    run_steps,
)
from dsbuild.targets import RenderOptions, get_target

Progress = Callable[[int], None]


@dataclass
class BuildResult:
    out: Path
    stats: RunCounters
    rows: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        return run_counts(self.stats, self.rows)


def default_out(cfg: Config) -> Path:
    if cfg.out:
        return Path(cfg.out)
    if not cfg.agent:
        raise UsageError("--agent is required (it names the dataset and the default --out)")
    return Path("data") / cfg.agent


def build_steps() -> list[Step]:
    """The driver's steps, in order: the one list to edit to add a step."""
    return [Engine(), Quarantine(), Review(), LengthLimit(), Dedup(), Render(), Split(), Write(),
            Validate(), ConvertFormat(), Manifest(), Card(), PrivateFiles()]


def build(cfg: Config, *, overwrite: bool = False, quarantine: Path | None = None,
          progress: Progress | None = None, source: RawSource | None = None) -> BuildResult:
    """Build from ``source`` (e.g. the cached API export) or, by default, the ``--input`` file."""
    if source is None and not cfg.input:
        raise UsageError("--input FILE is required when no fetched export is given")
    out = default_out(cfg)
    check_target(out, overwrite)
    if source is None:
        source = source_from_path(Path(cfg.input or ""))
    state = _prepare(cfg, out, source, quarantine, progress)
    processor = ConversationProcessor(cfg, state.pii)
    for step in processor.steps:  # listed first in the manifest: they run first, in the engine
        state.counters.step(step.name)
    batches = _run_engine(cfg, processor, source.items)
    with AtomicOutputDir(out, overwrite) as tmp, private_sinks(state):
        state.tmp = tmp
        run_steps(build_steps(), batches, state)
    return BuildResult(out, state.counters, state.rows)


def _prepare(cfg: Config, out: Path, source: RawSource, quarantine: Path | None,
             progress: Progress | None) -> BuildState:
    """Everything that can fail before output exists: the NER model, the review path, the tokenizer."""
    pii = pii_settings(cfg)  # fails here, before any output, if the NER model is missing
    return BuildState(
        cfg=cfg, out=out, source_info=source.info, pii=pii,
        review_path=check_review_path(cfg.pii.review, out) if pii else None,
        quarantine_path=quarantine, target=get_target(cfg.output.target),
        opts=RenderOptions(turns=cfg.output.turns), length=length_filter(cfg.length), progress=progress)


def _run_engine(cfg: Config, processor: ConversationProcessor,
                items: Iterable[Any]) -> Iterator[tuple[list[Outcome], RunCounters]]:
    if cfg.engine == "ray":
        from dsbuild.engines import ray_engine  # Ray is optional: imported only when asked for

        ray_engine.import_ray()  # fail before any output exists
        return ray_engine.run_ray(processor, items, cfg.ray)
    return run_local(processor, items, workers=cfg.workers)
