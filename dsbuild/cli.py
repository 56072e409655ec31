"""The ``dsbuild`` command line: parse flags, call the library, print summaries.

Errors a user can cause print one line and exit with the code from :mod:`dsbuild.errors`;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import atexit
import functools
import gc
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from dsbuild import __version__
from dsbuild.cli_progress import build_progress, download_progress
from dsbuild.config import flag_specs, load_config
from dsbuild.convocore.fetch import Window, fetch_to_cache
from dsbuild.errors import DsbuildError
from dsbuild.interrupt import Terminated, terminate_raises
from dsbuild.make import make_dataset
from dsbuild.pipeline import BuildResult
from dsbuild.sinks.hub import PushOptions
from dsbuild.sinks.hub import push as push_to_hub
from dsbuild.summary import format_summary
from dsbuild.targets import TARGETS

F = TypeVar("F", bound=Callable[..., Any])

# At exit, the cycle collector would walk every object a build leaves (the spaCy pipelines,
# Presidio's registry, Lingua's models) just before the process ends: ~0.4 s of the demo's wall
# time. Frozen objects are not walked; what reference counting frees at exit is still finalised,
# files are still flushed and closed, every atexit handler still runs.
atexit.register(gc.freeze)


def _fail(message: str, code: int) -> None:
    click.echo(f"dsbuild: error: {message}", err=True)
    sys.exit(code)


def handle_errors(fn: F) -> F:
    """Turn library errors into one line and an exit code, unless ``--debug``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False)
        try:
            with terminate_raises():  # SIGTERM unwinds like Ctrl-C: temporaries are removed
                return fn(*args, **kwargs)
        except DsbuildError as exc:
            if debug:
                traceback.print_exc()  # and still exit with the error's own code
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; the partial output was removed", 130)
        except Terminated:
            _fail("terminated; the partial output was removed", Terminated.exit_code)
        except Exception as exc:  # a bug: say so, briefly
            if debug:
                raise
            _fail(f"unexpected {type(exc).__name__}: {str(exc)[:200]} (a bug; rerun with --debug"
                  " and report it)", 1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dsbuild")
def main() -> None:
    """Turn a Convocore agent's conversations into fine-tuning datasets."""


# --- options: the config fields a command offers, and the few that are the command's own ---------

_CLICK_TYPES: dict[Any, Any] = {int: int, float: float, str: str}
_PATHS = {"file": click.Path(dir_okay=False), "dir": click.Path(file_okay=False), "any": click.Path()}


def config_options(command: str) -> Callable[[F], F]:
    """The flags of ``command`` that set a config field, generated from the config models
    (:func:`dsbuild.config.flag_specs`): help, choices and the default shown come from the field.
    A flag not given is None, so a config file and the environment still apply."""
    def decorate(fn: F) -> F:
        for spec in reversed(flag_specs(command)):
            kind: Any = click.Choice(spec.choices) if spec.choices else _CLICK_TYPES.get(spec.annotation, str)
            if spec.path:
                kind = _PATHS[spec.path]
            if spec.switch:
                fn = click.option(spec.flag, spec.param, is_flag=True, help=spec.help)(fn)
            else:
                fn = click.option(spec.flag, spec.param, type=kind, metavar=spec.metavar,
                                  required=spec.required, help=spec.help)(fn)
        return fn
    return decorate


def config_overrides(command: str, values: dict[str, Any]) -> dict[str, Any]:
    """Dotted config keys for what ``command``'s generated flags were given."""
    specs = {s.param: s for s in flag_specs(command)}
    return {s.key: s.override(values[p]) for p, s in specs.items() if p in values}


def source_overrides(region: str | None, api_base: str | None) -> dict[str, Any]:
    # An explicit --region beats CONVOCORE_API_BASE from the environment.
    return {"source.region": region,
            "source.api_base": api_base if api_base is not None else ("" if region else None)}


def _options(*options: Callable[[F], F]) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        for o in reversed(options):
            fn = o(fn)
        return fn
    return decorate


# Options that are no config field, each defined here once for every command that has it.
config_file_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    help="YAML config file (see configs/default.yaml); flags override it.")
debug_option = click.option("--debug", is_flag=True, help="Show tracebacks.")
window_options = _options(
    click.option("--since", help="Only conversations from this time: a date, ISO time or Unix"
                 " seconds (sent as fromTs)."),
    click.option("--until", help="Only conversations up to this time (a date includes the"
                 " whole day; sent as toTs)."),
    click.option("--incremental", is_flag=True, help="Fetch only conversations newer than the"
                 " cached export and merge them into it (the newer copy wins)."))


def quiet_option(prints: str) -> Callable[[F], F]:
    return click.option("--quiet", "-q", is_flag=True, help=f"Print only {prints}.")


@main.command()
@config_options("make")
@config_file_option
@click.option("--quarantine", type=click.Path(dir_okay=False, path_type=Path),
              help="Write skipped conversations (raw, may hold PII; mode 0600) to this JSONL file.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty output directory.")
@window_options
@click.option("--from-cache", is_flag=True, help="Build from the newest cached export, without"
              " any request (see dsbuild fetch).")
