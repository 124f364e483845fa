"""Salesforce Tasks and Events as activities of the sales-side types (call, email_sent, meeting_held).

* a Task of subtype or type `Call` -> `call`; `Email` / `ListEmail` -> `email_sent`; other Tasks (to-dos)
  say nothing about the buyer and are skipped with a note; a Task that is not `Completed` (when the
  export has a status) has not happened and is skipped with a note;
* an Event (a `StartDateTime` column, or a file named Event) -> `meeting_held` once it started; a future
  Event is skipped with a note (it may still be cancelled);
* the contact is `WhoId` (a Lead's id there is not a contact: the row is refused naming it); the
  time is the completion or activity date-time, else the activity date (a day: midnight in `--tz`,
  UTC without one); the activity id is `salesforce:<Id>`, so a re-import records nothing new.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from graphsvc.imports.convert import Converted, parse_date, parse_time
from graphsvc.imports.recognise import Part
from graphsvc.ingest.service import FUTURE_SKEW_S

_TIMES = ("completed_at", "activity_at", "start_at")  # first present wins; then the activity date


class TaskConverter:
    """A Task or Event row -> {"id": contact id, "activities": [0 or 1 activity]}."""

    def __init__(self, part: Part, header: list[str], tz: tzinfo | None, now: float) -> None:
        self.part, self.tz, self.now = part, tz, now
        self.defaults: dict[str, Any] = {}
        self.column_of = {name: header[i] if i < len(header) else f"column {i + 1}"
                          for name, i in part.columns.items()}
        self.event = "start_at" in part.columns

    def _cell(self, cells: list[str], name: str) -> str:
        col = self.part.columns.get(name)
        value = cells[col].strip() if col is not None and col < len(cells) else ""
        return value[1:] if name in ("id", "contact_id") and value.startswith("@") else value  # Data Loader ids

    def _problem(self, name: str, message: str) -> dict[str, Any]:
        return {"field": name, "column": self.column_of.get(name, name), "message": message}

    def convert(self, cells: list[str]) -> Converted:
        task_id, contact = self._cell(cells, "id"), self._cell(cells, "contact_id")
        problems = [self._problem(n, "Field required") for n, v in (("id", task_id), ("contact_id", contact)) if not v]
        at = None
        try:
            raw = next((self._cell(cells, n) for n in _TIMES if self._cell(cells, n)), "")
            if raw:
                at = parse_time(raw, self.tz)
            elif self._cell(cells, "activity_date"):
                at = parse_date(self._cell(cells, "activity_date"), self.tz)
            else:
                problems.append(self._problem("activity_date", "no date or time: when did it happen?"))
        except ValueError as exc:
            problems.append(self._problem("activity_date", str(exc)))
        if problems:
            return Converted(None, problems, [], partial={"id": contact} if contact else {})
        assert at is not None
        notes: list[dict[str, Any]] = []
        kind = self._type(cells, notes)
        if kind and at.timestamp() > self.now + FUTURE_SKEW_S:
            notes.append(self._problem("start_at" if self.event else "activity_date",
                                       "has not happened yet: not an activity (imported once it has)"))
            kind = None
        activities = [] if kind is None else [{"id": f"salesforce:{task_id}", "contact_id": contact, "type": kind,
                                               "at": at.isoformat(), "channel": "salesforce",
                                               **({"asset": s} if (s := self._cell(cells, "subject")) else {})}]
        record = {"id": contact, "activities": activities}
        return Converted(record, [], notes, partial=record)

    def _type(self, cells: list[str], notes: list[dict[str, Any]]) -> str | None:
        if self.event:
            return "meeting_held"
        status = self._cell(cells, "status")
        if status and status.lower() != "completed":
            notes.append(self._problem("status", f"a {status!r} task has not happened: not an activity"))
            return None
        hint = (self._cell(cells, "subtype") or self._cell(cells, "task_type")).lower()
        if hint == "call":
            return "call"
        if hint in ("email", "listemail", "list email"):
            return "email_sent"
        notes.append(self._problem("subtype", f"a {hint or 'plain'} task (a to-do) says nothing about the buyer: "
                                              "not an activity"))
        return None
