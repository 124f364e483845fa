"""SLA timers: reminder and breach events for accounts sales has not acted on in time.

The due time is not stored: it follows from the account's stage, when it entered it (`stage_since`)
and the active ruleset's `[sla]` (`graphsvc.rules.sla`, pure), so a new ruleset applies at once. A
thread (`GRAPHSVC_SLA_INTERVAL_S`, the app's lifespan; the supervisor with `serve --workers`) looks
at every account in sql or mqa and writes the reminder once past `reminder_at` and the breach once
past `due_at`: the account's mark and the event in one statement, only if the account is still in
that stage entry (sales acting in between wins) and not yet marked for it, so no event is written
twice, by any number of processes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from graphsvc.background import Background
from graphsvc.rules import Ruleset, SlaStatus, sla_status
from graphsvc.state import AppState
from graphsvc.store.records import iso

log = logging.getLogger("graphsvc.sla")
PAGE = 50_000  # candidates per read: each read takes and sorts them all (cypher/events/sla_candidates)


def sla_view(status: SlaStatus | None) -> dict[str, Any] | None:
    """The API's shape of an SLA status (board, readiness, events)."""
    if status is None:
        return None
    return {"stage": status.stage, "hours": status.hours, "entered_at": iso(status.entered_at),
            "due_at": iso(status.due_at), "reminder_at": iso(status.reminder_at), "state": status.state}


class SlaTimer(Background):
    def __init__(self, state: AppState, ruleset_for: Callable[[], Ruleset], interval_s: float) -> None:
        super().__init__("sla-timer", enabled=interval_s > 0)
        self.state, self.ruleset_for, self.interval_s = state, ruleset_for, interval_s

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.guarded("SLA check", self.run_once)

    def run_once(self) -> dict[str, int]:
        now, ruleset = self.state.clock(), self.ruleset_for()
        actor = f"rules@{ruleset.version}"
        out, after = {"reminders": 0, "breaches": 0}, ""
        while rows := self.state.store.read("events/sla_candidates", after=after, limit=PAGE):
            after = rows[-1]["id"]
            for r in rows:
                status = sla_status(r["stage"], r["stage_since"], ruleset.sla, now)
                if status is None or status.state == "on_time":
                    continue
                kind = "breach" if status.state == "breached" else "reminder"
                if r["sla_breached" if kind == "breach" else "sla_reminded"] == r["stage_since"]:
                    continue  # written already
                written = self.state.store.write("events/sla_event", id=r["id"], stage=r["stage"],
                                                 since=r["stage_since"], kind=kind, now=now, actor=actor,
                                                 event=json.dumps(sla_view(status)))
                if written:
                    out["breaches" if kind == "breach" else "reminders"] += 1
        if any(out.values()):
            log.info("SLA: %d reminder(s), %d breach(es)", out["reminders"], out["breaches"])
        return out
