"""Coverage over SUBSIDIARY_OF (issue 15): a parent's people cover only the roles the ruleset lets
them, only as recorded roles, and never add engagement; the coverage says where they sit."""

from __future__ import annotations

import dataclasses

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.loading import RulesetError, load_ruleset
from graphsvc.rules.snapshot import RoleAssignment

from .factory import NOW, RS, account, engaged, ruleset_with

HIER = ruleset_with('[hierarchy]\nparent_roles = ["decision_maker", "economic_buyer"]\n')


def _subsidiary(*inherited):
    """An MQA with intent whose own people hold no decision maker: engineers only."""
    own = account(engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=3.0),
                  engaged("e2", 40, "Process Engineer"), engaged("e3", 40, "Automation Engineer"),
                  id="uk", name="United Oil & Gas UK")
    return dataclasses.replace(own, inherited=tuple(inherited))


def _parent_ceo(role_source="import", engagement=20.0, days_ago=1.0, role="decision_maker"):
    ceo = engaged("ceo", engagement, "CEO", days_ago=days_ago, roles=[RoleAssignment(role, role_source)])
    return dataclasses.replace(ceo, account_id="uog-corp")


def test_without_hierarchy_rules_the_parent_is_ignored():
    q = evaluate(_subsidiary(_parent_ceo()), RS, NOW)
    assert q.buying_center.missing == ("decision_maker",) and q.stage == "mqa"
    assert evaluate(_subsidiary(), RS, NOW).scores == q.scores


def test_a_parents_recorded_decision_maker_covers_and_says_where_it_sits():
    q = evaluate(_subsidiary(_parent_ceo()), HIER, NOW)
    assert q.buying_center.missing == () and q.stage == "sql"
    (cov,) = q.buying_center.covered["decision_maker"]
    assert (cov.contact_id, cov.account_id) == ("ceo", "uog-corp")
    assert "at parent uog-corp" in q.sql.check("role:decision_maker").detail


def test_no_double_counting_the_parents_engagement_stays_the_parents():
    alone = evaluate(_subsidiary(), HIER, NOW)
    helped = evaluate(_subsidiary(_parent_ceo(engagement=500.0)), HIER, NOW)
    assert helped.scores == alone.scores
    assert [c.id for c in helped.contacts] == [c.id for c in alone.contacts]


@pytest.mark.parametrize(("role", "source", "covered"), [
    ("decision_maker", "sales", True), ("economic_buyer", "import", True),
    ("technical_evaluator", "sales", False),  # not a role a parent's people may cover
    ("decision_maker", "inferred", False),    # only recorded roles count from a parent
])
def test_which_roles_a_parent_may_cover(role, source, covered):
    q = evaluate(_subsidiary(_parent_ceo(role_source=source, role=role)), HIER, NOW)
    assert any(c.contact_id == "ceo" for c in q.buying_center.covered.get(role, ())) is covered


def test_an_unengaged_parent_contact_does_not_cover():
    q = evaluate(_subsidiary(_parent_ceo(days_ago=200.0)), HIER, NOW)
    assert "decision_maker" in q.buying_center.missing


def test_the_own_decision_maker_still_comes_first_and_an_unknown_role_is_refused():
    own = account(engaged("e1", 40, "Test Engineer", type="quote_request", days_ago=3.0),
                  engaged("vp", 20, "VP Operations", days_ago=2.0), engaged("e2", 40, "Process Engineer"))
    q = evaluate(dataclasses.replace(own, inherited=(_parent_ceo(days_ago=5.0),)), HIER, NOW)
    assert [c.account_id for c in q.buying_center.covered["decision_maker"]] == [None, "uog-corp"]
    with pytest.raises(RulesetError):
        load_ruleset('[hierarchy]\nparent_roles = ["chief_wizard"]\n', merge_defaults=True)
    assert HIER.version != RS.version and RS.version == "917e842cfdba"
