"""Check a JSONL file against a target's rules: error counts by kind, with line numbers.

Used by ``dsbuild validate FILE --target T`` and by ``dsbuild make`` on every file it writes
(before anything is converted or renamed into place). Rows are streamed: memory holds the
counts and the first few line numbers of each kind, not the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from dsbuild.errors import InputDataError
from dsbuild.targets.base import Target

MAX_LINES_SHOWN = 10


@dataclass
class Report:
    target: str
    name: str
    rows: int = 0
    invalid_rows: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    lines: dict[str, list[int]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, kind: str, line: int | None, warning: bool = False) -> None:
        (self.warnings if warning else self.errors)[kind] += 1
        if line is not None:
            shown = self.lines.setdefault(kind, [])
            if len(shown) < MAX_LINES_SHOWN:
                shown.append(line)


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with open(path, "rb") as f:
            yield from f
    except OSError as exc:
        raise InputDataError(f"{path}: cannot read ({exc.strerror or exc})") from None


def check_rows(lines: Iterable[bytes], target: Target, name: str = "<rows>") -> Report:
    report = Report(target=target.name, name=name)
    columns: frozenset[str] | None = None
    for n, raw in enumerate(lines, start=1):
        report.rows += 1
        kinds: list[str] = []
        if not raw.strip():
            kinds.append("blank_line")
        else:
            try:
                row = orjson.loads(raw)
            except orjson.JSONDecodeError:
                kinds.append("invalid_json")
            else:
                kinds.extend(dict.fromkeys(target.check_row(row)))  # each kind once per row
                if isinstance(row, dict):
                    # Arrow and the Hub viewer need one schema: a column only some rows have
                    # becomes null elsewhere, and a trainer may read the file differently.
                    if columns is None:
                        columns = frozenset(row)
                    elif frozenset(row) != columns:
                        kinds.append("inconsistent_columns")
        row_invalid = False
        for kind in kinds:
            warning = kind in target.warnings
            report.add(kind, n, warning)
            row_invalid |= not warning
        report.invalid_rows += row_invalid
    return report


def check_minimum(report: Report, target: Target) -> None:
    """A training file needs rows, and as many as the target's consumer demands."""
    if report.rows == 0:
        report.add("no_examples", None)
        report.notes["no_examples"] = "the file has no rows"
    elif report.rows < target.min_examples:
        report.add("too_few_examples", None)
        report.notes["too_few_examples"] = (f"{report.rows} rows; {target.name} needs at least "
                                            f"{target.min_examples}")


def validate_file(path: Path, target: Target) -> Report:
    if path.is_dir():
        raise InputDataError(f"{path}: is a directory; give a JSONL file")
    report = check_rows(_lines(path), target, name=str(path))
    check_minimum(report, target)
    return report


def _where(report: Report, kind: str) -> str:
    if kind in report.notes:
        return report.notes[kind]
    shown = report.lines.get(kind, [])
    more = ", …" if len(shown) < (report.errors[kind] or report.warnings[kind]) else ""
    label = "line" if len(shown) == 1 and not more else "lines"
    return f"{label} {', '.join(map(str, shown))}{more}"


def format_report(report: Report) -> str:
    if report.ok:
        head = f"{report.name}: {report.rows:,} rows, valid for target {report.target}"
    else:
        head = (f"{report.name}: INVALID for target {report.target}: "
                f"{report.invalid_rows:,} of {report.rows:,} rows have errors")
    out = [head]
    kinds = [(k, n, "error") for k, n in sorted(report.errors.items())]
    kinds += [(k, n, "warning") for k, n in sorted(report.warnings.items())]
    width = max((len(k) for k, _, _ in kinds), default=0)
    for kind, n, level in kinds:
        out.append(f"  {level:<7}  {kind:<{width}}  {n:>7,}  {_where(report, kind)}")
    return "\n".join(out)
