"""The one timestamp parser: moment-style export strings and numeric epochs."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
_MOMENT = re.compile(
    r"^(?:[A-Za-z]+,\s*)?([A-Za-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?\s+(\d{4}),\s*"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])$"
)


def parse_moment(value: str) -> datetime | None:
    """Parse ``"December 1st 2024, 10:30:00 am"`` (moment ``MMMM Do YYYY, h:mm:ss a``) as UTC.

    Locale-independent (no strptime month names). Returns ``None`` when it cannot parse,
    e.g. moment's ``"Invalid date"``; callers keep the raw string.
    """
    m = _MOMENT.match(value.strip())
    if not m:
        return None
    month = _MONTHS.get(m.group(1).lower())
    if month is None:
        return None
    hour = int(m.group(4))
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if m.group(7).lower() == "pm" else 0)
    try:
        return datetime(int(m.group(3)), month, int(m.group(2)), hour, int(m.group(5)),
                        int(m.group(6) or 0), tzinfo=timezone.utc)
    except ValueError:
        return None


def parse_epoch(value: float | int) -> datetime | None:
    """Unix seconds, or milliseconds when the value is too large to be seconds."""
    try:
        v = float(value)
        if v > 1e12:
            v /= 1000.0
        if v <= 0:
            return None
        return datetime.fromtimestamp(v, tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def parse_ts(value: object) -> datetime | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return parse_epoch(value)
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"\d{9,13}(\.\d+)?", s):
            return parse_epoch(float(s))
        parsed = parse_moment(s)
        if parsed is None:
            try:
                parsed = datetime.fromisoformat(s.replace("Z", "+00:00"))
                if parsed.tzinfo is None:
                    parsed = parsed.replace(tzinfo=timezone.utc)
            except ValueError:
                return None
        return parsed
    return None


# A conversation timestamp outside this range is an export bug or an attack on the date window.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(days=1)


def plausible(ts: datetime | None, now: datetime | None = None) -> bool:
    """Not before 2000 and at most a day in the future (non-finite values never parse)."""
    if ts is None:
        return False
    now = now or datetime.now(timezone.utc)
    return EARLIEST <= ts <= now + FUTURE_SLACK
