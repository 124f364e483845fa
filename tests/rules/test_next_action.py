"""next_action: one step with why, for every situation the engine distinguishes."""

from __future__ import annotations

import pytest

from graphsvc.rules import evaluate

from .factory import DAY, NOW, RS, account, contact, engaged

HOUR = 3600.0


def _sql_people():
    return engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=2), engaged("e2", 40), engaged("vp", 20, "VP Operations")


def _action(acc):
    return evaluate(acc, RS, NOW).next_action


def test_target_without_engagement_is_nurtured():
    assert _action(account(contact("a"))).action == "nurture_content"


def test_engaged_without_mql_is_nurtured():
    a = _action(account(engaged("a", 5)))
    assert a.action == "nurture_content" and a.due_at is None


def test_engaged_with_an_mql_contact_gets_an_sdr():
    a = _action(account(engaged("a", 35, "Process Engineer", first_name="Ana", last_name="Lima")))
    assert a.action == "sdr_follow_up" and "Ana Lima" in a.why and "engaged_contacts" in a.why


def test_mqa_missing_a_role_finds_it_with_the_mqa_sla():
    a = _action(account(engaged("e1", 40, "Test Engineer"), engaged("e2", 40), engaged("e3", 40)))
    assert a.action == "find_decision_maker" and a.due_at == NOW + 72 * HOUR


def test_mqa_sla_runs_from_when_the_stage_was_entered():
    acc = account(engaged("e1", 40, "Test Engineer"), engaged("e2", 40), engaged("e3", 40), stage="mqa",
                  stage_since=NOW - 2 * DAY)
    assert _action(acc).due_at == NOW - 2 * DAY + 72 * HOUR


def test_mqa_with_the_buying_center_covered_but_no_intent_books_discovery():
    acc = account(engaged("e1", 40, "Test Engineer"), engaged("e2", 40), engaged("vp", 20, "VP Operations"))
    a = _action(acc)
    assert a.action == "book_discovery" and "no intent signal" in a.why


def test_find_the_first_missing_role_and_mention_the_others():
    acc = account(engaged("e1", 40, "Test Engineer", type="quote_request"), engaged("e2", 40), engaged("e3", 40),
                  employees=5000)
    a = _action(acc)
    assert a.action == "find_decision_maker" and "Also missing: economic_buyer" in a.why


def test_sql_acts_within_the_sql_sla():
    a = _action(account(*_sql_people()))
    assert a.action == "act_on_sql" and a.due_at == NOW + 24 * HOUR
    acc = account(*_sql_people(), stage="sql", stage_since=NOW - 5 * HOUR, qualified_at=NOW - HOUR)
    assert _action(acc).due_at == NOW + 19 * HOUR


def test_held_sql_still_asks_to_act():
    acc = account(engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=40), engaged("e2", 40),
                  engaged("vp", 20, "VP Operations"), stage="sql", stage_since=NOW - 30 * DAY, qualified_at=NOW - DAY)
    q = evaluate(acc, RS, NOW)
    assert q.held and q.next_action.action == "act_on_sql"


@pytest.mark.parametrize("stage", ["won", "lost", "disqualified"])
def test_final_stages_need_nothing(stage):
    assert _action(account(*_sql_people(), stage=stage)).action == "none"


def test_accepted_books_discovery_or_finds_the_missing_role():
    assert _action(account(*_sql_people(), stage="accepted")).action == "book_discovery"
    assert _action(account(engaged("e1", 40), stage="accepted")).action == "find_decision_maker"


def test_opportunity_advances_or_finds_the_missing_role():
    assert _action(account(*_sql_people(), stage="opportunity")).action == "advance_opportunity"
    assert _action(account(*_sql_people(), stage="opportunity", employees=5000)).action == "find_economic_buyer"


def test_nurture_gets_content():
    assert _action(account(engaged("a", 5, days_ago=10), stage="nurture", stage_since=NOW - DAY)).action == "nurture_content"


def test_a_disqualifying_account_domain_asks_to_disqualify():
    a = _action(account(*_sql_people(), domain="rival-metrology.example"))
    assert a.action == "disqualify" and "competitor" in a.why