@quiet_option("the output path")
@debug_option
@handle_errors
def make(config_file: Path | None, quarantine: Path | None, overwrite: bool, since: str | None,
         until: str | None, incremental: bool, from_cache: bool, quiet: bool, debug: bool,
         **options: Any) -> None:
    """Build a train/test chat dataset from an agent's conversations.

    Without --input, downloads the agent's export from the Convocore API first (key from
    CONVOCORE_API_KEY) and caches it under data/raw/<agent>/; --from-cache reuses that cache.
    """
    region, api_base = options["source__region"], options["source__api_base"]
    api_flags = [f for f, on in (("--from-cache", from_cache), ("--incremental", incremental),
                                ("--since", since), ("--until", until), ("--region", region),
                                ("--api-base", api_base)) if on]
    cfg = load_config(config_file, {**config_overrides("make", options),
                                    **source_overrides(region, api_base)})
    assert cfg.agent is not None  # --agent is required
    bar = build_progress(quiet)
    try:
        result: BuildResult = make_dataset(
            cfg, window=Window(since, until, incremental), from_cache=from_cache,
            api_flags=api_flags, overwrite=overwrite, quarantine=quarantine, quiet=quiet,
            progress=bar, download_progress=download_progress(cfg.agent, quiet), notify=_note)
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        click.echo(format_summary(result))
    if cfg.pii.review and cfg.pii.enabled:
        click.echo(f"dsbuild: warning: {cfg.pii.review} contains personal data (before/after PII"
                   " sample); delete it after review", err=True)
    click.echo(str(result.out))
    h = cfg.hub
    if h.repo:
        _push_and_report(result.out, PushOptions(h.repo, h.private, h.revision, h.create_pr,
                                                 h.commit_message), quiet, after_make=True)


# --- dsbuild push -------------------------------------------------------------------------------

def _push_and_report(out: Path, opts: PushOptions, quiet: bool, after_make: bool = False) -> None:
    def warn(msg: str) -> None:
        click.echo(f"dsbuild: warning: {msg}", err=True)

    try:
        res = push_to_hub(out, opts, warn=warn)
    except DsbuildError as exc:
        if not after_make:
            raise
        exc.args = (f"{exc} (the local output in {out} is complete; retry with"
                    f" `dsbuild push {out} --repo {opts.repo}`)",)
        raise
    if not quiet:
        rows = ", ".join(f"{s} {n:,}" for s, n in res.rows.items())
        state = "created" if res.created else "updated"
        click.echo(f"dsbuild push: {state} {res.repo} ({rows} rows)")
    click.echo(res.pr_url or res.commit_url)


@main.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@config_options("push")
@quiet_option("the commit or PR URL")
@debug_option
@handle_errors
def push(out: Path, quiet: bool, debug: bool, **options: Any) -> None:
    """Upload an output directory to a Hub dataset repo as parquet, with its card and manifest.

    The token comes from HF_TOKEN or `hf auth login`. An existing card is merged, not replaced.
    """
    h = load_config(None, config_overrides("push", options), env={}).hub
    assert h.repo is not None  # --repo is required
    _push_and_report(out, PushOptions(h.repo, h.private, h.revision, h.create_pr, h.commit_message),
                     quiet)


def _note(line: str) -> None:
    click.echo(line, err=True)


@main.command()
@config_options("fetch")
@config_file_option
@window_options
@quiet_option("the cached export's path")
@debug_option
@handle_errors
def fetch(config_file: Path | None, since: str | None, until: str | None, incremental: bool,
          quiet: bool, debug: bool, **options: Any) -> None:
    """Download an agent's conversations into the raw cache, without building.

    The key comes from CONVOCORE_API_KEY. Pages are cached under data/raw/<agent>/ as they
    arrive; an interrupted fetch resumes from its last complete page when rerun.
    """
    cfg = load_config(config_file, {**config_overrides("fetch", options),
                                    **source_overrides(options["source__region"],
                                                       options["source__api_base"])})
    assert cfg.agent is not None  # --agent is required
    agent = cfg.agent
    result = fetch_to_cache(cfg, Window(since, until, incremental),
                            progress=download_progress(agent, quiet))
    for w in result.warnings:
        _note(f"dsbuild: warning: {w}")
    if not quiet:
        _note(result.line())
    click.echo(str(result.export))


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--plots", "plots_dir", is_flag=False, flag_value="", default=None, metavar="[DIR]",
              help="Also write PNG charts to DIR.  [DIR default: OUT/plots, the charts the card shows]")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON instead of a table.")
@config_options("stats")
@debug_option
@handle_errors
def stats(out: Path, plots_dir: str | None, as_json: bool, debug: bool, **options: Any) -> None:
    """Statistics of a built dataset: records, lengths, labels, PII entities, drops."""
    from dsbuild.report.dataset_stats import compute_stats
    from dsbuild.report.table import format_stats
    from dsbuild.sinks.layout import PLOTS_DIR
    from dsbuild.tokens import load_tokenizer

    tokenizer = load_config(None, config_overrides("stats", options), env={}).length.tokenizer
    result = compute_stats(out, load_tokenizer(tokenizer) if tokenizer else None)
    doc = result.to_dict()
    if plots_dir is not None:
        from dsbuild.report.plots import write_plots

        written = write_plots(result, Path(plots_dir) if plots_dir else out / PLOTS_DIR)
        doc["plots"] = {k: str(p) for k, p in written.items()}
    if as_json:
        import orjson

        click.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(format_stats(doc))
    for p in doc.get("plots", {}).values():
        click.echo(f"chart: {p}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@config_options("validate")
@debug_option
@handle_errors
def validate(file: Path, debug: bool, **options: Any) -> None:
    """Check a JSONL file against a target's rules; exit 0 if valid, 1 if not.

    Prints the count of each kind of error with the first line numbers where it occurs.
    """
    from dsbuild.targets.validate import format_report, validate_file

    target = load_config(None, config_overrides("validate", options), env={}).output.target
    report = validate_file(file, TARGETS[target])
    click.echo(format_report(report))
    sys.exit(0 if report.ok else 1)
