"""assets_before_stage, campaigns_before_stage, sla_summary and sla_breaches on the scenario."""

from __future__ import annotations

import pytest

from .scenario import t


def _rows(rows):
    return [(r["id"], r["accounts"], r["touches"], r["reached"]) for r in rows]


def test_assets_that_precede_mqa(scenario, runner):
    rows = runner.rows("assets_before_stage")
    # Nine accounts reached MQA (A5 by skipping it). webinar-1: A1 -41, A2 -50, A3 -39; wp-sic: A1 twice
    # and A2 (A3's download at -140 d is outside the 90-day window); pricing: A5 -13 (A2's was after
    # its MQA); webinar-2: A8 -22.
    assert _rows(rows) == [("webinar-1", 3, 3, 9), ("wp-sic", 2, 3, 9), ("pricing", 1, 1, 9),
                           ("webinar-2", 1, 1, 9)]
    assert rows[0]["share"] == pytest.approx(3 / 9)


def test_assets_window_stage_and_limit(scenario, runner):
    assert _rows(runner.rows("assets_before_stage", window_days=110))[:2] == [("wp-sic", 3, 4, 9),
                                                                             ("webinar-1", 3, 3, 9)]
    assert _rows(runner.rows("assets_before_stage", stage="sql")) == [
        ("wp-sic", 2, 3, 5), ("webinar-1", 2, 2, 5), ("pricing", 1, 1, 5), ("webinar-2", 1, 1, 5),
    ]
    assert len(runner.rows("assets_before_stage", limit=1)) == 1


def test_campaigns_that_precede_mqa_and_sql(scenario, runner):
    assert _rows(runner.rows("campaigns_before_stage")) == [("c-webinar-q3", 3, 3, 9)]
    # A2's trade-show visit (-30 d) came after its MQA (-35 d) but before its SQL (-25 d).
    assert _rows(runner.rows("campaigns_before_stage", stage="sql")) == [("c-webinar-q3", 3, 3, 5),
                                                                        ("c-tradeshow", 1, 1, 5)]


def test_sla_summary(scenario, runner):
    rows = {r["stage"]: r for r in runner.rows("sla_summary")}
    sql = rows["sql"]
    # SQLs: A1 accepted after 10 h, A8 rejected after 5 h, A9 after exactly 24 h (within), A2 after
    # 48 h (breach), A5 never (open for 288 h: breach).
    assert {k: sql[k] for k in ("sla_hours", "entered", "acted", "acted_within_sla", "moved_on", "open",
                                "breached")} == {"sla_hours": 24, "entered": 5, "acted": 4, "acted_within_sla": 3,
                                                 "moved_on": 0, "open": 1, "breached": 2}
    assert sql["breach_rate"] == pytest.approx(0.4)
    assert sql["median_hours_to_act"] == pytest.approx(17.0)  # 5, 10, 24, 48
    assert sql["p90_hours_to_act"] == pytest.approx(24 + 0.7 * 24)
    mqa = rows["mqa"]
    # MQAs: the engine moved A1, A2, A4, A8, A9 on (A8 after exactly 72 h: within); A3, A10 open past
    # 72 h, A6 open for 24 h. Nobody acted on an MQA.
    assert {k: mqa[k] for k in ("entered", "acted", "moved_on", "open", "breached")} == {
        "entered": 8, "acted": 0, "moved_on": 5, "open": 3, "breached": 5}
    assert mqa["median_hours_to_act"] is None


def test_sla_hours_are_parameters(scenario, runner):
    rows = {r["stage"]: r for r in runner.rows("sla_summary", sql_sla_hours=50.0, mqa_sla_hours=1000.0)}
    assert (rows["sql"]["breached"], rows["mqa"]["breached"]) == (1, 0)  # only A5 (288 h) is late


def test_sla_breaches(scenario, runner):
    rows = runner.rows("sla_breaches")
    assert [(r["stage"], r["id"], r["status"], round(r["hours"], 3)) for r in rows] == [
        ("mqa", "A1", "moved_on", 240), ("mqa", "A3", "open", 912), ("mqa", "A2", "moved_on", 240),
        ("mqa", "A4", "moved_on", 552), ("sql", "A2", "acted", 48), ("sql", "A5", "open", 288),
        ("mqa", "A10", "open", 216),
    ]
    a2 = rows[4]
    assert (a2["action"], a2["actor"], a2["hours_to_act"], a2["ended_at"]) == ("reject", "rep@example.com", 48,
                                                                                t(-23))
    assert all(r["breached"] for r in rows)
    everything = runner.rows("sla_breaches", only_breached=False)
    assert len(everything) == 13 and sum(not r["breached"] for r in everything) == 6
    a9 = next(r for r in everything if r["id"] == "A9" and r["stage"] == "sql")
    assert (a9["status"], a9["hours_to_act"], a9["breached"]) == ("acted", 24, False)


def test_sla_breaches_picks_the_same_change_every_time_when_several_share_a_second(store, runner):
    """Two people act on an SQL in the same second: the answer names the change with the lowest id
    on both engines, never whichever row the engine happened to produce first."""
    from .graph import GraphBuilder

    g = GraphBuilder(store)
    g.accounts({"id": "T1", "name": "Tie Corp", "segment": "smb"})
    g.rules("T1", "mqa", at=t(-10))
    g.rules("T1", "sql", at=t(-9))
    g.person("T1", "accept", "accepted", at=t(-8), actor="first@example.com")   # change sc-0003
    g.person("T1", "open_opportunity", "opportunity", at=t(-8), actor="second@example.com")  # sc-0004
    rows = [r for r in runner.rows("sla_breaches", only_breached=False) if r["stage"] == "sql"]
    assert [(r["id"], r["status"], r["action"], r["actor"], r["hours_to_act"]) for r in rows] == [
        ("T1", "acted", "accept", "first@example.com", 24),
    ]
