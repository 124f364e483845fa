"""SQL gate: MQA + recent intent + covered buying center; every check on both sides of its bar."""

from __future__ import annotations

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.buying_center import required_roles
from graphsvc.rules.loading import ruleset_from_data
from graphsvc.rules.snapshot import RoleAssignment

from .factory import NOW, RS, account, contact, engaged, ruleset_with


def _engineers(intent_days: float | None = 3.0, intent_type: str = "quote_request"):
    """Two engaged engineers (80 capped points); the first made an intent signal `intent_days` ago."""
    first = engaged("e1", 40, "Test Engineer")
    if intent_days is not None:
        first = engaged("e1", 40, "Test Engineer", type=intent_type, days_ago=intent_days)
    return first, engaged("e2", 40, "Process Engineer")


def _sql_account(dm=None, *others, **fields):
    dm = dm if dm is not None else engaged("vp", 20, "VP Operations")
    return account(*_engineers(), dm, *others, **fields)


def test_the_sql_story_passes_every_check():
    q = evaluate(_sql_account(), RS, NOW)
    assert [c.name for c in q.sql.checks] == ["mqa", "intent", "role:decision_maker"]
    assert all(c.passed for c in q.sql.checks) and q.sql.passed and q.stage == "sql"
    assert q.sql.check("role:decision_maker").value == ["vp"]


def test_not_an_mqa_is_not_an_sql():
    q = evaluate(account(engaged("e1", 40, "Test Engineer", type="quote_request"), engaged("vp", 20, "VP Operations")), RS, NOW)
    assert not q.sql.check("mqa").passed and not q.sql.passed
    assert q.sql.check("intent").passed and q.sql.check("role:decision_maker").passed
    assert q.stage == "engaged"


# --------------------------------------------------------------------------------------- intent
@pytest.mark.parametrize("days, passed", [(0, True), (29.99, True), (30, True), (30.01, False), (45, False)])
def test_intent_window_both_sides(days, passed):
    q = evaluate(account(*_engineers(intent_days=days), engaged("vp", 20, "VP Operations")), RS, NOW)
    check = q.sql.check("intent")
    assert (check.value, check.threshold, check.passed) == (days, 30.0, passed)
    assert q.stage == ("sql" if passed else "mqa")


@pytest.mark.parametrize("kind", RS.activities.intent)
def test_every_intent_type_counts(kind):
    q = evaluate(account(*_engineers(intent_type=kind), engaged("vp", 20, "VP Operations")), RS, NOW)
    assert q.sql.check("intent").passed and kind in q.sql.check("intent").detail


def test_engagement_that_is_not_intent_does_not_pass():
    q = evaluate(account(*_engineers(intent_days=None), engaged("vp", 40, "VP Operations", type="form_submitted")), RS, NOW)
    check = q.sql.check("intent")
    assert (check.value, check.passed) == (None, False)
    assert q.stage == "mqa"


def test_the_newest_intent_of_any_contact_is_the_one_checked():
    old = engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=50)
    new = engaged("e2", 40, "Process Engineer", type="demo_request", days_ago=5)
    q = evaluate(account(old, new, engaged("vp", 20, "VP Operations")), RS, NOW)
    assert q.sql.check("intent").value == 5 and "demo_request by e2" in q.sql.check("intent").detail


def test_intent_window_is_configurable():
    rs = ruleset_with("[sql]\nintent_window_days = 7")
    q = evaluate(account(*_engineers(intent_days=10), engaged("vp", 20, "VP Operations")), rs, NOW)
    assert not q.sql.check("intent").passed


# ------------------------------------------------------------------------------- required roles
@pytest.mark.parametrize(
    "employees, roles",
    [(None, ("decision_maker",)), (10, ("decision_maker",)), (999, ("decision_maker",)),
     (1000, ("decision_maker", "economic_buyer", "technical_evaluator")),
     (50_000, ("decision_maker", "economic_buyer", "technical_evaluator"))],
)
def test_required_roles_small_vs_1000_plus(employees, roles):
    assert required_roles(account(employees=employees), RS) == roles


def test_required_roles_per_segment_and_size_range():
    rs = ruleset_with(
        "[[sql.extra_roles]]\nsegment = 'enterprise'\nroles = ['procurement']\n"
        "[[sql.extra_roles]]\nsegment = 'mid_market'\nmin_employees = 200\nmax_employees = 1000\nroles = ['champion']"
    )
    assert required_roles(account(segment="Enterprise"), rs) == ("decision_maker", "procurement")
    assert required_roles(account(segment="smb"), rs) == ("decision_maker",)
    assert required_roles(account(segment="mid_market", employees=200), rs) == ("decision_maker", "champion")
    assert required_roles(account(segment="mid_market", employees=1000), rs) == ("decision_maker",)
    assert required_roles(account(segment="mid_market", employees=None), rs) == ("decision_maker",)


def test_a_1000_plus_account_needs_economic_buyer_and_technical_evaluator_too():
    q = evaluate(_sql_account(employees=2500), RS, NOW)
    assert q.buying_center.required == ("decision_maker", "economic_buyer", "technical_evaluator")
    assert q.buying_center.missing == ("economic_buyer",)  # the engineers cover technical_evaluator
    assert not q.sql.check("role:economic_buyer").passed and q.sql.check("role:technical_evaluator").passed
    assert q.stage == "mqa"
    q = evaluate(_sql_account(None, engaged("cfo", 12, "CFO"), employees=2500), RS, NOW)
    assert q.buying_center.missing == () and q.stage == "sql"


