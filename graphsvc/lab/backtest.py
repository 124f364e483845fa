"""Backtest: replay a ruleset over recorded history and score its MQAs and SQLs against outcomes.

The replay (`Replay`) runs the ruleset as if it had been active from `start`: at every step it
evaluates each account from its history at that moment (activities as they happened, buying roles
as they were known then: a role assigned later is left out) starting from the stage the *same
replay* gave it at the previous step, so holds and drops behave as they would have. It keeps per
account only when it first reached MQA (or higher) and SQL: the steps stream, the dataset does not
sit in memory.

The metrics (`metrics`, pure) for a horizon H, counting accounts, not events:

* SQL precision: of the accounts that became SQL, the share won within H after becoming SQL;
* SQL recall: of the accounts won in the period (after `start`, up to `end` + H), the share that
  became SQL at most H before being won;
* lift: precision over the base rate (accounts won in the period / accounts);
* MQA->SQL: accounts that became SQL / accounts that became MQA (or higher);
* SQL->won: accounts that became SQL and were won afterwards (any time) / SQL accounts;
* median days from first MQA and from first SQL to won (accounts won after it);
* leakage: accounts won in the period never MQA (nor SQL) before being won;
* inflation: accounts that became SQL and were lost afterwards.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from graphsvc.rules import INITIAL_STAGE, SECONDS_PER_DAY, AccountSnapshot, Ruleset, evaluate


@dataclass(frozen=True)
class Outcome:
    won: bool
    at: float  # epoch seconds of the won / lost transition


@dataclass
class _State:
    stage: str = INITIAL_STAGE
    since: float | None = None
    qualified_at: float | None = None
    mqa_at: float | None = None  # first step at MQA or higher
    sql_at: float | None = None  # first step at SQL


def steps(start: float, end: float, step_s: float) -> list[float]:
    """start, start + step, ... up to and including end."""
    out, t = [], start
    while t <= end + 1e-6:
        out.append(t)
        t += step_s
    return out


# How much later than `at` a role's time may read and still count as known at `at`: FalkorDB hands
# floats back with 15 significant digits (~10 us for an epoch second of today), so a role recorded at
# the very moment of a step (the demo's roles at load time, replayed at "now") could read a hair late
# and vanish from that step on one engine only. A millisecond is far below any step.
KNOWN_SLACK_S = 0.001


def as_known(snap: AccountSnapshot, at: float) -> AccountSnapshot:
    """The snapshot without the buying roles assigned after `at` (a role with no time counts)."""
    contacts = tuple(replace(c, roles=tuple(r for r in c.roles if r.at is None or r.at <= at + KNOWN_SLACK_S))
                     for c in snap.contacts)
    return replace(snap, contacts=contacts)


class Replay:
    """One ruleset replayed step by step; `feed(at, snapshots)` per page of accounts per step."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.state: dict[str, _State] = {}

    def feed(self, at: float, snaps: Iterable[AccountSnapshot]) -> None:
        for snap in snaps:
            st = self.state.setdefault(snap.id, _State())
            q = evaluate(replace(as_known(snap, at), stage=st.stage, stage_since=st.since,
                                 qualified_at=st.qualified_at), self.ruleset, at)
            if q.changed:
                st.stage, st.since = q.stage, at
            st.qualified_at = q.qualified_at
            if q.stage in ("mqa", "sql") and st.mqa_at is None:
                st.mqa_at = at
            if q.stage == "sql" and st.sql_at is None:
                st.sql_at = at

    def entries(self) -> dict[str, tuple[float | None, float | None]]:
        """account -> (first MQA-or-higher step, first SQL step)."""
        return {a: (s.mqa_at, s.sql_at) for a, s in self.state.items()}


def _share(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _median_days(values: list[float]) -> float | None:
    return round(statistics.median(values) / SECONDS_PER_DAY, 1) if values else None


def metrics(entries: dict[str, tuple[float | None, float | None]], outcomes: dict[str, Outcome], *,
            start: float, end: float, horizon_s: float) -> dict[str, Any]:
    """The module's metrics for one replay (see the docstring for each definition)."""
    won_in_period = {a for a, o in outcomes.items() if o.won and start < o.at <= end + horizon_s and a in entries}
    sqls = {a for a, (_, s) in entries.items() if s is not None}
    mqas = {a for a, (m, _) in entries.items() if m is not None}

    def won_within(a: str, t: float) -> bool:
        o = outcomes.get(a)
        return bool(o and o.won and t < o.at <= t + horizon_s)

    hits = {a for a in sqls if won_within(a, entries[a][1] or 0.0)}
    after = {a: o for a, o in outcomes.items() if a in entries}
    sql_won = [a for a in sqls if a in after and after[a].won and after[a].at > (entries[a][1] or 0.0)]
    sql_lost = [a for a in sqls if a in after and not after[a].won and after[a].at > (entries[a][1] or 0.0)]
    leaked = [a for a in won_in_period if entries[a][0] is None or (entries[a][0] or 0.0) >= outcomes[a].at]
    precision = _share(len(hits), len(sqls))
    base = _share(len(won_in_period), len(entries))
    return {
        "accounts": len(entries), "won_in_period": len(won_in_period), "base_rate": base,
        "mqa_accounts": len(mqas), "sql_accounts": len(sqls),
        "sql_won_within_horizon": len(hits),
        "sql_precision": precision,
        "sql_recall": _share(len(hits), len(won_in_period)),
        "lift": round(precision / base, 3) if precision is not None and base else None,
        "mqa_to_sql": _share(len(sqls), len(mqas)),
        "sql_to_won": _share(len(sql_won), len(sqls)),
        "median_days_mqa_to_won": _median_days([outcomes[a].at - (entries[a][0] or 0.0) for a in mqas
                                                if a in after and after[a].won and after[a].at > (entries[a][0] or 0.0)]),
        "median_days_sql_to_won": _median_days([outcomes[a].at - (entries[a][1] or 0.0) for a in sql_won]),
        "leakage": len(leaked), "leakage_share": _share(len(leaked), len(won_in_period)),
        "inflation": len(sql_lost), "inflation_share": _share(len(sql_lost), len(sqls)),
    }


def run(rulesets: Sequence[Ruleset], pages_at: Callable[[Ruleset, float], Iterable[list[AccountSnapshot]]],
        outcomes: dict[str, Outcome], *, start: float, end: float, step_s: float, horizon_s: float,
        progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Replay each ruleset at every step (`pages_at(ruleset, t)` yields the accounts' snapshots at t
    a page at a time, decayed at that ruleset's half-life) and score it. One result per ruleset."""
    at = steps(start, end, step_s)
    out = []
    for n, rs in enumerate(rulesets):
        replay = Replay(rs)
        for k, t in enumerate(at):
            for page in pages_at(rs, t):
                replay.feed(t, page)
            if progress:
                progress(n * len(at) + k + 1, len(rulesets) * len(at))
        out.append({"ruleset": rs.name, "version": rs.version,
                    **metrics(replay.entries(), outcomes, start=start, end=end, horizon_s=horizon_s)})
    return out
