"""``--pii-review FILE``: a small before/after sample for a human audit.

It holds the original text, so it is written only outside the output directory, mode 0600,
and the CLI warns that it contains personal data.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from dsbuild.errors import UsageError
from dsbuild.records import ChatRecord


def check_review_path(review: str | None, out: Path) -> Path | None:
    if not review:
        return None
    path = Path(review).resolve()
    if path == out.resolve() or out.resolve() in path.parents:
        raise UsageError(f"--pii-review {review}: must be outside the output directory {out}"
                         " (it contains personal data)")
    return path


def review_line(record: ChatRecord) -> bytes:
    return orjson.dumps({"conversation_id": record.conversation_id,
                         "changed": [{"before": b, "after": a} for b, a in record.review or []],
                         "entities": record.pii_counts},
                        option=orjson.OPT_APPEND_NEWLINE)