def test_the_same_people_make_a_small_account_an_sql():
    assert evaluate(_sql_account(employees=999), RS, NOW).stage == "sql"


# --------------------------------------------------------------------------------- role sources
@pytest.mark.parametrize(
    "source, confidence, covered",
    [("sales", 1.0, True), ("sales", 0.1, True), ("import", 1.0, True), ("import", 0.2, True),
     ("inferred", 0.7, True), ("inferred", 0.69, False), ("inferred", 0.95, True), ("sales", 0.0, False),
     ("rumour", 1.0, False)],
)
def test_role_sources_and_the_inferred_confidence_bar(source, confidence, covered):
    # The title infers nothing, so only the stored assignment can make this person the decision maker.
    dm = engaged("dm", 20, "Strategist", roles=[RoleAssignment("decision_maker", source, confidence)])
    q = evaluate(_sql_account(dm), RS, NOW)
    assert q.sql.check("role:decision_maker").passed is covered
    assert q.stage == ("sql" if covered else "mqa")


def test_which_sources_count_is_configurable():
    data = RS.model_dump(mode="json")
    data["sql"]["role_sources"] = {"sales": 0.0, "inferred": 0.9}  # import no longer counts
    rs = ruleset_from_data(data)
    imported = engaged("dm", 20, "Strategist", roles=[RoleAssignment("decision_maker", "import", 1.0)])
    assert not evaluate(_sql_account(imported), rs, NOW).sql.passed
    assert not evaluate(_sql_account(), rs, NOW).sql.passed  # VP Operations infers 0.85 < 0.9
    sales = engaged("dm", 20, "Strategist", roles=[RoleAssignment("decision_maker", "sales", 1.0)])
    assert evaluate(_sql_account(sales), rs, NOW).sql.passed


def test_title_inference_covers_in_every_language():
    for title in ("VP Operations", "Leiter Produktion", "Directeur des opérations"):
        assert evaluate(_sql_account(engaged("dm", 20, title)), RS, NOW).stage == "sql", title


def test_a_seniority_only_guess_does_not_cover():
    q = evaluate(_sql_account(engaged("dm", 20, "VP Marketing", seniority="vp")), RS, NOW)
    assert q.stage == "mqa" and q.buying_center.missing == ("decision_maker",)
    cand = q.buying_center.candidates["decision_maker"][0]
    assert (cand.contact_id, cand.confidence, cand.counts, cand.engaged) == ("dm", 0.6, False, True)
    assert "0.6 < 0.7" in cand.note


def test_sales_denial_removes_an_inferred_role():
    dm = engaged("dm", 20, "VP Operations", roles=[RoleAssignment("decision_maker", "sales", 0.0)])
    assert evaluate(_sql_account(dm), RS, NOW).stage == "mqa"


def test_a_disqualified_contact_never_covers_a_role_even_if_sales_says_so():
    dm = engaged("dm", 20, "VP Operations", email="vp@competitor.example", roles=[RoleAssignment("decision_maker", "sales", 1.0)])
    q = evaluate(_sql_account(dm), RS, NOW)
    assert q.buying_center.missing == ("decision_maker",) and q.buying_center.candidates["decision_maker"] == ()


# ----------------------------------------------------------------------------- role engagement
@pytest.mark.parametrize("days, covered", [(1, True), (89.99, True), (90, True), (90.01, False), (200, False)])
def test_role_engagement_window_both_sides(days, covered):
    q = evaluate(_sql_account(engaged("vp", 20, "VP Operations", days_ago=days)), RS, NOW)
    assert q.sql.check("role:decision_maker").passed is covered
    if not covered:
        assert q.buying_center.unengaged == ("decision_maker",)
        assert "not engaged in the last 90 days" in q.sql.check("role:decision_maker").detail


@pytest.mark.parametrize(
    "kind, covered",
    [("email_open", False), ("page_view", False), ("email_click", True), ("pricing_page_view", True),
     ("unsubscribe", False)],
)
def test_only_activities_worth_the_bar_show_a_person_engaged(kind, covered):
    # role_engagement_min_points = 3: a click or a pricing visit is a person; an open is a proxy.
    points = RS.activities.points[kind]
    vp = engaged("vp", 20, "VP Operations", type="content_download", days_ago=120)  # old real engagement
    if points > 0:
        vp = engaged("vp", points, "VP Operations", type=kind, days_ago=0)
    else:
        vp = contact("vp", "VP Operations", activities=[(kind, 0)])
    q = evaluate(_sql_account(vp), RS, NOW)
    assert q.sql.check("role:decision_maker").passed is covered


def test_role_engagement_window_is_configurable():
    rs = ruleset_with("[sql]\nrole_engagement_days = 30")
    q = evaluate(_sql_account(engaged("vp", 20, "VP Operations", days_ago=45)), rs, NOW)
    assert not q.sql.check("role:decision_maker").passed
