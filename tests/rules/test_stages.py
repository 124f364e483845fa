"""Stage rules: up at once, down only after the hold, people's stages never overridden, nurture
re-entry only on later engagement."""

from __future__ import annotations

import pytest

from graphsvc.rules import evaluate

from .factory import DAY, NOW, RS, account, contact, engaged, ruleset_with

HOLD = RS.stages.hold_days


def _sql_people(intent_days=3.0, vp_days=1.0):
    return (
        engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=intent_days),
        engaged("e2", 40, "Process Engineer"),
        engaged("vp", 20, "VP Operations", days_ago=vp_days),
    )


def _mqa_people():
    return engaged("e1", 40, "Test Engineer"), engaged("e2", 40, "Process Engineer"), engaged("e3", 40, "Quality Engineer")


# ------------------------------------------------------------------------------------------- up
@pytest.mark.parametrize(
    "people, stage",
    [((), "target"), ((engaged("a", 5),), "engaged"), (_mqa_people(), "mqa"), (_sql_people(), "sql")],
)
def test_up_at_once_from_target(people, stage):
    q = evaluate(account(*people), RS, NOW)
    assert q.stage == stage and q.previous_stage == "target"
    assert q.changed is (stage != "target") and not q.held
    assert q.qualified_at == NOW


def test_up_skips_stages():
    q = evaluate(account(*_sql_people(), stage="engaged", stage_since=NOW - DAY), RS, NOW)
    assert (q.previous_stage, q.stage, q.changed) == ("engaged", "sql", True)
    assert q.reason.startswith("Promoted engaged -> sql")


def test_unchanged_stage_is_not_a_change_but_refreshes_qualified_at():
    q = evaluate(account(*_mqa_people(), stage="mqa", stage_since=NOW - 5 * DAY, qualified_at=NOW - DAY), RS, NOW)
    assert (q.stage, q.changed, q.held, q.qualified_at) == ("mqa", False, False, NOW)
    assert q.reason.startswith("Stays mqa") and "Not SQL" in q.reason


# ---------------------------------------------------------------------------------------- holds
def _fading_sql(qualified_days_ago: float, stage_since_days_ago: float = 60):
    """Was an SQL; the intent is now 40 days old, so today it is only an MQA."""
    return account(
        *_sql_people(intent_days=40), stage="sql",
        stage_since=NOW - stage_since_days_ago * DAY, qualified_at=NOW - qualified_days_ago * DAY,
    )


def test_default_hold_is_14_days():
    assert HOLD == 14


@pytest.mark.parametrize("days", [0.5, 7, 13.99])
def test_kept_within_the_hold(days):
    q = evaluate(_fading_sql(days), RS, NOW)
    assert (q.stage, q.changed, q.held) == ("sql", False, True)
    assert q.qualified_at == NOW - days * DAY  # not refreshed: the sql bar did not pass
    assert not q.sql.passed and q.mqa.passed
    assert q.reason.startswith("Held at sql") and "intent" in q.reason


@pytest.mark.parametrize("days", [14, 14.01, 90])
def test_dropped_after_the_hold(days):
    q = evaluate(_fading_sql(days), RS, NOW)
    assert (q.stage, q.previous_stage, q.changed, q.held) == ("mqa", "sql", True, False)
    assert q.qualified_at == NOW
    assert q.reason.startswith("Dropped sql -> mqa")


def test_hold_is_measured_from_the_later_of_qualified_at_and_stage_since():
    # Became SQL 3 days ago (stage_since) on an old qualified_at: still within the hold.
    q = evaluate(_fading_sql(qualified_days_ago=30, stage_since_days_ago=3), RS, NOW)
    assert q.held and q.stage == "sql"
    acc = account(*_sql_people(intent_days=40), stage="sql", stage_since=NOW - 3 * DAY, qualified_at=None)
    assert evaluate(acc, RS, NOW).held
    acc = account(*_sql_people(intent_days=40), stage="sql", stage_since=None, qualified_at=NOW - 3 * DAY)
    assert evaluate(acc, RS, NOW).held


def test_without_any_reference_time_the_drop_is_immediate():
    acc = account(*_sql_people(intent_days=40), stage="sql", stage_since=None, qualified_at=None)
    q = evaluate(acc, RS, NOW)
    assert q.stage == "mqa" and not q.held and "no record of passing" in q.reason


def test_drop_goes_straight_to_the_computed_stage():
    acc = account(engaged("a", 5), stage="sql", stage_since=NOW - 60 * DAY, qualified_at=NOW - 30 * DAY)
    q = evaluate(acc, RS, NOW)
    assert (q.previous_stage, q.stage) == ("sql", "engaged")


@pytest.mark.parametrize("previous, people", [("mqa", (engaged("a", 5),)), ("engaged", ())])
def test_every_automatic_stage_is_held(previous, people):
    within = account(*people, stage=previous, stage_since=NOW - 30 * DAY, qualified_at=NOW - 2 * DAY)
    after = account(*people, stage=previous, stage_since=NOW - 30 * DAY, qualified_at=NOW - 20 * DAY)
    assert evaluate(within, RS, NOW).held and evaluate(within, RS, NOW).stage == previous
    assert not evaluate(after, RS, NOW).held and evaluate(after, RS, NOW).stage != previous


