"""sql_rejections, buying_center_gaps and dm_paths on the scenario."""

from __future__ import annotations

import pytest

from .scenario import t


def _groups(rows):
    return [(r["group"], r["rejections"], r["accounts"], r["total"]) for r in rows]


def test_rejections_by_reason(scenario, runner):
    assert _groups(runner.rows("sql_rejections")) == [("no_budget", 2, 2, 3), ("bad_timing", 1, 1, 3)]
    # A2's rejection (-23 d) falls outside a period starting at -20 d.
    assert _groups(runner.rows("sql_rejections", **{"from": t(-20)})) == [("bad_timing", 1, 1, 2),
                                                                        ("no_budget", 1, 1, 2)]


def test_rejections_by_first_touch_source(scenario, runner):
    assert _groups(runner.rows("sql_rejections", by="source")) == [
        ("(none)", 1, 1, 3), ("trade_show", 1, 1, 3), ("webinar", 1, 1, 3),
    ]


def test_rejections_by_campaign_engaged_before_the_rejection(scenario, runner):
    # A2: c-webinar-q3 (-50) and c-tradeshow (-30) before its rejection, c-late (-1) after it;
    # A8: c-webinar-q3; A9: none.
    assert _groups(runner.rows("sql_rejections", by="campaign")) == [
        ("c-webinar-q3", 2, 2, 3), ("(none)", 1, 1, 3), ("c-tradeshow", 1, 1, 3),
    ]


def test_buying_center_gaps_across_mqas(scenario, runner):
    rows = runner.rows("buying_center_gaps")
    # MQAs: A3 misses decision_maker and economic_buyer, A10 decision_maker, A6 nothing.
    assert [(r["role"], r["missing"], r["accounts"], r["complete"]) for r in rows] == [
        ("decision_maker", 2, 3, 1), ("economic_buyer", 1, 3, 1),
    ]
    assert rows[0]["share"] == pytest.approx(2 / 3)
    rows = runner.rows("buying_center_gaps", segment="mid_market")
    assert [(r["role"], r["missing"], r["accounts"], r["complete"]) for r in rows] == [
        ("decision_maker", 2, 2, 0), ("economic_buyer", 1, 2, 0),
    ]
    # A4 (engaged again) still carries the roles it missed: the stage decides who is counted.
    assert [(r["role"], r["missing"]) for r in runner.rows("buying_center_gaps", stage="engaged")] == [
        ("decision_maker", 1),
    ]


def test_reporting_line_to_an_unengaged_decision_maker(scenario, runner):
    rows = runner.rows("dm_paths")
    # A3: c3-eng (active -2 d) -> c3-mgr -> c3-vp (decision maker, last active -200 d). c3-mgr's only
    # activity is an unsubscribe; A1's decision maker is engaged; A10's engaged contact has no line.
    assert [(r["account_id"], r["contact_id"], r["decision_maker_id"], r["hops"], r["path"]) for r in rows] == [
        ("A3", "c3-eng", "c3-vp", 2, ["c3-eng", "c3-mgr", "c3-vp"]),
    ]
    row = rows[0]
    assert row["contact_last_active"] == t(-2) and row["decision_maker_last_active"] == t(-200)
    assert row["stage"] == "mqa" and row["decision_maker_title"] == "VP Operations"


def test_negative_signals_do_not_count_as_engagement_unless_asked(scenario, runner):
    rows = runner.rows("dm_paths", ignore_types=[])
    assert [(r["contact_id"], r["hops"]) for r in rows] == [("c3-mgr", 1), ("c3-eng", 2)]


def test_window_and_stage_filters(scenario, runner):
    # Over 30 days A1's decision maker (last active -45 d) is unengaged, but so is c1-eng (-41 d).
    assert [r["account_id"] for r in runner.rows("dm_paths", window_days=30)] == ["A3"]
    # Over 250 days c3-vp (-200 d) counts as engaged: no one to introduce.
    assert runner.rows("dm_paths", window_days=250) == []
    assert runner.rows("dm_paths", stage="sql") == []
    assert len(runner.rows("dm_paths", stage="mqa")) == 1
