"""The one JSON reader for exports: orjson, tolerant of the lone surrogates JavaScript writes.

JSON allows ``"\\ud83d"`` escapes that are not part of a surrogate pair; orjson rejects them.
Rather than re-parse the whole document with the (about 7x slower) standard library, drop the
lone escapes (text normalisation would drop them anyway) and parse with orjson again; the
standard library remains the last resort.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# An escape preceded by an even number of backslashes: a valid pair (kept) or a lone half (dropped).
_SURROGATE_ESCAPE = re.compile(
    rb"(?<!\\)((?:\\\\)*)(\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[dD][89a-fA-F][0-9a-fA-F]{2})"
)


def _drop_lone(m: re.Match[bytes]) -> bytes:
    return m.group(0) if len(m.group(2)) == 12 else m.group(1)


def loads(data: bytes | str) -> Any:
    """Parse JSON; raises ``ValueError`` (``orjson.JSONDecodeError`` is one) when it is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        if b"\\u" not in raw:
            raise
        fixed = _SURROGATE_ESCAPE.sub(_drop_lone, raw)
        if fixed != raw:
            try:
                return orjson.loads(fixed)
            except orjson.JSONDecodeError:
                pass
        return json.loads(data)
