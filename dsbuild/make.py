"""``dsbuild make`` as one library call: every check that can fail before quota is spent or
output is written, then the source (file or API), then the build.

The CLI parses flags into a :class:`Config`, calls :func:`make_dataset`, prints the summary and
pushes to the Hub when asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dsbuild.config import Config
from dsbuild.convocore.fetch import DownloadProgress, Window, protect_cache, source_for_make
from dsbuild.errors import UsageError
from dsbuild.pipeline import BuildResult, Progress, build, check_private_files, default_out
from dsbuild.safepaths import check_out_dir
from dsbuild.sinks.hub import check_repo_id, resolve_token
from dsbuild.stages.pii import pii_settings
from dsbuild.stages.pii.settings import missing_pipeline_note

Notify = Callable[[str], None]


def preflight(cfg: Config, api_flags: list[str], notify: Notify) -> None:
    """Fail on what would fail later, before any download or output."""
    pii_settings(cfg)  # a missing NER model stops the run here
    if not cfg.pii.enabled:
        notify("dsbuild: WARNING: pii.enabled is false: messages are written UNSCRUBBED and may"
               " contain personal data")
    if cfg.hub.repo:
        check_repo_id(cfg.hub.repo)
        resolve_token()
    if cfg.input and api_flags:
        raise UsageError(f"--input builds from a file; {', '.join(api_flags)} only apply to the API")
    protect_cache(default_out(cfg), cfg)


def make_dataset(cfg: Config, *, window: Window, from_cache: bool = False,
                 api_flags: list[str] | None = None, overwrite: bool = False,
                 quarantine: Path | None = None, quiet: bool = False,
                 progress: Progress | None = None,
                 download_progress: DownloadProgress | None = None,
                 notify: Notify = lambda line: None) -> BuildResult:
    """Build ``cfg``'s dataset from ``cfg.input`` or, without one, from the Convocore API."""
    preflight(cfg, api_flags or [], notify)
    source = None
    if not cfg.input:
        # before spending export quota
        check_out_dir(default_out(cfg), overwrite=overwrite, cache_dir=Path(cfg.source.cache_dir))
        check_private_files(cfg, default_out(cfg), quarantine)
        source = source_for_make(cfg, window, from_cache=from_cache, progress=download_progress,
                                 notify=notify, quiet=quiet)
    result = build(cfg, overwrite=overwrite, quarantine=quarantine, progress=progress, source=source)
    note = missing_pipeline_note(pii_settings(cfg), result.stats.section("languages"))
    if note:  # once per run, whatever the number of workers
        notify(note)
    return result
