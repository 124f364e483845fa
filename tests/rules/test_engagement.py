"""Engagement: exact decay, aggregated stats vs raw activities, the as_of cut, who never scores."""

from __future__ import annotations

import dataclasses

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.contacts import evaluate_contact
from graphsvc.rules.snapshot import Activity, ActivityStat, decay_weight, summarize

from .factory import (
    DAY,
    NOW,
    RESEARCHING_ENGINEER,
    RS,
    WEBINAR_AND_FORM,
    account,
    acts,
    contact,
    engaged,
    ruleset_with,
)


def _engagement(c, rs=RS, as_of=NOW):
    return evaluate_contact(c, rs, as_of).engagement


# ------------------------------------------------------------------------------------------ decay
def test_decay_weight_half_life_exactness():
    assert decay_weight(NOW, NOW, 30) == 1.0
    assert decay_weight(NOW - 30 * DAY, NOW, 30) == 0.5
    assert decay_weight(NOW - 60 * DAY, NOW, 30) == 0.25
    assert decay_weight(NOW - 15 * DAY, NOW, 30) == pytest.approx(2 ** -0.5, rel=1e-12)
    assert decay_weight(NOW + DAY, NOW, 30) == 1.0  # never more than fresh


@pytest.mark.parametrize("days, expected", [(0, 50.0), (30, 25.0), (60, 12.5), (90, 6.25)])
def test_contact_engagement_halves_every_half_life(days, expected):
    assert _engagement(contact("c", activities=[("quote_request", days)])) == expected


def test_half_life_is_configurable():
    rs = ruleset_with("[activities]\nhalf_life_days = 10")
    c = contact("c", activities=[("quote_request", 10)], half_life_days=10)
    assert _engagement(c, rs) == 25.0


def test_engagement_sums_points_times_decay_weight_per_type():
    stats = (
        ActivityStat("webinar_attended", 2, NOW, 1.5),  # 15 * 1.5
        ActivityStat("page_view", 10, NOW, 4.0),  # 1 * 4
    )
    c = dataclasses.replace(contact("c"), stats=stats)
    assert _engagement(c) == 26.5


def test_unknown_activity_types_are_worth_nothing():
    c = dataclasses.replace(contact("c"), stats=(ActivityStat("carrier_pigeon", 3, NOW, 3.0),))
    assert _engagement(c) == 0.0


def test_negative_points_subtract_but_a_contact_never_goes_below_zero():
    assert _engagement(contact("c", activities=[("form_submitted", 0), ("unsubscribe", 0)])) == 0.0
    assert _engagement(contact("c", activities=[("quote_request", 0), ("unsubscribe", 0)])) == 30.0
    assert _engagement(contact("c", activities=[("quote_request", 0), ("hard_bounce", 0)])) == 20.0


def test_a_negative_contact_does_not_cancel_a_colleague():
    q = evaluate(account(engaged("a", 30), contact("b", activities=[("hard_bounce", 0)])), RS, NOW)
    assert q.scores.engagement == 30.0


# ---------------------------------------------------------------------------- stats vs raw, as_of
def _story():
    return account(
        contact("e1", "Process Engineer", activities=RESEARCHING_ENGINEER + [("spec_shared", 2)]),
        contact("e2", "Test Engineer", activities=WEBINAR_AND_FORM),
        contact("e3", "Quality Engineer", activities=RESEARCHING_ENGINEER),
        contact("vp", "VP Operations", activities=[("webinar_attended", 40), ("pricing_page_view", 3)]),
    )


def test_summarize_and_pre_aggregated_stats_give_the_same_result():
    """The store sends per-type aggregates; summarize() builds them from raw rows. Same verdict."""
    raw = _story()
    # Pre-aggregated the way a database would: count, max(at), sum of per-row weights.
    def aggregate(c):
        rows: dict[str, list] = {}
        for s in c.stats:
            rows[s.type] = [s.count, s.last_at, s.decay_weight]
        return dataclasses.replace(c, stats=tuple(ActivityStat(t, n, last, w) for t, (n, last, w) in sorted(rows.items())))

    stored = dataclasses.replace(raw, contacts=tuple(aggregate(c) for c in raw.contacts))
    assert evaluate(raw, RS, NOW).to_dict() == evaluate(stored, RS, NOW).to_dict()


