"""HubSpot's engagement columns turned into activities, by a rule that invents nothing.

A HubSpot contacts export has no events, only counts and first / last dates ("Marketing emails
opened: 6", "Last marketing email open date: 2026-11-11 10:16"). Counts say how many, not when, so
they are never spread into made-up events; every *dated* column is one real event, and becomes one
activity at that time:

| column | activity type |
| --- | --- |
| First Conversion Date (+ First Conversion) | from the conversion's name (below) |
| Recent Conversion Date (+ Recent Conversion) | from the conversion's name (below) |
| First marketing email open date, Last marketing email open date | email_open |
| Last marketing email click date | email_click |
| Time Last Seen | page_view |

A conversion's name says what was converted: "quote" -> quote_request, "demo" -> demo_request,
"contact sales" / "talk to sales" -> contact_sales, "webinar" -> webinar_registered, "whitepaper",
"ebook", "guide", "download" -> content_download, anything else -> form_submitted; the name is
the activity's asset. The same event in two columns (first = last) is one activity. Activity ids are
`hubspot:<contact>:<type>:<epoch seconds>`, so re-importing changes nothing. HubSpot writes these
times in the portal's zone without saying which: they need `--tz`.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from graphsvc.imports.convert import Converted, parse_time
from graphsvc.imports.recognise import Part
from graphsvc.ingest.service import FUTURE_SKEW_S

# (time column, name column or None, fixed type or None: from the name)
EVENTS: tuple[tuple[str, str | None, str | None], ...] = (
    ("first_conversion_date", "first_conversion", None),
    ("recent_conversion_date", "recent_conversion", None),
    ("first_email_open", None, "email_open"),
    ("last_email_open", None, "email_open"),
    ("last_email_click", None, "email_click"),
    ("last_seen", None, "page_view"),
)
CONVERSIONS = ((re.compile(r"quote", re.I), "quote_request"), (re.compile(r"\bdemo", re.I), "demo_request"),
               (re.compile(r"(contact|talk to)\s+sales", re.I), "contact_sales"),
               (re.compile(r"webinar", re.I), "webinar_registered"),
               (re.compile(r"white\s*paper|e-?book|guide|download", re.I), "content_download"))


def conversion_type(name: str | None) -> str:
    for pattern, kind in CONVERSIONS:
        if name and pattern.search(name):
            return kind
    return "form_submitted"


class AggregateConverter:
    """A contacts row's dated engagement columns -> {"id": contact id, "activities": [...]}."""

    def __init__(self, part: Part, header: list[str], tz: tzinfo | None, now: float) -> None:
        self.part, self.tz, self.now = part, tz, now
        self.defaults: dict[str, Any] = {}
        self.column_of = {name: header[i] if i < len(header) else f"column {i + 1}"
                          for name, i in part.columns.items()}

    def _cell(self, cells: list[str], name: str | None) -> str:
        col = self.part.columns.get(name or "")
        return cells[col].strip() if col is not None and col < len(cells) else ""

    def convert(self, cells: list[str]) -> Converted:
        contact = self._cell(cells, "id")
        problems: list[dict[str, Any]] = []
        activities: dict[str, dict[str, Any]] = {}
        for time_col, name_col, fixed in EVENTS:
            raw = self._cell(cells, time_col)
            if not raw:
                continue
            try:
                at = parse_time(raw, self.tz)
            except ValueError as exc:
                problems.append({"field": time_col, "column": self.column_of.get(time_col), "message": str(exc)})
                continue
            if at.timestamp() > self.now + FUTURE_SKEW_S:
                problems.append({"field": time_col, "column": self.column_of.get(time_col),
                                 "message": f"{raw!r} is in the future (is --tz the portal's time zone?)"})
                continue
            name = self._cell(cells, name_col) or None
            kind = fixed or conversion_type(name)
            activity_id = f"hubspot:{contact}:{kind}:{int(at.timestamp())}"
            activities.setdefault(activity_id, {"id": activity_id, "contact_id": contact, "type": kind,
                                                "at": at.isoformat(), "channel": "hubspot",
                                                **({"asset": name} if name and not fixed else {})})
        record = {"id": contact, "activities": list(activities.values())}
        if not contact:
            problems.append({"field": "id", "column": self.column_of.get("id"), "message": "Field required"})
        if problems:
            return Converted(None, problems, [], partial={"id": contact} if contact else {})
        return Converted(record, [], [], partial=record)
