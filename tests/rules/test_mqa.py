"""Account MQA: every check on both sides of its bar, the per-contact cap, the account's domain."""

from __future__ import annotations

import pytest

from graphsvc.rules import evaluate

from .factory import NOW, RS, account, contact, engaged, ruleset_with

M = RS.mqa


def _three(e=40.0):
    return engaged("a", e, "Test Engineer"), engaged("b", e, "Process Engineer"), engaged("c", e, "Quality Engineer")


def test_default_bars():
    assert (M.per_contact_cap, M.min_score, M.engaged_contact_min, M.min_engaged_contacts, M.min_fit) == (
        40.0, 90.0, 10.0, 2, 60.0,
    )


def test_three_engaged_contacts_on_an_icp_account_make_an_mqa():
    q = evaluate(account(*_three()), RS, NOW)
    assert q.mqa.passed and q.stage == "mqa"
    assert [c.name for c in q.mqa.checks] == ["account_domain", "account_fit", "engaged_contacts", "mqa_score"]
    assert all(c.passed for c in q.mqa.checks)


# --------------------------------------------------------------------------------- account_fit
@pytest.mark.parametrize("country, fit, passed", [("US", 60.0, True), ("BR", 45.0, False)])
def test_account_fit_both_sides(country, fit, passed):
    # software (40) + under 50 people (0) + under 10M (0) + country: exactly at the bar, or below it.
    acc = account(*_three(), industry="software", employees=30, annual_revenue=5e6, country=country)
    q = evaluate(acc, RS, NOW)
    check = q.mqa.check("account_fit")
    assert (check.value, check.threshold, check.passed) == (fit, 60.0, passed)
    assert q.mqa.passed is passed
    assert q.stage == ("mqa" if passed else "engaged")


# ----------------------------------------------------------------------------- engaged_contacts
@pytest.mark.parametrize("second, count, passed", [(10.0, 2, True), (9.99, 1, False)])
def test_engaged_contacts_both_sides_of_the_per_contact_bar(second, count, passed):
    q = evaluate(account(engaged("a", 40), engaged("b", second)), RS, NOW)
    check = q.mqa.check("engaged_contacts")
    assert (check.value, check.threshold, check.passed) == (count, 2, passed)


def test_engaged_contacts_count_bar_is_configurable():
    rs = ruleset_with("[mqa]\nmin_engaged_contacts = 4")
    q = evaluate(account(*_three()), rs, NOW)
    assert not q.mqa.check("engaged_contacts").passed and q.stage == "engaged"


# ----------------------------------------------------------------------------------- mqa_score
@pytest.mark.parametrize("third, score, passed", [(10.0, 90.0, True), (9.99, 89.99, False)])
def test_mqa_score_both_sides(third, score, passed):
    q = evaluate(account(engaged("a", 40), engaged("b", 40), engaged("c", third)), RS, NOW)
    check = q.mqa.check("mqa_score")
    assert (check.value, check.threshold, check.passed) == (score, 90.0, passed)
    assert q.mqa.check("engaged_contacts").passed  # so the verdict is the score's
    assert q.stage == ("mqa" if passed else "engaged")


def test_one_noisy_contact_cannot_make_an_account():
    q = evaluate(account(engaged("noisy", 500, "Test Engineer")), RS, NOW)
    assert q.scores.engagement == 500.0
    assert q.scores.mqa_score == 40.0  # capped
    assert not q.mqa.passed and q.stage == "engaged"


def test_two_noisy_contacts_cannot_make_an_account_either():
    q = evaluate(account(engaged("a", 500), engaged("b", 500)), RS, NOW)
    assert q.scores.mqa_score == 80.0 and not q.mqa.check("mqa_score").passed


def test_cap_is_configurable():
    rs = ruleset_with("[mqa]\nper_contact_cap = 100")
    q = evaluate(account(engaged("a", 500), engaged("b", 500)), rs, NOW)
    assert q.scores.mqa_score == 200.0 and q.mqa.passed


# ------------------------------------------------------------------------------ account_domain
@pytest.mark.parametrize("domain", ["competitor.example", "gmail.com", "mit.edu"])
def test_an_account_on_a_disqualifying_domain_never_leaves_target(domain):
    q = evaluate(account(*_three(), domain=domain), RS, NOW)
    assert not q.mqa.check("account_domain").passed and not q.mqa.passed
    assert q.stage == "target"
    assert q.next_action.action == "disqualify"


def test_an_account_without_domain_is_fine():
    assert evaluate(account(*_three(), domain=None), RS, NOW).mqa.check("account_domain").passed


# ----------------------------------------------------------------------------------- engaged
@pytest.mark.parametrize("e, stage", [(1.0, "engaged"), (0.5, "engaged"), (0.49, "target"), (0.0, "target")])
def test_engaged_stage_needs_engagement_at_the_bar(e, stage):
    q = evaluate(account(engaged("a", e, type="page_view")), RS, NOW)
    assert q.stage == stage


def test_one_page_view_keeps_an_account_engaged_for_one_half_life():
    assert evaluate(account(contact("a", activities=[("page_view", 30)])), RS, NOW).stage == "engaged"
    assert evaluate(account(contact("a", activities=[("page_view", 31)])), RS, NOW).stage == "target"
