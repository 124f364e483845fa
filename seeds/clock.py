"""Time helpers: epoch seconds inside, ISO-8601 UTC ("...Z") outside."""

from __future__ import annotations

import time
from datetime import UTC, datetime

DAY = 86_400
HOUR = 3_600
WINDOW_DAYS = 365  # a year of activity (and outcomes) before the anchor

DEFAULT_AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def to_epoch(dt: datetime) -> int:
    """Whole epoch seconds (rounded down) of a timezone-aware datetime."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{dt!r} has no timezone: pass an aware datetime, e.g. tzinfo=timezone.utc")
    return int(dt.timestamp() // 1)


def iso(t: int) -> str:
    """Epoch seconds -> "2026-10-31T14:05:00Z"."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_iso(text: str) -> datetime:
    """ISO-8601 with a timezone ("Z" or an offset); a date alone or a naive time means UTC."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def weekday(t: int) -> int:
    """0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday)."""
    return (t // DAY + 3) % 7


def day_start(t: int) -> int:
    return t - t % DAY


def quarter(t: int) -> str:
    g = time.gmtime(t)
    return f"{g.tm_year}q{(g.tm_mon - 1) // 3 + 1}"
