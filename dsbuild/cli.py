"""The ``dsbuild`` command line: parse flags, call the library, print summaries.

Errors a user can cause print one line and exit with the code from :mod:`dsbuild.errors`;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, get_args

import click

from dsbuild import __version__
from dsbuild.cli_progress import build_progress, download_progress
from dsbuild.config import FlagSpec, OutputConfig, SourceConfig, flag_specs, load_config
from dsbuild.convocore.fetch import Window, fetch_to_cache
from dsbuild.errors import DsbuildError, UsageError
from dsbuild.interrupt import Terminated, terminate_raises
from dsbuild.make import make_dataset
from dsbuild.pipeline import BuildResult
from dsbuild.safepaths import check_agent_id
from dsbuild.sinks.hub import PushOptions
from dsbuild.sinks.hub import push as push_to_hub
from dsbuild.summary import format_summary
from dsbuild.targets import TARGETS

F = TypeVar("F", bound=Callable[..., Any])
_SOURCE = SourceConfig()


def _dflt(text: str, default: object) -> str:
    """Help text with the effective default (flags default to None so config files can set them)."""
    return f"{text}  [default: {default}]"


def _agent_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """--agent is an id, never a path (exit 2 with the rule)."""
    try:
        return check_agent_id(value)
    except UsageError as exc:
        raise click.BadParameter(str(exc).removeprefix("--agent: ")) from None


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


def source_options(fn: F) -> F:
    """Flags that choose the Convocore server and the export window (make and fetch)."""
    for opt in reversed([
        click.option("--region", type=click.Choice(get_args(SourceConfig.model_fields["region"].annotation)),
                     help=_dflt("Convocore region of the agent.", _SOURCE.region)),
        click.option("--api-base", help="API root URL instead of --region (env CONVOCORE_API_BASE)."),
        click.option("--since", help="Only conversations from this time: a date, ISO time or Unix"
                     " seconds (sent as fromTs)."),
        click.option("--until", help="Only conversations up to this time (a date includes the"
                     " whole day; sent as toTs)."),
        click.option("--incremental", is_flag=True, help="Fetch only conversations newer than the"
                     " cached export and merge them into it (the newer copy wins)."),
    ]):
        fn = opt(fn)
    return fn


def source_overrides(region: str | None, api_base: str | None) -> dict[str, Any]:
    # An explicit --region beats CONVOCORE_API_BASE from the environment.
    return {"source.region": region,
            "source.api_base": api_base if api_base is not None else ("" if region else None)}


def config_options(fn: F) -> F:
    """The ``make`` flags generated from the config models (:func:`dsbuild.config.flag_specs`)."""
    for spec in reversed(flag_specs()):
        kind: Any = click.Choice(spec.choices) if spec.choices else _CLICK_TYPES.get(spec.annotation, str)
        if spec.path:
            kind = click.Path(dir_okay=False)
        fn = click.option(spec.flag, spec.param, type=kind, metavar=spec.metavar, help=spec.help)(fn)
    return fn


_CLICK_TYPES: dict[Any, Any] = {int: int, float: float, str: str}


@main.command()
@click.option("--agent", required=True, callback=_agent_id,
              help="Convocore agent id; names the dataset and the default --out.")
@click.option("--input", "input_", type=click.Path(path_type=Path),
              help="Export file (JSON envelope, list or JSONL), or a directory of *.jsonl shards,"
              " to build from.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output directory.  [default: data/<agent>]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML config file (see configs/default.yaml); flags override it.")
@config_options
@click.option("--quarantine", type=click.Path(dir_okay=False, path_type=Path),
              help="Write skipped conversations (raw, may hold PII; mode 0600) to this JSONL file.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty output directory.")
@click.option("--public", is_flag=True, default=None,
              help="With --push-to-hub: create the repo public (default: private).")
@source_options
@click.option("--from-cache", is_flag=True, help="Build from the newest cached export, without"
              " any request (see dsbuild fetch).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the output path.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@handle_errors
def make(agent: str, input_: Path | None, out: Path | None, config_file: Path | None,
         quarantine: Path | None, overwrite: bool, public: bool | None,
         region: str | None, api_base: str | None, since: str | None, until: str | None,
         incremental: bool, from_cache: bool, quiet: bool, debug: bool, **options: Any) -> None:
    """Build a train/test chat dataset from an agent's conversations.

    Without --input, downloads the agent's export from the Convocore API first (key from
    CONVOCORE_API_KEY) and caches it under data/raw/<agent>/; --from-cache reuses that cache.
    """
    api_flags = [f for f, on in (("--from-cache", from_cache), ("--incremental", incremental),
                                ("--since", since), ("--until", until), ("--region", region),
                                ("--api-base", api_base)) if on]
    cfg = load_config(config_file, {
        **source_overrides(region, api_base),
        **{FlagSpec.key_of(param): value for param, value in options.items()},
        "agent": agent,
        "input": str(input_) if input_ else None,
        "out": str(out) if out else None,
        "hub.private": False if public else None,
    })
    bar = build_progress(quiet)
    try:
        result: BuildResult = make_dataset(
            cfg, window=Window(since, until, incremental), from_cache=from_cache,
            api_flags=api_flags, overwrite=overwrite, quarantine=quarantine, quiet=quiet,
            progress=bar, download_progress=download_progress(agent, quiet), notify=_note)
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
@click.option("--repo", required=True, metavar="REPO", help="Hub dataset repo, namespace/name.")
@click.option("--public", is_flag=True, help="Create the repo public (default: private).")
@click.option("--revision", help="Branch to commit to (created if missing).  [default: main]")
@click.option("--create-pr", is_flag=True, help="Open a pull request instead of committing.")
@click.option("--commit-message", help="Commit message.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the commit or PR URL.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@handle_errors
def push(out: Path, repo: str, public: bool, revision: str | None, create_pr: bool,
         commit_message: str | None, quiet: bool, debug: bool) -> None:
    """Upload an output directory to a Hub dataset repo as parquet, with its card and manifest.

    The token comes from HF_TOKEN or `hf auth login`. An existing card is merged, not replaced.
    """
    _push_and_report(out, PushOptions(repo, not public, revision, create_pr, commit_message), quiet)


def _note(line: str) -> None:
    click.echo(line, err=True)


@main.command()
@click.option("--agent", required=True, callback=_agent_id, help="Convocore agent id.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML config file (see configs/default.yaml); flags override it.")
@source_options
@click.option("--quiet", "-q", is_flag=True, help="Print only the cached export's path.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@handle_errors
def fetch(agent: str, config_file: Path | None, region: str | None, api_base: str | None,
          since: str | None, until: str | None, incremental: bool, quiet: bool,
          debug: bool) -> None:
    """Download an agent's conversations into the raw cache, without building.

    The key comes from CONVOCORE_API_KEY. Pages are cached under data/raw/<agent>/ as they
    arrive; an interrupted fetch resumes from its last complete page when rerun.
    """
    cfg = load_config(config_file, {"agent": agent, **source_overrides(region, api_base)})
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
@click.option("--tokenizer", metavar="PATH_OR_NAME",
              help="Count tokens with this local tokenizer instead of the chars/4 estimate.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@handle_errors
def stats(out: Path, plots_dir: str | None, as_json: bool, tokenizer: str | None, debug: bool) -> None:
    """Statistics of a built dataset: records, lengths, labels, PII entities, drops."""
    from dsbuild.report.dataset_stats import compute_stats
    from dsbuild.report.table import format_stats
    from dsbuild.sinks.layout import PLOTS_DIR
    from dsbuild.tokens import load_tokenizer

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
@click.option("--target", type=click.Choice(list(TARGETS)), default=OutputConfig().target,
              show_default=True, help="The rules to check the rows against.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@handle_errors
def validate(file: Path, target: str, debug: bool) -> None:
    """Check a JSONL file against a target's rules; exit 0 if valid, 1 if not.

    Prints the count of each kind of error with the first line numbers where it occurs.
    """
    from dsbuild.targets.validate import format_report, validate_file

    report = validate_file(file, TARGETS[target])
    click.echo(format_report(report))
    sys.exit(0 if report.ok else 1)