def test_hold_length_is_configurable():
    rs = ruleset_with("[stages]\nhold_days = 0")
    assert evaluate(_fading_sql(0.5), rs, NOW).stage == "mqa"
    rs = ruleset_with("[stages]\nhold_days = 60")
    assert evaluate(_fading_sql(30), rs, NOW).held


def test_a_disqualifying_domain_drops_without_hold():
    acc = account(*_sql_people(), domain="competitor.example", stage="sql", stage_since=NOW - DAY, qualified_at=NOW - DAY)
    q = evaluate(acc, RS, NOW)
    assert q.stage == "target" and not q.held


def test_requalifying_within_the_hold_clears_it():
    acc = account(*_sql_people(), stage="sql", stage_since=NOW - 60 * DAY, qualified_at=NOW - 10 * DAY)
    q = evaluate(acc, RS, NOW)
    assert (q.stage, q.held, q.changed, q.qualified_at) == ("sql", False, False, NOW)


# ----------------------------------------------------------------------------- people's stages
@pytest.mark.parametrize("stage", ["accepted", "opportunity", "won", "lost", "disqualified"])
@pytest.mark.parametrize("people", [(), _mqa_people(), _sql_people()], ids=["none", "mqa", "sql"])
def test_manual_stages_are_never_overridden(stage, people):
    acc = account(*people, stage=stage, stage_since=NOW - 400 * DAY, qualified_at=NOW - 400 * DAY)
    q = evaluate(acc, RS, NOW)
    assert (q.stage, q.previous_stage, q.changed, q.held) == (stage, stage, False, False)
    assert q.qualified_at == NOW - 400 * DAY
    assert "never overridden" in q.reason
    # ... but the checks are still computed and returned.
    assert len(q.mqa.checks) == 4 and q.sql.checks[0].name == "mqa"
    assert q.sql.passed is (people == _sql_people())


def test_unknown_stage_is_left_alone():
    q = evaluate(account(*_sql_people(), stage="limbo"), RS, NOW)
    assert q.stage == "limbo" and not q.changed and "Unknown stage" in q.reason


# --------------------------------------------------------------------------------------- nurture
def test_nurture_without_later_engagement_stays():
    # Fully qualified on activity from before the recycle (recycled 2 days ago, activity 3 days ago).
    acc = account(
        engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=3),
        engaged("e2", 40, "Process Engineer", days_ago=3),
        engaged("vp", 20, "VP Operations", days_ago=3),
        stage="nurture", stage_since=NOW - 2 * DAY,
    )
    q = evaluate(acc, RS, NOW)
    assert q.sql.passed  # the rules would say sql ...
    assert (q.stage, q.changed) == ("nurture", False)  # ... but nothing happened since the recycle
    assert "no engagement since it was recycled" in q.reason
    assert q.next_action.action == "nurture_content"


def test_nurture_re_enters_on_engagement_after_the_recycle():
    acc = account(*_sql_people(intent_days=3, vp_days=1), stage="nurture", stage_since=NOW - 2 * DAY)
    q = evaluate(acc, RS, NOW)
    assert (q.previous_stage, q.stage, q.changed) == ("nurture", "sql", True)
    assert q.reason.startswith("Re-entered sql from nurture")


def test_nurture_re_entry_boundary_is_strictly_after_stage_since():
    at = NOW - 2 * DAY
    same_moment = account(engaged("a", 30, days_ago=2), stage="nurture", stage_since=at)
    one_second_later = account(engaged("a", 30, days_ago=2 - 1 / 86_400), stage="nurture", stage_since=at)
    assert evaluate(same_moment, RS, NOW).stage == "nurture"
    assert evaluate(one_second_later, RS, NOW).stage == "engaged"


def test_negative_activity_after_the_recycle_does_not_re_enter():
    acc = account(
        engaged("a", 30, days_ago=10), contact("b", activities=[("unsubscribe", 1)]),
        stage="nurture", stage_since=NOW - 2 * DAY,
    )
    assert evaluate(acc, RS, NOW).stage == "nurture"


def test_later_engagement_by_a_disqualified_contact_does_not_re_enter():
    acc = account(
        engaged("a", 30, days_ago=10), engaged("b", 30, email="b@competitor.example"),
        stage="nurture", stage_since=NOW - 2 * DAY,
    )
    assert evaluate(acc, RS, NOW).stage == "nurture"


def test_re_entry_needs_at_least_the_engaged_bar():
    acc = account(engaged("a", 0.4, type="page_view", days_ago=0), stage="nurture", stage_since=NOW - 2 * DAY)
    q = evaluate(acc, RS, NOW)
    assert q.stage == "nurture" and "not enough" in q.reason


def test_nurture_without_stage_since_stays():
    acc = account(*_sql_people(), stage="nurture", stage_since=None)
    assert evaluate(acc, RS, NOW).stage == "nurture"
