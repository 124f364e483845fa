"""Buying-center summary: covered, missing, unengaged, candidates (ordering, floor, notes, intro paths)."""

from __future__ import annotations

from graphsvc.rules import evaluate
from graphsvc.rules.snapshot import RoleAssignment

from .factory import NOW, RS, account, contact, engaged, ruleset_with


def _mqa(*extra, **fields):
    return account(engaged("e1", 40, "Test Engineer"), engaged("e2", 40, "Process Engineer"), engaged("e3", 40, "Buyer"),
                   *extra, **fields)


def test_covered_lists_every_role_with_an_engaged_counting_contact_newest_first():
    q = evaluate(_mqa(engaged("old", 12, "Quality Engineer", days_ago=40)), RS, NOW)
    covered = q.buying_center.covered
    assert list(covered) == ["technical_evaluator", "procurement"]  # vocabulary order
    assert [c.contact_id for c in covered["technical_evaluator"]] == ["e1", "e2", "old"]
    cov = covered["procurement"][0]
    assert (cov.contact_id, cov.source, cov.confidence) == ("e3", "inferred", 0.85)
    assert cov.last_engaged_at == NOW - 86_400


def test_missing_without_anybody_known():
    bc = evaluate(_mqa(), RS, NOW).buying_center
    assert bc.missing == ("decision_maker",) and bc.unengaged == () and bc.candidates == {"decision_maker": ()}


def test_candidates_ordering_counting_then_engaged_then_confidence():
    q = evaluate(_mqa(
        contact("z_vp", "VP Operations"),  # counts, not engaged
        engaged("y_pm", 12, "Production Manager"),  # does not count (0.6), engaged
        contact("x_mgr", "Operations Manager"),  # does not count, not engaged
        contact("w_sales", "Strategist", roles=[RoleAssignment("decision_maker", "sales", 1.0)]),  # counts, not engaged
    ), RS, NOW)
    cands = q.buying_center.candidates["decision_maker"]
    assert [c.contact_id for c in cands] == ["w_sales", "z_vp", "y_pm", "x_mgr"]
    assert [c.note for c in cands][:3] == [
        "not engaged in the last 90 days",
        "not engaged in the last 90 days",
        "inferred confidence 0.6 < 0.7; sales can confirm decision_maker",
    ]
    assert cands[3].note.endswith("and they have not engaged in the last 90 days")
    assert q.buying_center.unengaged == ("decision_maker",)


def test_candidate_confidence_floor():
    rs = ruleset_with("[roles]\ncandidate_min_confidence = 0.65")
    q = evaluate(_mqa(contact("pm", "Production Manager")), rs, NOW)
    assert q.buying_center.candidates["decision_maker"] == ()
    assert evaluate(_mqa(contact("pm", "Production Manager")), RS, NOW).buying_center.candidates["decision_maker"]


def test_intro_path_from_the_nearest_engaged_contact_either_direction():
    q = evaluate(account(
        engaged("e1", 40, "Test Engineer", reports_to="lead"),
        contact("lead", "Team Lead", reports_to="vp"),
        contact("vp", "VP Operations"),
        contact("cfo", "CFO"),  # no org edges
        contact("dir", "Director of Manufacturing", reports_to="e1"),  # reports to an engaged contact
    ), RS, NOW)
    paths = {c.contact_id: c.intro_path for c in q.buying_center.candidates["decision_maker"]}
    assert paths["vp"] == ("e1", "lead", "vp")
    assert paths["dir"] == ("e1", "dir")
    assert paths.get("cfo") is None


def test_no_intro_path_when_nobody_engaged_is_connected():
    q = evaluate(account(contact("a", "Test Engineer", reports_to="vp"), contact("vp", "VP Operations")), RS, NOW)
    assert q.buying_center.candidates["decision_maker"][0].intro_path is None


def test_roles_outside_the_vocabulary_from_stored_data_still_show_as_covered():
    q = evaluate(_mqa(engaged("x", 12, "Strategist", roles=[RoleAssignment("sponsor", "sales", 1.0)])), RS, NOW)
    assert "sponsor" in q.buying_center.covered


def test_contact_results_show_effective_roles():
    q = evaluate(_mqa(contact("vp", "VP Operations")), RS, NOW)
    vp = next(c for c in q.contacts if c.id == "vp")
    assert [(r.role, r.source, r.confidence, r.counts) for r in vp.roles] == [("decision_maker", "inferred", 0.85, True)]


def test_one_intro_path_and_one_definition_of_engaged():
    """e_old reports to the VP but last engaged 200 days ago (outside sql.role_engagement_days, yet
    with engagement left after decay); e_new engaged yesterday, two lines away. The introduction
    starts from e_new, in the candidate, in the next action and in the engaged list alike."""
    q = evaluate(account(
        engaged("e2", 40, "Test Engineer"), engaged("e3", 40, "Process Engineer"),
        engaged("e_new", 40, "Automation Engineer", reports_to="mgr"),
        engaged("e_old", 0.5, "Quality Engineer", days_ago=200, reports_to="vp"),
        contact("mgr", "Senior Process Engineer", seniority="senior", reports_to="vp"),
        contact("vp", "VP Operations"),
    ), RS, NOW)
    assert q.stage == "mqa" and q.buying_center.missing == ("decision_maker",)
    assert next(c.engagement for c in q.contacts if c.id == "e_old") > 0  # "engagement > 0" would count them
    assert q.buying_center.engaged == ("e2", "e3", "e_new")
    vp = q.buying_center.candidates["decision_maker"][0]
    assert vp.contact_id == "vp" and vp.intro_path == ("e_new", "mgr", "vp")
    assert q.next_action.action == "find_decision_maker"
    assert "introduction path e_new -> mgr -> vp" in q.next_action.why
