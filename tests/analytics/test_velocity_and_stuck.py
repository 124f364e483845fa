"""stage_velocity, stuck_mqas and mqa_fallbacks on the scenario."""

from __future__ import annotations

import pytest

from .scenario import t

HOURS = 1 / 24


def _by_stage(rows):
    return {r["stage"]: r for r in rows}


def test_days_in_stage_median_p90_mean_over_completed_stays(scenario, runner):
    rows = runner.rows("stage_velocity")
    assert [r["stage"] for r in rows] == ["engaged", "mqa", "sql", "accepted", "opportunity"]
    v = _by_stage(rows)
    # engaged stays: A1 10, A2 10, A3 3, A4 2, A6 3, A8 2, A9 1, A10 1 (A4's second stay is open).
    assert (v["engaged"]["stays"], v["engaged"]["open"]) == (8, 0)
    assert v["engaged"]["median_days"] == pytest.approx(2.5)  # between 2 and 3
    assert v["engaged"]["p90_days"] == pytest.approx(10.0)
    assert v["engaged"]["mean_days"] == pytest.approx(4.0)
    # mqa stays: A1 10, A2 10, A4 23, A8 3, A9 1 -> p90 at position 3.6: 10 + 0.6 * 13.
    assert v["mqa"]["stays"] == 5
    assert v["mqa"]["median_days"] == pytest.approx(10.0)
    assert v["mqa"]["p90_days"] == pytest.approx(17.8)
    assert v["mqa"]["mean_days"] == pytest.approx(9.4)
    assert v["mqa"]["max_days"] == pytest.approx(23.0)
    # sql stays: A8 5 h, A1 10 h, A9 1 d, A2 2 d.
    assert v["sql"]["median_days"] == pytest.approx((10 * HOURS + 1) / 2)
    assert v["sql"]["p90_days"] == pytest.approx(1 + 0.7 * (2 - 1))
    assert v["accepted"]["median_days"] == pytest.approx(10 - 10 * HOURS)
    assert v["opportunity"]["median_days"] == pytest.approx(10.0)


def test_open_stays_are_measured_up_to_now_when_asked(scenario, runner):
    v = _by_stage(runner.rows("stage_velocity", include_open=True))
    # mqa now: A3 (38 d), A10 (9 d), A6 (1 d) join the 5 completed stays.
    assert (v["mqa"]["stays"], v["mqa"]["open"]) == (8, 3)
    assert v["mqa"]["median_days"] == pytest.approx(9.5)  # 1 1 3 [9 10] 10 23 38
    assert v["mqa"]["max_days"] == pytest.approx(38.0)
    assert (v["won"]["stays"], v["won"]["median_days"]) == (1, pytest.approx(10.0))
    assert v["nurture"]["open"] == 3
    assert v["sql"]["open"] == 1  # A5
    assert [r["stage_order"] for r in runner.rows("stage_velocity", include_open=True)] == [2, 3, 4, 5, 6, 7, 9]


def test_period_selects_stays_by_their_start(scenario, runner):
    v = _by_stage(runner.rows("stage_velocity", **{"from": t(-12), "to": t(0)}))
    # Completed stays begun in the last 12 days.
    assert v["engaged"]["stays"] == 3  # A6 (-4 -> -1), A9 (-9 -> -8), A10 (-10 -> -9)
    assert v["mqa"]["stays"] == 1  # A9 (-8 -> -7)
    assert v["sql"]["stays"] == 1  # A9 (-7 -> -6); A5's is open


def test_stuck_mqas_with_their_missing_roles(scenario, runner):
    rows = runner.rows("stuck_mqas")  # 30 days by default
    assert [(r["id"], round(r["days_in_mqa"], 3), r["missing_roles"]) for r in rows] == [
        ("A3", 38.0, ["decision_maker", "economic_buyer"]),
    ]
    assert rows[0]["mqa_since"] == t(-38) and rows[0]["segment"] == "mid_market"
    rows = runner.rows("stuck_mqas", min_days=5)
    assert [(r["id"], r["missing_roles"]) for r in rows] == [("A3", ["decision_maker", "economic_buyer"]),
                                                            ("A10", ["decision_maker"])]
    assert [r["id"] for r in runner.rows("stuck_mqas", min_days=0.5, limit=2)] == ["A3", "A10"]
    assert [r["id"] for r in runner.rows("stuck_mqas", min_days=0.5)] == ["A3", "A10", "A6"]


def test_mqa_fallbacks(scenario, runner):
    rows = runner.rows("mqa_fallbacks")
    assert len(rows) == 1
    fall = rows[0]
    assert (fall["id"], fall["fell_from"], fall["fell_to"], fall["at"]) == ("A4", "mqa", "engaged", t(-5))
    assert fall["days_held"] == pytest.approx(23.0)
    assert fall["reason"] == "engagement decayed below the MQA bar" and fall["actor"] == "rules@test"
    # People's exits (A2, A8, A9 rejected to nurture) are leakage, not fallbacks.
    assert runner.rows("mqa_fallbacks", **{"from": t(-4)}) == []
