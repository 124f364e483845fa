"""SLA due times and states: pure (times are epoch seconds in, epoch seconds out; `as_of` given).

The ruleset's `[sla]` says how many hours sales has to act on a new SQL (or MQA). Without business
hours those are wall-clock hours. With `business_hours = [9, 17]`, `business_days` and a `timezone`
they count only inside the working day, local time (daylight-saving changes included: the window
is built from the local wall clock each day): an SQL reached on Friday at 16:00 in Berlin with 8 SLA
hours is due on Monday at 15:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .frozen import fast_init
from .ruleset import Sla

HOUR = 3600.0
SLA_STAGES = ("sql", "mqa")


def due_at(entered: float, hours: float, sla: Sla) -> float:
    """When `hours` SLA hours have passed since `entered`."""
    if sla.business_hours is None:
        return entered + hours * HOUR
    tz = ZoneInfo(sla.timezone)
    start, end = sla.business_hours
    left = hours * HOUR
    day = datetime.fromtimestamp(entered, tz).date()
    while True:  # ends: business_days is never empty and start < end, so every week has open time
        if day.isoweekday() in sla.business_days:
            opens = datetime.combine(day, time(start), tz).timestamp()
            closes = datetime.combine(day + timedelta(days=end // 24), time(end % 24), tz).timestamp()
            lo = max(opens, entered)
            if closes > lo:
                if lo + left <= closes:
                    return lo + left
                left -= closes - lo
        day += timedelta(days=1)


@fast_init
@dataclass(frozen=True, slots=True)
class SlaStatus:
    stage: str  # the stage whose SLA runs: sql or mqa
    hours: float
    entered_at: float
    due_at: float
    reminder_at: float | None  # None: no reminder configured
    state: str  # on_time, due_soon (past the reminder), breached (past the due time)


def sla_status(stage: str | None, entered: float | None, sla: Sla, as_of: float) -> SlaStatus | None:
    """The SLA of an account in `stage` since `entered`, at `as_of`; None when no SLA runs."""
    if stage not in SLA_STAGES or entered is None:
        return None
    hours = sla.sql_hours if stage == "sql" else sla.mqa_hours
    due = due_at(entered, hours, sla)
    remind = due_at(entered, max(0.0, hours - sla.reminder_hours), sla) if sla.reminder_hours > 0 else None
    state = "breached" if as_of >= due else "due_soon" if remind is not None and as_of >= remind else "on_time"
    return SlaStatus(stage, hours, entered, due, remind, state)
