"""HubSpot engagement exports (calls, meetings, e-mails, notes, tasks) as activities of the sales-side
types of the default vocabulary.

An export of HubSpot's activities (one file per type, or one with an `Activity type` column) has a
record id, the activity date (portal-local: it needs `--tz`), the associated contacts and the
type's own columns. Each row becomes at most one activity of its first associated contact (a note
says so when there are several), id `hubspot:<record id>`, so a re-import records nothing new:

| engagement | activity | skipped (with a note) |
| --- | --- | --- |
| call | `call` | a call not completed (`Call status`), or whose outcome says the buyer was not reached (no answer, busy, left voicemail / live message, wrong number) |
| e-mail | `email_sent` (ours, `EMAIL` / outgoing / forwarded); `email_received` (`INCOMING_EMAIL` / incoming: the buyer wrote) | |
| meeting | `meeting_held` | a meeting cancelled, a no-show, or one that has not started yet |
| note, task | - | always: what our rep wrote or has to do says nothing about the buyer |
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from graphsvc.imports.convert import Converted, parse_time
from graphsvc.imports.recognise import _TYPE_COLUMNS, Part, _fixed_type, key
from graphsvc.ingest.service import FUTURE_SKEW_S

__all__ = ["EngagementConverter"]

_NOT_REACHED = re.compile(r"no answer|busy|voicemail|live message|wrong number|not reached", re.I)
_NOT_HELD = re.compile(r"cancel|no[ _-]?show|scheduled|rescheduled", re.I)


class EngagementConverter:
    """An engagement row -> {"id": contact id, "activities": [0 or 1 activity]}."""

    def __init__(self, part: Part, header: list[str], file_name: str, tz: tzinfo | None, now: float) -> None:
        self.part, self.tz, self.now = part, tz, now
        self.defaults: dict[str, Any] = {}
        self.column_of = {name: header[i] if i < len(header) else f"column {i + 1}"
                          for name, i in part.columns.items()}
        # Without an Activity type column, the file's own columns (or its name) say what it holds.
        self.fixed = _fixed_type(header, file_name)

    def _cell(self, cells: list[str], name: str) -> str:
        col = self.part.columns.get(name)
        return cells[col].strip() if col is not None and col < len(cells) else ""

    def _problem(self, name: str, message: str) -> dict[str, Any]:
        return {"field": name, "column": self.column_of.get(name, name), "message": message}

    def convert(self, cells: list[str]) -> Converted:
        record_id, contacts = self._cell(cells, "id"), self._cell(cells, "contact_id")
        contact = re.split(r"[;,]", contacts)[0].strip()
        problems = [self._problem(n, "Field required") for n, v in (("id", record_id), ("contact_id", contact)) if not v]
        notes: list[dict[str, Any]] = []
        if contact and contact != contacts:
            notes.append(self._problem("contact_id", f"several contacts ({contacts}): the first, {contact}, is used"))
        kind = self._kind(cells)
        raw = self._cell(cells, "meeting_start") if kind == "meeting" and self._cell(cells, "meeting_start") else (
            self._cell(cells, "at"))
        at = None
        try:
            at = parse_time(raw, self.tz) if raw else None
        except ValueError as exc:
            problems.append(self._problem("at", str(exc)))
        if at is None and not problems:
            problems.append(self._problem("at", "no date or time: when did it happen?"))
        if problems:
            return Converted(None, problems, notes, partial={"id": contact} if contact else {})
        assert at is not None
        activity = self._type(kind, cells, at.timestamp(), notes)
        activities = [] if activity is None else [{
            "id": f"hubspot:{record_id}", "contact_id": contact, "type": activity, "at": at.isoformat(),
            "channel": "hubspot", **({"asset": s} if (s := self._cell(cells, "subject")) else {})}]
        record = {"id": contact, "activities": activities}
        return Converted(record, [], notes, partial=record)

    def _kind(self, cells: list[str]) -> str:
        given = key(self._cell(cells, "activity_type")).replace("_", " ")
        if "incoming email" in given:
            return "incoming_email"
        for t in _TYPE_COLUMNS:
            if given.startswith(t):
                return t
        return given or self.fixed or "unknown"

    def _type(self, kind: str, cells: list[str], at: float, notes: list[dict[str, Any]]) -> str | None:
        def skip(name: str, why: str) -> None:
            notes.append(self._problem(name, why))

        if kind == "call":
            status, outcome = self._cell(cells, "call_status"), self._cell(cells, "call_outcome")
            if status and key(status) != "completed":
                return skip("call_status", f"a {status!r} call has not happened: not an activity")
            if outcome and _NOT_REACHED.search(outcome):
                return skip("call_outcome", f"outcome {outcome!r}: the buyer was not reached, not an activity")
            return "call" if at <= self.now + FUTURE_SKEW_S else skip("at", "has not happened yet: not an activity")
        if kind in ("email", "incoming_email"):
            direction = key(self._cell(cells, "email_direction")).replace("_", " ")
            return "email_received" if kind == "incoming_email" or "incoming" in direction else "email_sent"
        if kind == "meeting":
            outcome = self._cell(cells, "meeting_outcome")
            if at > self.now + FUTURE_SKEW_S:
                return skip("at", "has not started yet: not an activity (imported once it has)")
            # HubSpot leaves a meeting that took place "Scheduled" unless someone sets its outcome.
            if outcome and _NOT_HELD.search(outcome) and key(outcome) != "scheduled":
                return skip("meeting_outcome", f"a {outcome!r} meeting was not held: not an activity")
            return "meeting_held"
        if kind in ("note", "task"):
            return skip("activity_type", f"a {kind} is what our side wrote or has to do, not what the buyer did: "
                                         "not an activity")
        return skip("activity_type", f"{kind!r} is not a HubSpot engagement type this import knows "
                                     "(call, email, incoming email, meeting, note, task): not an activity")
