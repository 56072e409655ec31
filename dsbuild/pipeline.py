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
from dsbuild.convocore.versions import Versions
from dsbuild.counters import RunCounters
from dsbuild.engines.local import run_local
from dsbuild.errors import UsageError
from dsbuild.fs import remove_stale_temps
from dsbuild.process import ConversationProcessor, Outcome
from dsbuild.report.plot_workers import plot_workers
from dsbuild.safepaths import check_agent_id, check_out_dir, check_private_file
from dsbuild.sinks.outdir import AtomicOutputDir
from dsbuild.stages.length import length_filter
from dsbuild.stages.pii import pii_settings
from dsbuild.stages.pii.taken import LeadNumbers
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
    if cfg.agent:
        check_agent_id(cfg.agent)  # an id, not a path: data/<agent> never leaves data/
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
    check_out_dir(out, overwrite=overwrite, input_path=Path(cfg.input) if cfg.input else None,
                  cache_dir=Path(cfg.source.cache_dir))
    quarantine, review_path = check_private_files(cfg, out, quarantine)
    if source is None:
        source = source_from_path(Path(cfg.input or ""))
    state = _prepare(cfg, out, source, quarantine, review_path, progress)
    with plot_workers(cfg.card.plots) as state.plotter:  # matplotlib loads while the build runs
        _build(cfg, out, source, state, overwrite)
    return BuildResult(out, state.counters, state.rows)


def _build(cfg: Config, out: Path, source: RawSource, state: BuildState, overwrite: bool) -> None:
    processor = ConversationProcessor(cfg, state.pii)
    if cfg.engine == "local":  # Ray's actors start their own
        processor.start_helpers()  # while the export's ids are read and spaCy loads
    for step in processor.steps:  # listed first in the manifest: they run first, in the engine
        state.counters.step(step.name)
    # the first pass: the same id twice (the later version wins), and, where fakes are drawn,
    # every lead's numbers, which no fake may be (stages/pii/taken.py)
    leads = LeadNumbers() if state.pii is not None and state.pii.style == "surrogate" else None
    versions = Versions(source.read, leads.add if leads is not None else None)
    if leads is not None:
        processor.learn_export(leads.taken())
    items = versions.items()
    batches = _run_engine(cfg, processor, items)
    remove_stale_temps(out)  # what a killed run of this OUT left
    atomic = AtomicOutputDir(out, overwrite)
    with atomic as tmp, private_sinks(state, claim=atomic.claim):
        state.tmp = tmp
        run_steps(build_steps(), batches, state)


def check_private_files(cfg: Config, out: Path,
                        quarantine: Path | None) -> tuple[Path | None, Path | None]:
    """The resolved ``--quarantine`` and ``--pii-review`` files, refused when they would
    destroy the input, the cache or a user's file, or land inside the output."""
    inp = Path(cfg.input) if cfg.input else None
    cache = Path(cfg.source.cache_dir)
    q = (check_private_file(quarantine, option="--quarantine", out=out, input_path=inp,
                            cache_dir=cache) if quarantine else None)
    r = (check_private_file(Path(cfg.pii.review), option="--pii-review", out=out, input_path=inp,
                            cache_dir=cache) if cfg.pii.review else None)
    if q is not None and q == r:
        raise UsageError("--quarantine and --pii-review: name the same file; give two files")
    return q, r


def _prepare(cfg: Config, out: Path, source: RawSource, quarantine: Path | None,
             review: Path | None, progress: Progress | None) -> BuildState:
    """Everything that can fail before output exists: the NER model, the tokenizer."""
    pii = pii_settings(cfg)  # fails here, before any output, if the NER model is missing
    return BuildState(
        cfg=cfg, out=out, source_info=source.info, pii=pii,
        review_path=review if pii else None,
        quarantine_path=quarantine, target=get_target(cfg.output.target),
        opts=RenderOptions(turns=cfg.output.turns), length=length_filter(cfg.length), progress=progress)


def _run_engine(cfg: Config, processor: ConversationProcessor,
                items: Iterable[Any]) -> Iterator[tuple[list[Outcome], RunCounters]]:
    if cfg.engine == "ray":
        from dsbuild.engines import ray_engine  # Ray is optional: imported only when asked for

        ray_engine.import_ray()  # fail before any output exists
        return ray_engine.run_ray(processor, items, cfg.ray)
    return run_local(processor, items, workers=cfg.workers)
