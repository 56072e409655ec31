"""Statistics of a built dataset, from its split files and ``manifest.json``.

Per split: records, messages per record, characters and tokens of assistant text and of all
text (as distributions), and label balance. For the whole build, from the manifest: PII
entities by type and drops by reason. Token counts are the ``chars/4`` estimate of
:mod:`dsbuild.tokens` unless a tokenizer is given.

Distributions: ``min``, ``median`` (the middle value, or the mean of the two middle ones),
``p90`` (nearest rank: the smallest value at least 90% of records are ≤ to), ``max`` and
``mean`` (2 decimals). Records are rows of the split files, so a multi-row target (kto) counts
rows. :meth:`DatasetStats.to_dict` is the JSON form (``dsbuild stats --json``, the dataset card);
the raw per-record values stay on the object for the charts.
"""

from __future__ import annotations

import math
import statistics
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from dsbuild.errors import InputDataError
from dsbuild.report.rows import iter_rows, row_label, row_messages, split_files
from dsbuild.sinks.layout import MANIFEST, SPLITS
from dsbuild.tokens import ESTIMATE_METHOD, TokenCounter, estimate_tokens

# What the manifest says about PII scrubbing (``pii.status`` in the JSON form).
PII_SCRUBBED, PII_DISABLED, PII_NOT_RECORDED = "scrubbed", "disabled", "not_recorded"

MEASURES = ("messages", "assistant_chars", "assistant_tokens", "total_chars", "total_tokens")


def distribution(values: Sequence[int]) -> dict[str, float | int | None]:
    if not values:
        return {"min": None, "median": None, "p90": None, "max": None, "mean": None}
    s = sorted(values)
    return {"min": s[0], "median": statistics.median(s), "p90": s[math.ceil(0.9 * len(s)) - 1],
            "max": s[-1], "mean": round(sum(s) / len(s), 2)}


@dataclass
class SplitStats:
    format: str
    files: list[str]
    # 8 bytes a record per measure (a list of ints costs ~36): a million-record card stays small
    values: dict[str, array[int]] = field(default_factory=lambda: {m: array("q") for m in MEASURES})
    labels: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return len(self.values["messages"])

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "format": self.format, "files": self.files,
                **{m: distribution(self.values[m]) for m in MEASURES},
                "labels": dict(sorted(self.labels.items()))}


@dataclass
class DatasetStats:
    splits: dict[str, SplitStats]
    token_method: str
    drops: dict[str, int]
    pii_status: str
    pii_entities: dict[str, int]  # by type
    pii_sources: dict[str, int]  # by source (known value / pattern / NER)
    warnings: list[str]
    pii_detail: dict[str, dict[str, int]] = field(default_factory=dict)  # type → source → count

    def to_dict(self) -> dict[str, Any]:
        return {"records": sum(s.records for s in self.splits.values()),
                "token_method": self.token_method,
                "splits": {k: s.to_dict() for k, s in self.splits.items()},
                "pii": {"status": self.pii_status, "entities": self.pii_entities,
                        "by_source": self.pii_sources},
                "drops": self.drops, "warnings": self.warnings}


def read_manifest(out: Path) -> dict[str, Any] | None:
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        doc = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        raise InputDataError(f"{path}: not valid JSON; rebuild the dataset") from None
    if not isinstance(doc, dict):
        raise InputDataError(f"{path}: not a dsbuild manifest")
    return doc


def compute_stats(out: Path, counter: TokenCounter | None = None) -> DatasetStats:
    """Read every split file of ``out`` once and its manifest."""
    manifest = read_manifest(out)
    warnings: list[str] = []
    splits: dict[str, SplitStats] = {}
    for split in SPLITS:
        fmt, files = split_files(out, split)
        if files:
            splits[split] = _split_stats(fmt, files, out, counter)
    if not splits:
        raise InputDataError(f"{out}: no train/test files; is it a dsbuild output directory?")
    if manifest is None:
        warnings.append(f"no {MANIFEST}: drops and PII counts are unknown")
        manifest = {}
    expected = (manifest.get("counts") or {}).get("records") or {}
    for split, s in splits.items():
        if split in expected and expected[split] != s.records:
            warnings.append(f"{split}: {s.records} rows in the files but {expected[split]} in the "
                            f"manifest; the files were changed after the build")
    status, detail = pii_report(manifest)
    by_type = _by_count({t: sum(d.values()) for t, d in detail.items()})
    by_source: dict[str, int] = {}
    for d in detail.values():
        for source, n in d.items():
            by_source[source] = by_source.get(source, 0) + n
    return DatasetStats(splits=splits, token_method=counter.name if counter else ESTIMATE_METHOD,
                        drops=drops_by_reason(manifest), pii_status=status, pii_entities=by_type,
                        pii_sources=_by_count(by_source), pii_detail=detail, warnings=warnings)


def _split_stats(fmt: str, files: list[Path], out: Path, counter: TokenCounter | None) -> SplitStats:
    st = SplitStats(format=fmt, files=[p.relative_to(out).as_posix() for p in files])
    v = st.values
    for row in iter_rows(fmt, files):
        msgs = row_messages(row)
        assistant = [t for r, t in msgs if r == "assistant"]
        a_chars = sum(map(len, assistant))
        t_chars = sum(len(t) for _, t in msgs)
        v["messages"].append(len(msgs))
        v["assistant_chars"].append(a_chars)
        v["total_chars"].append(t_chars)
        if counter is None:
            v["assistant_tokens"].append(estimate_tokens(a_chars))
            v["total_tokens"].append(estimate_tokens(t_chars))
        else:
            v["assistant_tokens"].append(counter.count(assistant))
            v["total_tokens"].append(counter.count([t for _, t in msgs]))
        label = row_label(row)
        st.labels[label] = st.labels.get(label, 0) + 1
    return st


def drops_by_reason(manifest: dict[str, Any]) -> dict[str, int]:
    """Every conversation read but not written, by reason (duplicates included)."""
    counts = manifest.get("counts") or {}
    drops = {str(k): int(v) for k, v in (counts.get("dropped") or {}).items()}
    if counts.get("duplicates"):
        drops["duplicate"] = int(counts["duplicates"])
    return _by_count(drops)


def pii_report(manifest: dict[str, Any]) -> tuple[str, dict[str, dict[str, int]]]:
    """(status, entity type → source → count), from what the PII stage records:
    ``manifest["pii"]["enabled"]`` and the ``pii`` section of the run's
    :class:`~dsbuild.counters.RunCounters` (``manifest["stats"]["pii"]``, keys ``"<source>/<TYPE>"``).
    """
    recorded = manifest.get("pii")
    pii: dict[str, Any] = recorded if isinstance(recorded, dict) else {}
    enabled = pii.get("enabled")
    status = PII_SCRUBBED if enabled is True else PII_DISABLED if enabled is False else PII_NOT_RECORDED
    detail: dict[str, dict[str, int]] = {}
    counts = (manifest.get("stats") or {}).get("pii") or {}
    for key, n in counts.items() if isinstance(counts, dict) else ():
        if isinstance(n, int):
            source, _, type_ = str(key).rpartition("/")
            d = detail.setdefault(type_, {})
            d[source or "unknown"] = d.get(source or "unknown", 0) + n
    return status, detail


def _by_count(d: dict[str, int]) -> dict[str, int]:
    return dict(sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))
