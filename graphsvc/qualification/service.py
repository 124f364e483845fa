"""Qualification over the store: snapshot -> pure engine -> outcome written with its stage change.

The engine decides; this module only fetches what it needs and writes what it decided. Reads at a
past `as_of` replay the stage the account had then (from its history) and never write.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import replace
from functools import partial
from typing import Any

import orjson

from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.qualification.bant import attach_bant, requires_bant
from graphsvc.qualification.routing import routes
from graphsvc.qualification.snapshots import account_snapshot, join_current, split_current
from graphsvc.rules import (
    INITIAL_STAGE,
    SECONDS_PER_DAY,
    AccountSnapshot,
    Qualification,
    Ruleset,
    TransitionError,
    apply_action,
    evaluate,
)
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.paging import id_pages
from graphsvc.store.resend import resend

__all__ = ["ID_PAGE", "KEEP_CHANGES", "PAGE", "QualificationService", "change_id", "stage_event"]

log = logging.getLogger("graphsvc.requalify")


def change_id() -> str:
    """Sortable StageChange id: changes recorded at the same `at` still list in the order made."""
    return f"{time.time_ns():016x}-{uuid.uuid4().hex[:8]}"


def _json(value: dict[str, Any]) -> str:
    return orjson.dumps(value, default=str).decode()


def stage_event(q: Qualification) -> str:
    """The outbox payload of a rules stage change (JSON): from, to, why, the checks that decided it
    (both gates, each with value, bar and pass/fail), the missing roles and the scores."""
    checks = [{"gate": gate, "name": c.name, "passed": c.passed, "value": c.value, "threshold": c.threshold,
               "detail": c.detail}
              for gate, g in (("mqa", q.mqa), ("sql", q.sql)) for c in g.checks]
    return _json({"from": q.previous_stage, "to": q.stage, "reason": q.reason, "ruleset": q.ruleset_version,
                  "group": q.group, "qualified_group": q.qualified_group,
                  "missing_roles": list(q.buying_center.missing), "checks": checks,
                  "scores": {"fit": q.scores.fit, "engagement": q.scores.engagement, "mqa_score": q.scores.mqa_score}})


PAGE = 500  # accounts per snapshot query and outcome write in a full requalification
ID_PAGE = 50_000  # account ids per range read in a full pass (page_ids)
CONTACT_ID_PAGE = 50_000  # contact ids per range read in the engagement rebuild (cypher/read/contact_ids)
# Up to this many accounts, their current snapshots are read in one statement: a readiness answer
# is one; 20 also takes the small requalifications (an ingest batch touching a few accounts) while
# a full pass's pages of 500 keep the three reads they were measured with.
ONE_STATEMENT = 20
KEEP_CHANGES = 1_000  # stage changes a full requalification returns (it counts them all)

Progress = Callable[[int, int], None]  # accounts done, changed so far


class QualificationService:
    def __init__(self, store: GraphStore, ruleset: Ruleset | Callable[[], Ruleset]) -> None:
        """`ruleset`, or how to read it: then read at first use, so by the thread that uses the
        service (a route's worker thread, not the event loop that built it: api/deps.py)."""
        self.store = store
        self._ruleset: Ruleset | None = ruleset if isinstance(ruleset, Ruleset) else None
        self._read_ruleset: Callable[[], Ruleset] | None = None if isinstance(ruleset, Ruleset) else ruleset

    @property
    def ruleset(self) -> Ruleset:
        # Not functools.cached_property: on Python 3.11 it takes one lock for every instance, so the
        # first read of concurrent requests' services would queue behind each other's store reads.
        if self._ruleset is None:
            assert self._read_ruleset is not None
            self._ruleset = self._read_ruleset()
        return self._ruleset

    @property
    def actor(self) -> str:
        return f"rules@{self.ruleset.version}"

    # -- snapshots ----------------------------------------------------------------------------
    @property
    def half_life_s(self) -> float:
        return float(self.ruleset.activities.half_life_days * SECONDS_PER_DAY)

    def snapshots(self, ids: Sequence[str], as_of: float, now: float | None = None) -> list[AccountSnapshot]:
        return [account_snapshot(r) for r in self._snapshot_rows(ids, as_of, now)]

    def _snapshot_rows(self, ids: Sequence[str], as_of: float, now: float | None = None) -> list[dict[str, Any]]:
        """At `as_of >= now` (or `now` not given) from the engagement aggregates kept on contacts;
        accounts whose aggregates are not exact at `as_of` (built for another half-life, not built
        yet, or holding an activity later than `as_of`) and a past `as_of` replay the activities."""
        if now is not None and as_of < now:
            return self._with_parents(self._with_bant(self.snapshots_from_history(ids, as_of)), as_of)
        rows = self.snapshots_from_aggregates(ids, as_of)
        stale = [r["account"]["id"] for r in rows if not r["exact"]]
        if stale:
            replayed = {r["account"]["id"]: r for r in self.snapshots_from_history(stale, as_of)}
            rows = [replayed.get(r["account"]["id"], r) if not r["exact"] else r for r in rows]
        return self._with_parents(self._with_bant(rows), as_of)

    def _with_parents(self, rows: list[dict[str, Any]], as_of: float) -> list[dict[str, Any]]:
        """Issue 15: parent accounts' contacts who may cover roles here, read only when the ruleset
        names such roles (`hierarchy.parent_roles`); subsidiaries' contacts whose engagement rolls up,
        read only under `hierarchy.subsidiary_engagement = "roll_up"`."""
        h = self.ruleset.hierarchy
        if not rows or (not h.parent_roles and h.subsidiary_engagement != "roll_up"):
            return rows
        ids = [r["account"]["id"] for r in rows]
        found: dict[str, Any] = {}
        below: dict[str, Any] = {}
        if h.parent_roles:
            found = {r["account_id"]: r["contacts"] for r in self.store.read(
                "qualification/parent_contacts", ids=ids, roles=list(h.parent_roles),
                max_levels=h.max_levels, as_of=as_of, half_life_s=self.half_life_s)}
        if h.subsidiary_engagement == "roll_up":
            below = {r["account_id"]: sorted(r["contacts"], key=lambda c: (c["account_id"], c["contact"]["id"]))
                     for r in self.store.read("qualification/subsidiary_contacts", ids=ids, max_levels=h.max_levels,
                                              as_of=as_of, half_life_s=self.half_life_s)}
        return [{**r, "inherited": found.get(r["account"]["id"], []), "rolled_up": below.get(r["account"]["id"], [])}
                for r in rows]

    def _with_bant(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Issue 15: the recorded BANT, read (one more query) only when this ruleset requires it."""
        return attach_bant(self.store, rows) if rows and requires_bant(self.ruleset) else rows

    def snapshots_from_aggregates(self, ids: Sequence[str], as_of: float) -> list[dict[str, Any]]:
        """Snapshot rows from the engagement aggregates kept on contacts, each with `exact`: whether
        they equal the from-history answer at `as_of` (see `snapshots.join_current`). Up to
        ONE_STATEMENT accounts, one statement (`snapshot_current`: a Neo4j statement's fixed price was
        most of a readiness answer's engine time); more, the three reads joined in Python, whose
        cost over a full pass's pages is the measured one (the one statement was measured for one
        account only)."""
        ids, h = list(ids), self.half_life_s
        if len(ids) <= ONE_STATEMENT:
            rows = join_current(*split_current(self.store.read("qualification/snapshot_current", ids=ids, half_life_s=h)),
                                as_of=as_of, half_life_s=h)
            order = {a: i for i, a in enumerate(ids)}  # its aggregation does not keep the ids' order
            return sorted(rows, key=lambda r: order[r["account"]["id"]])
        return join_current(self.store.read("qualification/snapshot_accounts", ids=ids, half_life_s=h),
                            self.store.read("qualification/snapshot_contacts", ids=ids),
                            self.store.read("qualification/snapshot_roles", ids=ids), as_of=as_of, half_life_s=h)

    def snapshots_from_history(self, ids: Sequence[str], as_of: float) -> list[dict[str, Any]]:
        """Snapshot rows aggregated from every activity at or before `as_of` (any as_of)."""
        return self.store.read("qualification/snapshots_history", ids=list(ids), as_of=as_of,
                               half_life_s=self.half_life_s)

    # -- engagement aggregates -----------------------------------------------------------------
    def ensure_engagement(self, progress: Progress | None = None, page: int = 2_000,
                          retry_for_s: float = 0.0) -> dict[str, Any]:
        """Make the contacts' engagement aggregates complete for this ruleset's half-life: a no-op
        when they are; otherwise one batched pass over every contact recomputing them from history
        (the first time, or after a ruleset with another half-life). Reads stay exact throughout:
        an account whose aggregates do not fit the half-life is read from history meanwhile.
        `progress(contacts_done, activities_read)` as it begins and after every page; a log line every 5 s. Each
        statement the engine could not take is sent again for up to `retry_for_s` (each recomputes
        its contacts from history: safe twice)."""
        h = self.half_life_s
        state = resend(lambda: self.store.read_one("qualification/engagement_index"), retry_for_s, "engagement index",
                       log)
        if state and state["built"] and state["half_life_s"] == h:
            return {"rebuilt": False, "contacts": 0, "activities": 0}
        resend(partial(self.store.write, "qualification/engagement_index_set", half_life_s=h, built=False),
               retry_for_s, "engagement index", log)
        if progress:
            progress(0, 0)
        done = read = 0
        started = said = time.monotonic()
        # Ids a large page at a time, then their contacts a small page at a time (graphsvc.store.paging).
        contact_ids = id_pages(lambda after: resend(partial(self._ids, "read/contact_ids", after, CONTACT_ID_PAGE),
                                                    retry_for_s, "contact ids", log), page)
        for chunk in contact_ids:
            row = resend(partial(self.store.write, "qualification/engagement_rebuild", ids=chunk, half_life_s=h),
                         retry_for_s, f"engagement rebuild from contact {chunk[0]!r}", log)[0]
            done, read = done + row["contacts"], read + (row["activities"] or 0)
            if progress:
                progress(done, read)
            if time.monotonic() - said >= 5.0:
                said = time.monotonic()
                log.info("engagement rebuild (half-life %.0f s): %d contacts, %d activities, %.0f s",
                         h, done, read, said - started)
        built = resend(partial(self.store.write, "qualification/engagement_index_set", half_life_s=h, built=True),
                       retry_for_s, "engagement index", log)[0]["built"]
        log.info("engagement rebuild (half-life %.0f s) done: %d contacts, %d activities in %.1f s%s", h, done,
                 read, time.monotonic() - started, "" if built else "; another half-life was set meanwhile")
        return {"rebuilt": True, "contacts": done, "activities": read, "built": built}

    def _evaluate_rows(self, rows: list[dict[str, Any]], now: float) -> list[tuple[Qualification, dict[str, Any]]]:
        """Each account's outcome with the snapshot's account properties (its `requalify_pending`
        mark, owner, country ... for routing). Not explained (`evaluate(explain=False)`): the
        store keeps the decision, not the per-contact results."""
        return [(evaluate(account_snapshot(r), self.ruleset, now, explain=False), r["account"]) for r in rows]

    def snapshot(self, account_id: str, as_of: float, now: float | None = None) -> AccountSnapshot:
        found = self.snapshots([account_id], as_of, now)
        if not found:
            raise NotFound(f"no account with id {account_id!r}")
        return found[0]

    # -- requalification (writes) ---------------------------------------------------------------
    def requalify(self, ids: Sequence[str], now: float) -> list[dict[str, Any]]:
        """Evaluate the accounts at `now`, write scores and stage changes; return the changes."""
        changes: list[dict[str, Any]] = []
        ids = sorted(set(ids))
        for start in range(0, len(ids), PAGE):
            changes.extend(self._record(self._evaluate_rows(self._snapshot_rows(ids[start:start + PAGE], now), now), now))
        return changes

    def pending_accounts(self, after: str = "", limit: int = PAGE) -> list[str]:
        """Accounts a write marked for requalification that no requalification has cleared yet, in id order."""
        return [r["id"] for r in self.store.read("qualification/pending_accounts", after=after, limit=limit)]

    def pending_pages(self) -> Iterator[list[str]]:
        """The marked accounts in id order, a page of PAGE at a time. Ids are read ID_PAGE at a time:
        each read takes every marked account and sorts them, and a bulk load with requalify=later
        can leave all of them marked."""
        return id_pages(lambda after: self.pending_accounts(after=after, limit=ID_PAGE), PAGE)

    def requalify_pending(self, now: float, pages: Iterable[list[str]] | None = None) -> dict[str, Any]:
        """Requalify every account a write marked and no requalification has cleared since (a bulk
        load with requalify=later, or the service or the engine died in between): at start and
        periodically. `pages`: pending_pages() already begun (parallel.requalify_pending)."""
        done, changes = 0, []
        for page in self.pending_pages() if pages is None else pages:
            changes.extend(self.requalify(page, now))
            done += len(page)
        return {"accounts": done, "changed": len(changes), "changes": changes}

    def due_accounts(self, now: float, limit: int = PAGE) -> list[str]:
        """Accounts whose `requalify_at` is at or before `now` (issue 10), at most `limit`."""
        return [r["id"] for r in self.store.read("qualification/due_accounts", now=now, limit=limit)]

    def requalify_due(self, now: float, retry_for_s: float = 0.0) -> dict[str, Any]:
        """Requalify only the accounts whose evaluation decay can have changed by `now` (their
        `requalify_at` has come), a page at a time: the periodic pass that replaces requalifying
        every account. Each requalification moves the account's requalify_at past `now` (the
        engine's `next_change` is always later than the evaluation), so the loop ends; an account
        seen twice (a concurrent writer put its time back) is not requalified again in this pass.
        A read or a page the engine could not take is sent again for up to `retry_for_s`."""
        done: set[str] = set()
        changes: list[dict[str, Any]] = []
        while page := [i for i in resend(partial(self.due_accounts, now), retry_for_s, "accounts due", log)
                       if i not in done]:
            changes.extend(resend(partial(self.requalify, page, now), retry_for_s,
                                  f"requalification of the due page from account {page[0]!r}", log))
            done.update(page)
        return {"accounts": len(done), "changed": len(changes), "changes": changes[:KEEP_CHANGES]}

    def requalify_all(self, now: float, progress: Progress | None = None,
                      keep_changes: int = KEEP_CHANGES, retry_for_s: float = 0.0,
                      rebuild_progress: Progress | None = None) -> dict[str, Any]:
        """Every account, a page at a time. The next page's snapshots are read while this page is
        evaluated and written (the engine's Python work and the engine's read overlap). First makes
        the engagement aggregates complete for this ruleset's half-life (a no-op unless this is the
        first pass or the half-life changed: activating a ruleset requalifies with it first).
        Memory is bounded by the page, not the dataset: `changed` counts every stage change, and
        `changes` keeps only the first `keep_changes` of them (a first pass over 100k accounts
        changes most of them).
        A page the engine could not take (down, restarting after a crash, BUSY) is requalified again
        alone, from a fresh read, for up to `retry_for_s` (0: the pass fails at once), as are the
        reads of the account ids: a requalification is safe twice (a stage moves only from the
        stage evaluated, so a write stored whose answer was lost is not repeated; its changes are
        then not counted again). `rebuild_progress` is ensure_engagement's (a rebuild of every contact's
        aggregates comes first when the half-life is new: minutes at 1M contacts).
        `qualification.parallel.requalify_all` spreads the pages over worker processes."""
        self.ensure_engagement(rebuild_progress, retry_for_s=retry_for_s)
        done, changed, changes = 0, 0, list[dict[str, Any]]()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshots") as pool:
            pages = self.page_ids(retry_for_s)
            page = next(pages, [])
            pending = pool.submit(self._snapshot_rows, page, now) if page else None
            while pending is not None:
                current = pending
                wait([current])  # its snapshots are read before the next page's (an error is raised below)
                next_page = next(pages, [])
                pending = pool.submit(self._snapshot_rows, next_page, now) if next_page else None
                recorded = self._requalify_read(page, current, now, retry_for_s)
                changed += len(recorded)
                changes.extend(recorded[:max(0, keep_changes - len(changes))])
                done += len(page)
                page = next_page
                if progress:
                    progress(done, changed)
        return {"accounts": done, "changed": changed, "changes": changes}

    def _requalify_read(self, page: list[str], read: Future[list[dict[str, Any]]], now: float,
                        retry_for_s: float) -> list[dict[str, Any]]:
        """Evaluate and record `page` from its snapshots being `read`; if the read or the write fails
        with StoreUnavailable, requalify the page again from a fresh read (`resend`)."""
        tries = iter([read])

        def send() -> list[dict[str, Any]]:
            first = next(tries, None)
            if first is None:
                return self.requalify(page, now)
            return self._record(self._evaluate_rows(first.result(), now), now)
        return resend(send, retry_for_s, f"requalification of the page from account {page[0]!r}", log)

    def page_ids(self, retry_for_s: float = 0.0) -> Iterator[list[str]]:
        """Every account id in id order, a page of PAGE at a time (what a full pass walks). The ids
        are read ID_PAGE at a time: on FalkorDB a range read costs every id after it (see
        cypher/read/contact_ids), so pages of 500 cost a pass over 100k accounts ~200 such reads."""
        return id_pages(lambda after: resend(partial(self._ids, "qualification/account_ids", after, ID_PAGE), retry_for_s,
                                             f"account ids after {after!r}", log), PAGE)

    def _ids(self, statement: str, after: str, limit: int) -> list[str]:
        return [r["id"] for r in self.store.read(statement, after=after, limit=limit)]

    def _record(self, results: list[tuple[Qualification, dict[str, Any]]], now: float) -> list[dict[str, Any]]:
        if not results:
            return []
        routed = routes(self.store, self.ruleset, results)  # issue 12: owner routing, written with the stage
        # What only a stage change writes (its StageChange, event and reason) is sent only with one: a
        # full pass moves few accounts, and the rest's reasons were most of the parameter's bytes.
        rows = [
            {
                "id": q.account_id, "from": q.previous_stage, "stage": q.stage, "changed": q.changed,
                "reason": q.reason if q.changed else None, "fit": q.scores.fit, "engagement": q.scores.engagement,
                "mqa_score": q.scores.mqa_score, "qualified_at": q.qualified_at,
                "requalify_at": q.requalify_at, "qualified_until": q.qualified_until,
                "missing_roles": list(q.buying_center.missing), "change_id": change_id() if q.changed else None,
                "pending": account.get("requalify_pending"), "group": q.group if q.changed else None,
                "event": stage_event(q) if q.changed else None, "route": route,
            }
            for (q, account), route in zip(results, routed, strict=True)
        ]
        out = self.store.write("qualification/record_outcomes", rows=rows, now=now, actor=self.actor, ruleset=self.ruleset.version)
        changed = [c for c in (out[0]["changed"] if out else []) if c]
        return [{"account_id": c["id"], "from": c["from"], "to": c["to"], "reason": c["reason"]} for c in changed]

    # -- reads --------------------------------------------------------------------------------
    def evaluate_at(
        self, account_id: str, as_of: float, now: float
    ) -> tuple[Qualification, dict[str, Any], AccountSnapshot]:
        """The engine's view at `as_of` (no write). For a past as_of the stage is the one the
        account had then, replayed from its history."""
        # No individual activities: top activities come from the per-type stats (grouped by contact
        # and type), which halves the engine time of a readiness answer.
        snap = self.snapshot(account_id, as_of, now)
        stored = {"stage": snap.stage, "stage_since": snap.stage_since}
        if as_of < now:
            then = [h for h in self.history(account_id) if h["at"] <= as_of]
            stage = then[-1]["to"] if then else INITIAL_STAGE
            since = then[-1]["at"] if then else None
            qualified = snap.qualified_at if snap.qualified_at is not None and snap.qualified_at <= as_of else None
            snap = replace(snap, stage=stage, stage_since=since, qualified_at=qualified, qualified_until=None)
        return evaluate(snap, self.ruleset, as_of), stored, snap

    def history(self, account_id: str) -> list[dict[str, Any]]:
        return self.store.read("qualification/history", id=account_id)

    # -- people's actions -----------------------------------------------------------------------
    def transition(self, account_id: str, action: str, reason: str | None, actor: str, now: float) -> dict[str, Any]:
        row = self.store.account(account_id)
        if row is None:
            raise NotFound(f"no account with id {account_id!r}")
        current = row["account"].get("stage") or INITIAL_STAGE
        try:
            new = apply_action(current, action, reason, self.ruleset)
        except TransitionError as exc:
            if exc.code in ("reason_required", "invalid_reason", "unknown_action"):
                raise InvalidInput(str(exc), details=[{"field": "reason" if "reason" in exc.code else "action",
                                                        "message": str(exc)}]) from exc
            raise Conflict(str(exc), details={"stage": current, "action": action}) from exc
        params = {"id": account_id, "from": current, "to": new, "at": now, "actor": actor, "action": action,
                  "reason": reason, "change_id": change_id(),
                  "event": _json({"from": current, "to": new, "action": action, "reason": reason})}
        if not self.store.write("qualification/transition", **params):
            raise Conflict(f"account {account_id!r} changed stage while the action was being applied; retry")
        return {"account_id": account_id, "from": current, "to": new, "action": action, "reason": reason,
                "actor": actor, "at": now}
