"""What dsbuild may write, replace and delete: pure checks on paths, run before any output.

dsbuild owns only what it wrote. An output directory is replaced (``--overwrite``) only when it
is empty or holds dsbuild's own ``manifest.json`` and nothing but dsbuild's own files; it is never
the current directory, a directory holding the input, or the raw export cache (nor inside it or
around it), also when a symlink leads there. A private file (``--quarantine``,
``--pii-review``) is never the input, never inside the raw cache or the output, and replaces
only a file that dsbuild wrote.

(Temporary names carry the run's pid so that the next run removes a killed run's leftovers:
:func:`dsbuild.fs.remove_stale_temps`.)

Messages name the user's own paths, never anything from the export.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from dsbuild.errors import UsageError
from dsbuild.sinks.layout import (
    CARD,
    DATASET_DICT,
    DATASET_INFO,
    FORMATS,
    MANIFEST,
    PLOTS_DIR,
    SPLITS,
    split_file,
)

_AGENT_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
# Every name dsbuild writes into an output directory, whatever the format.
OWN_NAMES = frozenset({MANIFEST, CARD, PLOTS_DIR, DATASET_DICT, DATASET_INFO}
                      | {split_file(s, f) for s in SPLITS for f in FORMATS})


def check_agent_id(agent: str) -> str:
    """An agent id names ``data/<agent>``: letters, digits, ``-``, ``_`` and ``.`` (not first)."""
    if not _AGENT_ID.fullmatch(agent):
        raise UsageError("--agent: an agent id is letters, digits, '-', '_' and '.' (not first),"
                         " at most 128 characters; it is not a path (use --out for that)")
    return agent


def _within(path: Path, root: Path) -> bool:
    """``path`` is ``root`` or below it (both resolved)."""
    return path == root or root in path.parents


def is_dsbuild_output(directory: Path) -> bool:
    """True when ``directory`` holds a manifest that dsbuild wrote."""
    try:
        doc = orjson.loads((directory / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return False
    versions = doc.get("versions") if isinstance(doc, dict) else None
    return isinstance(versions, dict) and "dsbuild" in versions and "counts" in doc


def check_out_dir(out: Path, *, overwrite: bool, input_path: Path | None = None,
                  cache_dir: Path | None = None, cwd: Path | None = None) -> None:
    """Refuse (exit 2, with the reason) an output directory dsbuild must not write or replace."""
    target = out.resolve()
    here = (cwd or Path.cwd()).resolve()
    if target == here or target in here.parents:
        raise UsageError(f"--out {out}: is the current directory or one above it; choose a new"
                         " directory for the dataset")
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise UsageError(f"--out {out}: is the root or home directory; choose a new directory")
    if input_path is not None:
        inp = input_path.resolve()
        if _within(inp, target):
            raise UsageError(f"--out {out}: holds the input {input_path}; choose another output"
                             " directory")
    if cache_dir is not None:
        cache = cache_dir.resolve()
        if _within(target, cache) or _within(cache, target):
            raise UsageError(f"--out {out}: is, is inside or holds the raw export cache"
                             f" ({cache_dir}); choose another output directory")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory; choose another --out")
    if not target.is_dir():
        return
    entries = sorted(p.name for p in target.iterdir())
    if not entries:
        return
    if not overwrite:
        raise UsageError(f"--out {out}: output directory is not empty; pass --overwrite to"
                         " replace a dataset dsbuild wrote there")
    if not is_dsbuild_output(target):
        raise UsageError(f"--out {out}: --overwrite only replaces an empty directory or one"
                         f" dsbuild wrote, and it holds no dsbuild {MANIFEST}; choose another --out")
    foreign = [n for n in entries if n not in OWN_NAMES]
    if foreign:
        raise UsageError(f"--out {out}: holds {len(foreign)} file(s) dsbuild did not write"
                         f" (e.g. {foreign[0]}); --overwrite would delete them: move them away or"
                         " choose another --out")


def _looks_private(path: Path) -> bool:
    """A file dsbuild wrote as a quarantine or PII review: empty, or JSONL whose first line is an
    object with dsbuild's keys."""
    try:
        with open(path, "rb") as f:
            head = f.readline(1 << 20)
    except OSError:
        return False
    if not head.strip():
        return True
    try:
        doc = orjson.loads(head)
    except ValueError:
        return False
    return isinstance(doc, dict) and ({"reason", "item"} <= doc.keys()
                                      or {"conversation_id", "changed"} <= doc.keys())


def check_private_file(path: Path, *, option: str, out: Path, input_path: Path | None = None,
                       cache_dir: Path | None = None) -> Path:
    """Refuse a ``--quarantine``/``--pii-review`` file that would destroy or leak something;
    return its resolved path."""
    target = path.resolve()
    if input_path is not None and _within(target, input_path.resolve()):
        raise UsageError(f"{option} {path}: is the input; choose another file")
    if cache_dir is not None and _within(target, cache_dir.resolve()):
        raise UsageError(f"{option} {path}: is inside the raw export cache ({cache_dir});"
                         " choose another file")
    if _within(target, out.resolve()):
        raise UsageError(f"{option} {path}: must be outside the output directory {out} (it holds"
                         " personal data, and the output is replaced as a whole)")
    if target.is_dir():
        raise UsageError(f"{option} {path}: is a directory; give a file name")
    if target.exists() and not _looks_private(target):
        raise UsageError(f"{option} {path}: exists and was not written by dsbuild; choose"
                         " another file (or delete it)")
    return target
