"""A year of history with outcomes: the seeds' hidden buying process (opportunities opened, won and
lost), the replay that turns it into dated stage history (graphsvc/lab/history.py, what
`serve --demo` runs), and a backtest over the replayed demo (both engines)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime

from conftest import NOW

from graphsvc.demo import load_demo_into, replay_history
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.lab import service
from graphsvc.lab.history import CrmEvent, HistoryReplay, crm_events, write_opportunities
from graphsvc.lab.outcomes import recorded_timed
from graphsvc.loader import load
from graphsvc.qualification.registry import active_ruleset
from graphsvc.rules import AccountSnapshot, default_ruleset
from graphsvc.state import AppState
from seeds import generate

DAY = 86_400.0


# -- the seeds: a year, with outcomes decided by coverage and intent -------------------------------
def test_generated_history_spans_a_year_with_won_and_lost_opportunities():
    ds = generate(accounts=300, seed=11)
    opps = list(ds.opportunities)
    stages = Counter(o["stage"] for o in opps)
    assert stages["Closed Won"] > 5 and stages["Closed Lost"] > 5, stages
    accounts = {a["id"] for a in ds.accounts}
    assert all(o["account_id"] in accounts and o["created_at"] < (o["close_date"] or "~") for o in opps)
    months = {a["at"][:7] for a in ds.activities}
    assert len(months) >= 12, sorted(months)
    assert list(generate(accounts=300, seed=11).opportunities) == opps  # deterministic


def test_crm_events_are_ordered_and_closed_deals_close():
    evs = crm_events([
        {"id": "o1", "account_id": "a", "created_at": "2026-03-01T00:00:00Z", "close_date": "2026-04-01T00:00:00Z",
         "is_closed": True, "is_won": True},
        {"id": "o2", "account_id": "b", "created_at": 100.0, "close_date": None, "is_closed": False},
    ])
    assert [e.kind for e in evs["a"]] == ["open", "won"] and evs["a"][0].at < evs["a"][1].at
    assert [e.kind for e in evs["b"]] == ["open"]


def test_replay_turns_crm_events_into_peoples_transitions():
    """An SQL is accepted then becomes an opportunity; an account the rules never flagged moves to
    opportunity directly; closing moves it to won or lost; the engine never overrides those."""
    n = iter(range(100))
    rs = default_ruleset()
    replay = HistoryReplay(rs, {"a": [CrmEvent(10 * DAY, "open", "o1"), CrmEvent(40 * DAY, "lost", "o1")]},
                           new_id=lambda: f"c{next(n):03d}")
    for t in (0.0, 7 * DAY, 14 * DAY, 21 * DAY, 42 * DAY, 49 * DAY):
        replay.feed(t, [AccountSnapshot(id="a")])
    replay.finish(60 * DAY)
    (final, changes), = list(replay.written())
    assert [(c["from"], c["to"], c["at"] / DAY, c["action"]) for c in changes] == [
        ("target", "opportunity", 10.0, "open_opportunity"), ("opportunity", "lost", 40.0, "lost")]
    assert (final["stage"], final["since"]) == ("lost", 40 * DAY)
    st = replay.state["a"]
    st.stage, st.changes = "sql", []
    replay.events["a"] = [CrmEvent(50 * DAY, "open", "o2")]
    replay.finish(60 * DAY)
    assert [(c["from"], c["to"], c["action"]) for c in st.changes] == [
        ("sql", "accepted", "accept"), ("accepted", "opportunity", "open_opportunity")]


# -- a generated world and the demo, replayed, on both engines -------------------------------------
def _history(store, now: float) -> list[dict]:
    ids = [r["id"] for r in store.read("qualification/account_ids", after="", limit=1000)]
    changes = [h for a in ids for h in store.read("qualification/history", id=a)]
    assert all(h["at"] <= now for h in changes)
    return changes


def _months(changes: list[dict], now: float) -> set[int]:
    return {int((now - h["at"]) // (30 * DAY)) for h in changes}


def test_a_generated_world_replayed_has_months_of_history_wins_and_losses(store, settings, clock):
    """80 generated accounts (no scenario accounts: the same rows whatever scenarios the seeds have),
    loaded and replayed as `serve --demo` does."""
    state = AppState(settings=settings, store=store, clock=clock)
    now = clock()
    ds = generate(accounts=80, seed=5, as_of=datetime.fromtimestamp(now, UTC), scenarios=False)
    rows = {k: list(ds.rows(k)) for k in ("accounts", "contacts", "leads", "activities")}
    load(IngestService(store, ingest_rules_from(active_ruleset(state))), rows, now)
    opportunities = list(ds.opportunities)
    assert write_opportunities(store, opportunities, now) == len(opportunities)
    out = replay_history(state, opportunities, now)
    assert out["steps"] == 53 and out["changes"] > 0
    changes = _history(store, now)
    assert len(_months(changes, now)) >= 6, sorted(_months(changes, now))
    assert {"mqa", "sql", "accepted", "opportunity", "won", "lost"} <= {h["to"] for h in changes}
    outcomes = recorded_timed(store)
    assert {o.won for o in outcomes.values()} == {True, False}
    assert len(outcomes) == sum(o["is_closed"] for o in opportunities)
    (result,) = service.backtest(store, [active_ruleset(state)], outcomes, start=now - 364 * DAY, end=now,
                                 step_s=7 * DAY, horizon_s=120 * DAY, now=now)
    for key in ("sql_precision", "sql_recall", "base_rate", "mqa_to_sql", "lift"):
        assert isinstance(result[key], float) and not math.isnan(result[key]), (key, result)


def test_the_demo_has_dated_history_over_months_and_a_backtest(store, settings, clock):
    state = AppState(settings=settings, store=store, clock=clock)
    report = load_demo_into(state)
    assert report.rows["opportunities"] > 0 and report.stage_changes > 0
    now = clock()
    changes = _history(store, now)
    assert len(_months(changes, now)) >= 6, sorted(_months(changes, now))  # spread over at least six months
    assert {"mqa", "opportunity", "won"} <= {h["to"] for h in changes}
    outcomes = recorded_timed(store)
    assert any(o.won for o in outcomes.values())
    (result,) = service.backtest(store, [active_ruleset(state)], outcomes, start=now - 364 * DAY, end=now,
                                 step_s=14 * DAY, horizon_s=120 * DAY, now=now)
    for key in ("sql_precision", "sql_recall", "base_rate", "mqa_to_sql"):
        assert isinstance(result[key], float) and not math.isnan(result[key]), (key, result)
    assert result["won_in_period"] > 0 and result["sql_accounts"] > 0, result
    assert NOW == now
