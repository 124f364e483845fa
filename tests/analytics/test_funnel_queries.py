"""funnel_now and funnel_conversion on the scenario (see scenario.py for the graph)."""

from __future__ import annotations

import pytest

from .scenario import t


def _table(rows, *cols):
    return {tuple(r[c] for c in cols[:-1]) if len(cols) > 2 else r[cols[0]]: r[cols[-1]] for r in rows}


def test_accounts_per_stage_now(scenario, runner):
    rows = runner.rows("funnel_now")
    assert [(r["group"], r["stage"], r["stage_order"], r["accounts"]) for r in rows] == [
        ("all", "target", 1, 1), ("all", "engaged", 2, 1), ("all", "mqa", 3, 3), ("all", "sql", 4, 1),
        ("all", "won", 7, 1), ("all", "nurture", 9, 3),
    ]


def test_stage_counts_by_segment_industry_and_first_touch_source(scenario, runner):
    by_segment = _table(runner.rows("funnel_now", by="segment"), "group", "stage", "accounts")
    assert by_segment == {
        ("enterprise", "target"): 1, ("enterprise", "won"): 1, ("enterprise", "nurture"): 1,
        ("mid_market", "engaged"): 1, ("mid_market", "mqa"): 2, ("mid_market", "nurture"): 1,
        ("smb", "mqa"): 1, ("smb", "sql"): 1, ("smb", "nurture"): 1,
    }
    by_industry = _table(runner.rows("funnel_now", by="industry"), "group", "stage", "accounts")
    assert by_industry == {
        ("(none)", "sql"): 1,
        ("automation", "engaged"): 1, ("automation", "nurture"): 2,
        ("semis", "target"): 1, ("semis", "mqa"): 3, ("semis", "won"): 1, ("semis", "nurture"): 1,
    }
    # A1 has a webinar lead (-70 d) and a later trade-show lead: the first touch counts.
    by_source = _table(runner.rows("funnel_now", by="source"), "group", "stage", "accounts")
    assert by_source == {
        ("(none)", "target"): 1, ("(none)", "engaged"): 1, ("(none)", "mqa"): 2, ("(none)", "nurture"): 1,
        ("trade_show", "nurture"): 1,
        ("webinar", "mqa"): 1, ("webinar", "won"): 1, ("webinar", "nurture"): 1,
        ("website", "sql"): 1,
    }


def _steps(rows, group="all"):
    return {r["stage"]: (r["reached"], r["advanced"]) for r in rows if r["group"] == group}


def test_conversion_over_the_whole_history(scenario, runner):
    rows = runner.rows("funnel_conversion", **{"from": t(-60), "to": t(0)})
    # A5's single change target -> sql enters engaged, mqa and sql at once (and so advances twice).
    assert _steps(rows) == {"engaged": (9, 9), "mqa": (9, 5), "sql": (5, 1), "accepted": (1, 1),
                            "opportunity": (1, 1), "won": (1, None)}
    mqa = next(r for r in rows if r["stage"] == "mqa")
    assert mqa["next_stage"] == "sql" and mqa["rate"] == pytest.approx(5 / 9)
    assert next(r for r in rows if r["stage"] == "won")["rate"] is None


def test_conversion_counts_only_changes_inside_the_period(scenario, runner):
    rows = runner.rows("funnel_conversion", **{"from": t(-26), "to": t(0)})
    # A1 accepted at -29.6 d (outside), then opportunity and won inside; A2 became SQL at -25 d.
    assert _steps(rows) == {"engaged": (5, 5), "mqa": (5, 3), "sql": (4, 0), "opportunity": (1, 1),
                            "won": (1, None)}
    # The end is exclusive: a period ending at A1's won (-10 d) does not see it.
    rows = runner.rows("funnel_conversion", **{"from": t(-26), "to": t(-10)})
    assert _steps(rows)["opportunity"] == (1, 0) and "won" not in _steps(rows)


def test_conversion_by_segment(scenario, runner):
    rows = runner.rows("funnel_conversion", by="segment", **{"from": t(-60)})
    assert _steps(rows, "enterprise") == {"engaged": (2, 2), "mqa": (2, 2), "sql": (2, 1), "accepted": (1, 1),
                                          "opportunity": (1, 1), "won": (1, None)}
    assert _steps(rows, "mid_market") == {"engaged": (4, 4), "mqa": (4, 1), "sql": (1, 0)}
    assert _steps(rows, "smb") == {"engaged": (3, 3), "mqa": (3, 2), "sql": (2, 0)}


def test_default_period_is_the_90_days_before_now(scenario, runner):
    assert runner.rows("funnel_conversion") == runner.rows("funnel_conversion", **{"from": t(-90), "to": t(0)})
