"""What-if: every account evaluated under a candidate ruleset at `as_of`, nothing written.

The same reads and the same pure engine as a real activation (`QualificationService.snapshots` and
`graphsvc.rules.evaluate`), a page of accounts at a time: only the counts, the matrix and the moves
are kept, never the whole dataset. Each page's reads go through the analysts' lane
(`store.analysts`), so a simulation takes one analyst slot per page and ingest and sales reads keep
the engine threads the lane does not use; other analysts' queries interleave between its pages.

For every account the stage it would have is compared with the stage it has (at `as_of`: today's
stored stage, or for a past `as_of` the one its recorded history gave it then). An account that moves
is explained by its *deciding* checks: the checks of the gate it crosses whose verdict differs
between the candidate and the current ruleset (a promotion to SQL because the candidate's intent
window is wider names the `intent` check, with both bars). When the current ruleset gives the same
verdict, the move is due to time (decay, a new activity since the last requalification), not to the
candidate, and `because_of_candidate` says so.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar, cast

from graphsvc.qualification.service import ID_PAGE, PAGE, QualificationService
from graphsvc.rules import AUTOMATIC_STAGES, INITIAL_STAGE, STAGES, AccountSnapshot, Qualification, Ruleset, evaluate
from graphsvc.rules.result import Check
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.paging import id_pages

_RANK = {s: i for i, s in enumerate(AUTOMATIC_STAGES)}
LANE_TIMEOUT_S = 30.0  # a page waits this long at most for a place in the analysts' lane

Progress = Callable[[int, int], None]  # accounts done, moves so far
T = TypeVar("T")


@dataclass
class Simulation:
    """The answer, accumulated page by page (counts, not accounts)."""

    current_rules: Ruleset
    candidate_rules: Ruleset
    as_of: float
    accounts: int = 0
    now: Counter[str] = field(default_factory=Counter)
    candidate: Counter[str] = field(default_factory=Counter)
    matrix: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    segments: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    moves_total: int = 0
    moves_by_candidate: int = 0
    moves: list[dict[str, Any]] = field(default_factory=list)
    max_moves: int = 1000

    def add(self, snap: AccountSnapshot, cand: Qualification, current: Callable[[], Qualification]
            ) -> dict[str, Any] | None:
        """Count one account; `current()` (the active ruleset's outcome) is only computed for a move."""
        before, after = snap.stage, cand.stage
        self.accounts += 1
        self.now[before] += 1
        self.candidate[after] += 1
        self.matrix[before][after] += 1
        seg = self.segments[snap.segment or "(none)"]
        seg["accounts"] += 1
        for stage in ("mqa", "sql"):
            seg[f"{stage}_now"] += before == stage
            seg[f"{stage}_candidate"] += after == stage
        if before == after:
            return None
        move = explain_move(snap, cand, current(), self.candidate_rules, self.current_rules)
        self.moves_total += 1
        self.moves_by_candidate += move["because_of_candidate"]
        if len(self.moves) < self.max_moves:
            self.moves.append(move)
        return move

    def to_dict(self) -> dict[str, Any]:
        order = [s for s in STAGES if s in self.now or s in self.candidate]
        return {
            "current_version": self.current_rules.version, "candidate_version": self.candidate_rules.version,
            "as_of": self.as_of, "accounts": self.accounts,
            "stages": {s: {"now": self.now[s], "candidate": self.candidate[s],
                           "change": self.candidate[s] - self.now[s]} for s in order},
            "matrix": {a: {b: self.matrix[a][b] for b in order if self.matrix[a][b]} for a in order
                       if a in self.matrix},
            "segments": {name: {k: c[k] for k in ("accounts", "mqa_now", "mqa_candidate", "sql_now", "sql_candidate")}
                         for name, c in sorted(self.segments.items())},
            "moves_total": self.moves_total, "moves_because_of_candidate": self.moves_by_candidate,
            "moves": self.moves, "moves_truncated": self.moves_total > len(self.moves),
        }


def _gate_checks(q: Qualification, rs: Ruleset, stage: str) -> tuple[Check, ...]:
    """The checks that decide whether `stage` holds: its gate's (engaged has one bar)."""
    if stage == "sql":
        return q.sql.checks
    if stage == "mqa":
        return q.mqa.checks
    if stage == "engaged":
        bar = rs.stages.engaged_min_engagement
        e = q.scores.engagement
        return (Check("engagement", e >= bar, e, bar, f"engagement {e:g}; bar {bar:g}"),)
    return ()


def _check(c: Check) -> dict[str, Any]:
    return {"check": c.name, "passed": c.passed, "value": c.value, "threshold": c.threshold, "detail": c.detail}


def explain_move(snap: AccountSnapshot, cand: Qualification, cur: Qualification, cand_rs: Ruleset,
                 cur_rs: Ruleset) -> dict[str, Any]:
    """One moving account with the checks that decide the move (see the module's docstring)."""
    before, after = snap.stage, cand.stage
    out: dict[str, Any] = {"account_id": snap.id, "name": snap.name, "segment": snap.segment, "from": before,
                           "to": after, "current_rules": cur.stage, "because_of_candidate": cur.stage != after,
                           "reason": cand.reason, "deciding": []}
    if before not in _RANK or after not in _RANK:  # nurture re-entry: the engine's reason says it all
        return out
    up = _RANK[after] > _RANK[before]
    # Up: the gate of the new stage now passes. Down: the gate of the old stage no longer does.
    gate = after if up else before
    cand_checks = _gate_checks(cand, cand_rs, gate)
    cur_checks = {c.name: c for c in _gate_checks(cur, cur_rs, gate)}
    verdict = [c for c in cand_checks if c.passed == up]
    decisive = [c for c in verdict if c.name not in cur_checks or cur_checks[c.name].passed != up]
    for c in decisive or verdict:
        row = _check(c)
        if c.name in cur_checks:
            was = cur_checks[c.name]
            row["current"] = {"passed": was.passed, "value": was.value, "threshold": was.threshold}
        out["deciding"].append(row)
    return out


def account_pages(store: GraphStore, read: Callable[[list[str]], T], *, page: int = PAGE,
                  lane_timeout_s: float = LANE_TIMEOUT_S) -> Iterator[tuple[list[str], T]]:
    """Every account, `page` ids at a time in id order, with what `read(ids)` makes of them. Each
    page's reads run inside the analysts' lane, in a helper thread that reads the next page while
    the caller works on this one (as a full requalification overlaps its reads and the engine)."""

    def account_ids(after: str) -> list[str]:
        with store.analysts.enter(lane_timeout_s):
            return [r["id"] for r in store.read("qualification/account_ids", after=after, limit=ID_PAGE)]

    # Ids ID_PAGE at a time, handed out `page` at a time (graphsvc.store.paging); advanced by the
    # helper thread only, one fetch after the other.
    pages = id_pages(account_ids, page)

    def fetch() -> tuple[list[str], T | None]:
        ids = next(pages, [])
        if not ids:
            return ids, None
        with store.analysts.enter(lane_timeout_s):
            return ids, read(ids)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lab-pages") as pool:
        pending = pool.submit(fetch)
        while True:
            ids, got = pending.result()
            if not ids:
                return
            pending = pool.submit(fetch)
            yield ids, cast(T, got)  # a T whenever ids is not empty


class Simulator:
    """Runs a simulation over the store: `run()` for the summary, `iter_moves()` to stream every move."""

    def __init__(self, store: GraphStore, current: Ruleset, candidate: Ruleset, *, page: int = PAGE,
                 lane_timeout_s: float = LANE_TIMEOUT_S) -> None:
        self.store, self.current, self.candidate = store, current, candidate
        self.page, self.lane_timeout_s = page, lane_timeout_s

    def run(self, as_of: float, now: float, *, max_moves: int = 1000, progress: Progress | None = None,
            on_move: Callable[[dict[str, Any]], object] | None = None) -> Simulation:
        sim = Simulation(self.current, self.candidate, as_of, max_moves=max_moves)
        for snap, cand, cur in self.evaluations(as_of, now, progress=lambda n: progress(n, sim.moves_total)
                                                if progress else None):
            move = sim.add(snap, cand, cur)
            if move is not None and on_move is not None:
                on_move(move)
        return sim

    def evaluations(self, as_of: float, now: float, progress: Callable[[int], None] | None = None
                    ) -> Iterator[tuple[AccountSnapshot, Qualification, Callable[[], Qualification]]]:
        """(snapshot, candidate's outcome, the current ruleset's outcome on demand) per account, a page
        at a time: only a moving account needs the second evaluation, for its deciding checks."""
        cand_q = QualificationService(self.store, self.candidate)
        cur_q = QualificationService(self.store, self.current)
        same_decay = cand_q.half_life_s == cur_q.half_life_s

        def read(ids: list[str]) -> tuple[list[AccountSnapshot], list[AccountSnapshot]]:
            cand_snaps = cand_q.snapshots(ids, as_of, now)
            # Decay weights depend on the half-life: another one needs its own snapshot read.
            cur_snaps = cand_snaps if same_decay else cur_q.snapshots(ids, as_of, now)
            if as_of < now:
                stages = self._stages_at(ids, as_of)
                cand_snaps = [_at(s, stages.get(s.id), as_of) for s in cand_snaps]
                cur_snaps = [_at(s, stages.get(s.id), as_of) for s in cur_snaps]
            return cand_snaps, cur_snaps

        done = 0
        for ids, (cand_snaps, cur_snaps) in account_pages(self.store, read, page=self.page,
                                                           lane_timeout_s=self.lane_timeout_s):
            by_id = {s.id: s for s in cur_snaps}
            for snap in cand_snaps:
                cur_snap = by_id.get(snap.id, snap)
                yield snap, evaluate(snap, self.candidate, as_of), partial(evaluate, cur_snap, self.current, as_of)
            done += len(ids)
            if progress:
                progress(done)

    def _stages_at(self, ids: list[str], as_of: float) -> dict[str, dict[str, Any] | None]:
        out: dict[str, dict[str, Any] | None] = {}
        for r in self.store.read("lab/stages_at", ids=ids, as_of=as_of):
            changes = r["changes"] or []
            out[r["id"]] = max(changes, key=lambda c: (c["at"], c["id"])) if changes else None
        return out


def _at(snap: AccountSnapshot, last: dict[str, Any] | None, as_of: float) -> AccountSnapshot:
    """The snapshot with the stage the account had at `as_of` (as QualificationService.evaluate_at)."""
    qualified = snap.qualified_at if snap.qualified_at is not None and snap.qualified_at <= as_of else None
    if last is None:
        return replace(snap, stage=INITIAL_STAGE, stage_since=None, qualified_at=qualified)
    return replace(snap, stage=last["to"], stage_since=last["at"], qualified_at=qualified)
