"""The seeds' stories (issue 3, "Behaviour that must hold"), with realistic activity counts built
from raw activities, so the default thresholds are tested the way marketing will meet them."""

from __future__ import annotations

import json

from graphsvc.rules import evaluate

from .factory import (
    ENGAGED_VP,
    NOW,
    RESEARCHING_ENGINEER,
    RS,
    WEBINAR_AND_FORM,
    account,
    contact,
)


# (a) ------------------------------------------------------------------------------------------
def test_a_webinar_and_process_overview_form_make_a_contact_mql_but_not_an_sql():
    engineer = contact(
        "eng", "Process Engineer", seniority="individual", department="engineering",
        first_name="Lena", last_name="Kraus", activities=WEBINAR_AND_FORM,
    )
    q = evaluate(account(engineer, contact("vp", "VP Operations")), RS, NOW)

    eng = next(c for c in q.contacts if c.id == "eng")
    assert eng.mql and 30 <= eng.engagement < 40 and eng.fit >= 40
    assert q.stage == "engaged"  # one person is not a buying group
    assert not q.mqa.passed and not q.sql.passed
    assert not q.mqa.check("engaged_contacts").passed
    assert not q.sql.check("intent").passed  # a form fill is not a quote, demo or meeting request
    assert q.next_action.action == "sdr_follow_up" and "Lena Kraus" in q.next_action.why
    assert [a.type for a in q.top_activities][:2] == ["form_submitted", "webinar_attended"]


# (b) ------------------------------------------------------------------------------------------
def _engineers_account(**fields):
    return account(
        contact("e1", "Process Engineer", activities=RESEARCHING_ENGINEER, reports_to="mgr"),
        contact("e2", "Test Engineer", activities=RESEARCHING_ENGINEER + [("spec_shared", 4)], reports_to="mgr"),
        contact("e3", "Prüfingenieur", activities=RESEARCHING_ENGINEER, reports_to="mgr"),
        contact("mgr", "Engineering Manager", reports_to="vp"),
        contact("vp", "VP Operations", first_name="Victor", last_name="Hale"),
        contact("pm", "Production Manager", reports_to="vp"),
        **fields,
    )


def test_engagement_spread_over_engineers_makes_an_mqa_not_an_sql_and_names_the_missing_decision_maker():
    q = evaluate(_engineers_account(), RS, NOW)

    assert q.stage == "mqa"
    assert q.mqa.passed and q.mqa.check("engaged_contacts").value == 3
    assert max(t.contribution for t in q.top_contacts) == RS.mqa.per_contact_cap  # the spec sharer is capped
    assert q.scores.mqa_score < q.scores.engagement
    assert q.sql.check("intent").passed  # the spec is real intent ...
    assert not q.sql.passed  # ... but nobody who decides is engaged
    assert q.buying_center.required == ("decision_maker",)
    assert q.buying_center.missing == ("decision_maker",)
    assert q.buying_center.unengaged == ("decision_maker",)  # we know who: they just have not engaged

    candidates = q.buying_center.candidates["decision_maker"]
    assert [c.contact_id for c in candidates] == ["vp", "pm"]
    vp = candidates[0]
    assert (vp.title, vp.source, vp.confidence, vp.counts, vp.engaged) == ("VP Operations", "inferred", 0.85, True, False)
    assert vp.intro_path == ("e1", "mgr", "vp")  # an engaged engineer, through their manager
    assert not candidates[1].counts  # "Production Manager" is only a 0.6 guess

    assert q.next_action.action == "find_decision_maker"
    assert "Victor Hale (VP Operations)" in q.next_action.why and "e1 -> mgr -> vp" in q.next_action.why
    assert "decision_maker" in q.reason

    d = q.to_dict()
    assert d["buying_center"]["missing"] == ["decision_maker"]
    assert d["buying_center"]["candidates"]["decision_maker"][0]["contact_id"] == "vp"


# (c) ------------------------------------------------------------------------------------------
def _quote_account(vp_title="VP Operations", **fields):
    return account(
        contact("e1", "Process Engineer", activities=RESEARCHING_ENGINEER),
        contact("e2", "Test Engineer", activities=RESEARCHING_ENGINEER + [("quote_request", 2)]),
        contact("vp", vp_title, activities=ENGAGED_VP),
        **fields,
    )


def test_a_quote_request_with_an_engaged_vp_of_operations_makes_an_sql():
    q = evaluate(_quote_account(), RS, NOW)
    assert q.stage == "sql" and q.changed
    assert q.mqa.passed and q.sql.passed
    vp = next(c for c in q.contacts if c.id == "vp")
    assert not vp.mql  # the VP need not be an MQL: engaged and in the role is enough
    assert [c.contact_id for c in q.buying_center.covered["decision_maker"]] == ["vp"]
    assert q.next_action.action == "act_on_sql"
    assert q.next_action.due_at == NOW + 24 * 3600
    assert "quote_request" in q.reason


def test_the_same_story_in_german_and_french():
    assert evaluate(_quote_account("Leiter Produktion"), RS, NOW).stage == "sql"
    assert evaluate(_quote_account("Directeur des opérations"), RS, NOW).stage == "sql"


def test_the_same_story_at_a_1000_plus_account_still_needs_an_economic_buyer():
    q = evaluate(_quote_account(employees=5000), RS, NOW)
    assert q.stage == "mqa"
    assert q.buying_center.missing == ("economic_buyer",)
    assert q.next_action.action == "find_economic_buyer"


def test_without_the_vp_the_quote_alone_is_not_an_sql():
    q = evaluate(account(*_quote_account().contacts[:2], contact("e3", "Quality Engineer", activities=RESEARCHING_ENGINEER)), RS, NOW)
    assert q.stage == "mqa" and q.buying_center.missing == ("decision_maker",)
    assert q.buying_center.unengaged == () and q.buying_center.candidates["decision_maker"] == ()
    assert q.next_action.action == "find_decision_maker" and "no known contact" in q.next_action.why


def test_whole_qualification_is_json():
    for q in (evaluate(_quote_account(), RS, NOW), evaluate(_engineers_account(), RS, NOW)):
        text = json.dumps(q.to_dict())
        assert json.loads(text)["ruleset_version"] == RS.version
