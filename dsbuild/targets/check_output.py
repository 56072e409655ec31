"""``dsbuild make`` validates what it wrote before the output is converted or renamed into place.

A row that breaks its target's rules is a bug in a renderer (exit 1); a training split smaller
than the target's consumer accepts is a property of the export (exit 3). Either way the build
fails and the atomic output directory is discarded.
"""

from __future__ import annotations

from pathlib import Path

from dsbuild.errors import DsbuildError, InputDataError
from dsbuild.sinks.layout import SPLITS, split_file
from dsbuild.targets.base import Target
from dsbuild.targets.validate import Report, check_rows


class InvalidOutput(DsbuildError):
    exit_code = 1


def _summary(report: Report) -> str:
    kinds = ", ".join(f"{k} x{n} (line {report.lines.get(k, ['?'])[0]})"
                      for k, n in sorted(report.errors.items()))
    return f"{Path(report.name).name}: {kinds}"


def check_written(tmp: Path, target: Target) -> None:
    reports = {}
    for split in SPLITS:
        name = split_file(split, "jsonl")
        with open(tmp / name, "rb") as f:
            reports[split] = check_rows(f, target, name=name)
    bad = [r for r in reports.values() if not r.ok]
    if bad:
        raise InvalidOutput(f"the {target.name} rows written fail the target's checks: "
                            + "; ".join(_summary(r) for r in bad)
                            + " (a bug; rerun with --debug and report it)")
    train = reports["train"]
    if train.rows < target.min_examples:
        raise InputDataError(
            f"the train split has {train.rows} rows; target {target.name} needs at least "
            f"{target.min_examples}: use a larger export, widen --feedback, or lower --eval-ratio")