def test_summarize_aggregates_per_type_and_matches_a_hand_computation():
    activities = acts(("content_download", 0), ("content_download", 30), ("page_view", 60))
    stats = {s.type: s for s in summarize(activities, 30, NOW)}
    assert stats["content_download"].count == 2
    assert stats["content_download"].last_at == NOW
    assert stats["content_download"].decay_weight == 1.5
    assert stats["page_view"].decay_weight == 0.25


def test_activities_after_as_of_are_ignored_when_replaying_the_past():
    future = acts(("quote_request", -5))  # five days after NOW
    c = contact("e1", "Test Engineer", activities=[*acts(("content_download", 1)), *future])
    assert [s.type for s in c.stats] == ["content_download"]  # summarize() cut it
    q = evaluate(account(c), RS, NOW)
    assert q.sql.check("intent").value is None
    assert all(a.type != "quote_request" for a in q.top_activities)
    assert q.scores.engagement == pytest.approx(8 * decay_weight(NOW - DAY, NOW, 30), abs=0.01)


def test_replaying_an_earlier_as_of_sees_less():
    activities = acts(("quote_request", 2), ("content_download", 20))
    later = evaluate(account(contact("e1", activities=activities)), RS, NOW)
    earlier_as_of = NOW - 10 * DAY
    earlier = evaluate(account(contact("e1", activities=activities, as_of=earlier_as_of)), RS, earlier_as_of)
    assert later.sql.check("intent").passed and earlier.sql.check("intent").value is None
    # Only the download existed then, 10 days old at that moment.
    assert earlier.scores.engagement == round(8 * decay_weight(NOW - 20 * DAY, earlier_as_of, 30), 2)


# ----------------------------------------------------------------------------- disqualified contacts
@pytest.mark.parametrize(
    "email, reason",
    [("jo@competitor.example", "competitor"), ("jo@mail.competitor.example", "competitor")],
)
def test_disqualified_domain_contacts_never_score(email, reason):
    bad = contact("x", "VP Operations", email=email, activities=[("quote_request", 1)] * 3)
    q = evaluate(account(bad, engaged("ok", 20, "Test Engineer")), RS, NOW)
    result = next(c for c in q.contacts if c.id == "x")
    assert result.disqualified and result.disqualified_reason == reason
    assert result.engagement == 0.0 and not result.mql
    assert q.scores.engagement == 20.0 and q.scores.mqa_score == 20.0
    assert q.sql.check("intent").value is None  # their quote request is not intent
    assert q.buying_center.covered.get("decision_maker") is None  # nor do they cover a role
    assert "x" not in [t.contact_id for t in q.top_contacts]


@pytest.mark.parametrize("email", ["jane_gray@uoa.edu", "jo@gmail.com", "jo@eu.gmail.com", "jo@mit.edu"])
def test_a_contact_given_its_account_is_never_disqualified_by_a_student_or_free_mail_domain(email):
    """Matching never puts such an address on an account: the account was given (.edu customers exist)."""
    dean = contact("x", "Dean of Administration", email=email, activities=[("quote_request", 1)] * 3)
    q = evaluate(account(dean), RS, NOW)
    result = q.contacts[0]
    assert not result.disqualified and result.engagement > 0
    assert q.sql.check("intent").passed


def test_disqualifying_status():
    q = evaluate(account(engaged("x", 50, status="Do Not Contact")), RS, NOW)
    assert q.contacts[0].disqualified_reason == "status:do_not_contact"
    assert q.scores.engagement == 0.0


def test_contact_without_email_is_not_disqualified():
    c = dataclasses.replace(engaged("x", 12), email=None)
    assert not evaluate(account(c), RS, NOW).contacts[0].disqualified


def test_raw_activity_is_exactly_one_activity_type():
    assert Activity("a", "page_view", NOW).contact_id == ""  # the contract the store fills in
