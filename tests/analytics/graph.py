"""A small hand-built graph for the library tests, written through the service's own code paths.

Accounts, contacts, leads and activities go through IngestService (the ingest API's service, minus
the requalification the route adds, so no stage changes happen behind the test's back); stage
changes go through the named statements the qualification engine and the sales actions use
(`qualification/record_outcomes`, `qualification/transition`) at times the test chooses.

Times are given in days relative to NOW (negative = in the past).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from conftest import NOW

from graphsvc.ingest import models as m
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.qualification.registry import active_ruleset_for

DAY = 86400.0
HOUR = 3600.0


def t(days: float, hours: float = 0.0) -> float:
    """Epoch seconds `days` (+ `hours`) from NOW."""
    return NOW + days * DAY + hours * HOUR


def _iso(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


class GraphBuilder:
    def __init__(self, store, now: float = NOW) -> None:
        self.store = store
        self.now = now
        self.ingest = IngestService(store, ingest_rules_from(active_ruleset_for(store)))
        self._ids = itertools.count(1)

    def accounts(self, *rows: dict) -> None:
        self.ingest.accounts([m.AccountIn(**r) for r in rows], self.now)

    def contacts(self, *rows: dict) -> None:
        self.ingest.contacts([m.ContactIn(**r) for r in rows], self.now)

    def leads(self, *rows: dict) -> None:
        self.ingest.leads([m.LeadIn(**{**r, "created_at": _iso(r["created_at"])}) for r in rows], self.now)

    def activities(self, *rows: dict) -> None:
        self.ingest.activities([m.ActivityIn(**{**r, "at": _iso(r["at"])}) for r in rows], self.now)

    def stage(self, account_id: str) -> str:
        return self.store.account(account_id)["account"]["stage"]

    def rules(self, account_id: str, to: str, at: float, missing: tuple[str, ...] = (), reason: str = "rules") -> None:
        """The rules engine moves the account (as QualificationService._record writes it)."""
        row = {"id": account_id, "from": self.stage(account_id), "stage": to, "changed": True, "reason": reason,
               "fit": 50.0, "engagement": 10.0, "mqa_score": 60.0, "qualified_at": at if to in ("mqa", "sql") else None,
               "missing_roles": list(missing), "change_id": f"sc-{next(self._ids):04d}"}
        out = self.store.write("qualification/record_outcomes", rows=[row], now=at, actor="rules@test", ruleset="test")
        assert [c for c in out[0]["changed"] if c], f"{account_id} did not move to {to}"

    def person(self, account_id: str, action: str, to: str, at: float, reason: str | None = None,
               actor: str = "rep@example.com") -> None:
        """A person's sales action (as QualificationService.transition writes it)."""
        params = {"id": account_id, "from": self.stage(account_id), "to": to, "at": at, "actor": actor,
                  "action": action, "reason": reason, "change_id": f"sc-{next(self._ids):04d}"}
        assert self.store.write("qualification/transition", **params), f"{account_id}: {action} not applied"
