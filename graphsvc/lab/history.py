"""Replay recorded history into dated stage history: what `graphsvc serve --demo` does after loading
the demo, so history, stage velocity, funnel conversion and SLA reports (and a backtest) have months
of data instead of every account entering its stage at start-up.

The active ruleset is run as if it had been live over the period: at every step (weekly by default)
each account is evaluated from its history at that moment (activities as they happened, buying
roles as they were known, through the same history read as `?as_of=`), starting from the stage the
replay gave it at the previous step, and every stage change is kept at the step's date (actor
`rules@<version>`, no action, like a requalification). The CRM's opportunities are people's
transitions at their CRM dates (actor `import`): an SQL whose opportunity opens later is accepted a
day after it arose; when the opportunity opens an accepted account (or an SQL, accepted then) moves
to `opportunity` (any other stage moves there directly: sales found it without the rules);
when it closes, the account moves to `won` or `lost`. The engine never overrides those stages.
Everything is written at the end in batches (`cypher/lab/replay_write.cypher`: the changes, the
stage each account ended with, and an outbox event per change, in one statement per batch).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from graphsvc.lab.backtest import as_known, steps
from graphsvc.rules import FINAL_STAGES, INITIAL_STAGE, AccountSnapshot, Ruleset, evaluate
from graphsvc.store.graph_store import GraphStore

ACTOR_CRM = "import"
WRITE_BATCH = 200  # accounts per write
ACCEPT_AFTER_S = 86_400.0  # an SQL that led to an opportunity was accepted by sales a day after it arose


@dataclass(frozen=True)
class CrmEvent:
    """An opportunity opened, won or lost, at its CRM date (epoch seconds)."""

    at: float
    kind: str  # open, won, lost
    deal: str


@dataclass
class _State:
    stage: str = INITIAL_STAGE
    since: float | None = None
    qualified_at: float | None = None
    events: list[CrmEvent] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)


def _epoch(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return at.timestamp()


def crm_events(opportunities: Iterable[dict[str, Any]]) -> dict[str, list[CrmEvent]]:
    """Account id -> its opportunities' events in time order, from opportunity rows (`created_at`,
    `close_date`, `is_closed`, `is_won`; ISO-8601 or epoch seconds). A row without `created_at` opens
    at its close date."""
    out: dict[str, list[CrmEvent]] = {}
    for o in opportunities:
        opened, closed = _epoch(o.get("created_at")), _epoch(o.get("close_date"))
        label = f"{o['id']} ({o['name']})" if o.get("name") else str(o["id"])
        evs = out.setdefault(str(o["account_id"]), [])
        if opened is not None or closed is not None:
            evs.append(CrmEvent(opened if opened is not None else closed or 0.0, "open", label))
        if o.get("is_closed") and closed is not None:
            evs.append(CrmEvent(closed, "won" if o.get("is_won") else "lost", label))
    for evs in out.values():
        evs.sort(key=lambda e: (e.at, e.kind != "open"))
    return out


class HistoryReplay:
    """The replay's state; `feed(at, snapshots)` per page of accounts per step, `finish(now)` once."""

    def __init__(self, ruleset: Ruleset, events: dict[str, list[CrmEvent]], *,
                 new_id: Callable[[], str]) -> None:
        self.ruleset = ruleset
        self.events = events
        self.new_id = new_id
        self.state: dict[str, _State] = {}

    def _change(self, account: str, st: _State, to: str, at: float, *, actor: str, action: str | None,
                reason: str, event: dict[str, Any] | None = None) -> None:
        payload = event or {"from": st.stage, "to": to, "reason": reason, "actor": actor}
        st.changes.append({"id": account, "from": st.stage, "to": to, "at": at, "actor": actor, "action": action,
                           "reason": reason, "ruleset": self.ruleset.version if action is None else None,
                           "change_id": self.new_id(), "event": json.dumps({**payload, "replayed": True})})
        st.stage, st.since = to, at

    def _crm(self, account: str, st: _State, ev: CrmEvent) -> None:
        if ev.kind == "open":
            if st.stage == "opportunity" or st.stage in FINAL_STAGES:  # already past the opening
                return
            if st.stage == "sql":
                self._change(account, st, "accepted", ev.at - 60, actor=ACTOR_CRM, action="accept",
                             reason=f"accepted: opportunity {ev.deal} opened in the CRM")
            self._change(account, st, "opportunity", ev.at, actor=ACTOR_CRM, action="open_opportunity",
                         reason=f"opportunity {ev.deal} opened in the CRM")
        elif st.stage == "opportunity":
            self._change(account, st, ev.kind, ev.at, actor=ACTOR_CRM, action=ev.kind,
                         reason=f"{ev.kind} opportunity {ev.deal} in the CRM")

    def _due(self, account: str, st: _State, at: float) -> None:
        evs = self.events.get(account)
        while evs and evs[0].at <= at:
            self._crm(account, st, evs.pop(0))

    def feed(self, at: float, snaps: Iterable[AccountSnapshot]) -> None:
        from graphsvc.qualification.service import stage_event

        for snap in snaps:
            st = self.state.setdefault(snap.id, _State())
            self._due(snap.id, st, at)
            q = evaluate(replace(as_known(snap, at), stage=st.stage, stage_since=st.since,
                                 qualified_at=st.qualified_at), self.ruleset, at)
            st.qualified_at = q.qualified_at
            if q.changed:
                self._change(snap.id, st, q.stage, at, actor=f"rules@{self.ruleset.version}", action=None,
                             reason=q.reason, event=json.loads(stage_event(q)))
                self._accept_if_it_led_somewhere(snap.id, st, at)

    def _accept_if_it_led_somewhere(self, account: str, st: _State, at: float) -> None:
        """An SQL whose opportunity opens later was accepted by sales a day after it arose."""
        evs = self.events.get(account)
        if st.stage != "sql" or not evs or evs[0].kind != "open":
            return
        when = min(at + ACCEPT_AFTER_S, evs[0].at - 60)
        if when > at:
            self._change(account, st, "accepted", when, actor=ACTOR_CRM, action="accept",
                         reason=f"accepted; opportunity {evs[0].deal} opened later in the CRM")

    def finish(self, now: float) -> None:
        """The CRM events after the last step, up to `now`."""
        for account, st in self.state.items():
            self._due(account, st, now)

    def written(self) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(final stage row, changes) per account that changed."""
        for account, st in sorted(self.state.items()):
            if st.changes:
                yield ({"id": account, "stage": st.stage, "since": st.since, "qualified_at": st.qualified_at},
                       st.changes)


OPPORTUNITY_PROPS = ("name", "stage", "is_won", "is_closed", "amount", "currency", "source")


def write_opportunities(store: GraphStore, rows: list[dict[str, Any]], now: float) -> int:
    """Store CRM opportunity rows (the seeds' `opportunities`) with the CRM import's statement
    (`imports/upsert_opportunities`: by id, linked to account and contact; close date as epoch
    seconds). The open date (`created_at`) is the replay's, not kept on the node. Returns how many
    were new."""
    import uuid

    params = []
    for r in rows:
        props = {k: r[k] for k in OPPORTUNITY_PROPS if r.get(k) is not None}
        if r.get("close_date"):
            props["close_date"] = _epoch(r["close_date"])
        params.append({"id": str(r["id"]), "account_id": str(r["account_id"]), "contact_id": r.get("contact_id"),
                       "props": props})
    if not params:
        return 0
    return int(store.write("imports/upsert_opportunities", rows=params, now=now, batch=uuid.uuid4().hex)[0]["created"])


def replay_into(store: GraphStore, ruleset: Ruleset, opportunities: Iterable[dict[str, Any]], *, start: float,
                end: float, step_s: float, now: float,
                progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Replay `ruleset` from `start` to `end` every `step_s` with the CRM's `opportunities`, and write the
    dated stage history (the accounts must have no stage history yet: the demo after loading)."""
    from graphsvc.lab.simulate import account_pages
    from graphsvc.qualification.service import QualificationService, change_id

    replay = HistoryReplay(ruleset, crm_events(opportunities), new_id=change_id)
    q = QualificationService(store, ruleset)
    at = steps(start, min(end, now), step_s)
    for k, t in enumerate(at):
        for _, snaps in account_pages(store, lambda ids, t=t: q.snapshots(ids, t, now)):
            replay.feed(t, snaps)
        if progress:
            progress(k + 1, len(at))
    replay.finish(now)
    accounts = changes = 0
    batch: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for item in [*replay.written(), None]:
        if item is not None:
            batch.append(item)
        if batch and (item is None or len(batch) >= WRITE_BATCH):
            out = store.write("lab/replay_write", finals=[f for f, _ in batch],
                              changes=[c for _, cs in batch for c in cs])
            accounts += out[0]["accounts"] if out else 0
            changes += out[0]["changes"] if out else 0
            batch = []
    return {"steps": len(at), "accounts": accounts, "changes": changes}


__all__ = ["CrmEvent", "HistoryReplay", "crm_events", "replay_into", "write_opportunities"]
