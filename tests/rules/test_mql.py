"""Contact MQL: engagement and fit bars, both sides; and the engine's purity (no clock)."""

from __future__ import annotations

import time

import pytest

from graphsvc.rules import evaluate

from .factory import NOW, RS, account, engaged, ruleset_with


def _mql(c, rs=RS):
    return evaluate(account(c), rs, NOW).contacts[0]


def test_default_bars():
    assert (RS.mql.min_engagement, RS.mql.min_fit) == (30.0, 40.0)


@pytest.mark.parametrize("e, mql", [(30.0, True), (29.99, False), (500.0, True)])
def test_mql_engagement_both_sides(e, mql):
    c = _mql(engaged("c", e, "Test Engineer"))  # fit 40: exactly at the fit bar
    assert c.fit == 40.0 and c.mql is mql


@pytest.mark.parametrize("min_fit, mql", [(40.0, True), (40.01, False)])
def test_mql_fit_both_sides(min_fit, mql):
    rs = ruleset_with(f"[mql]\nmin_fit = {min_fit}")
    assert _mql(engaged("c", 50, "Test Engineer"), rs).mql is mql


def test_a_poor_fit_never_makes_an_mql_however_engaged():
    c = _mql(engaged("c", 500, "Marketing Coordinator", seniority="individual", department="marketing"))
    assert c.fit < 40 and not c.mql


def test_the_engine_reads_no_clock(monkeypatch):
    def no_clock(*_a, **_k):
        raise AssertionError("the rules engine must not read the clock")

    monkeypatch.setattr(time, "time", no_clock)
    monkeypatch.setattr(time, "monotonic", no_clock)
    q = evaluate(account(engaged("c", 50, "Test Engineer")), RS, NOW)
    assert q.as_of == NOW
