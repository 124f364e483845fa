"""Buying groups per initiative and subsidiary engagement roll-up (issue 15), pure engine tests.

Each buying group has its own roles, required roles (by kind), intent and BANT; the account's stage
is the best of its groups and the answer says which group qualified. `[hierarchy]
subsidiary_engagement = "roll_up"` counts the subsidiaries' people towards a parent's MQA, each once.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from graphsvc.rules import evaluate
from graphsvc.rules.groups import account_groups, chosen
from graphsvc.rules.loading import RulesetError, load_ruleset
from graphsvc.rules.result import Check, Gate, GroupResult
from graphsvc.rules.snapshot import BantEntry, GroupInfo, RoleAssignment

from .factory import NOW, RS, account, engaged, ruleset_with

RF = '[[sql.extra_roles]]\nkind = "rf_test"\nroles = ["technical_evaluator"]\n'


def dm(group="default", source="sales"):
    return RoleAssignment("decision_maker", source, 1.0, group)


def _vp(roles, title="VP Operations", **kw):
    """An engaged contact with an intent signal (a quote request 3 days ago)."""
    return engaged("vp", 20, title, type="quote_request", days_ago=3.0, roles=roles, **kw)


def _mqa(*more, intent_by="e1", **fields):
    """An MQA (three engaged engineers, fit 93) with an intent signal by `intent_by`, plus `more`."""
    people = [engaged(c, 40, t, **({"type": "quote_request", "days_ago": 3.0} if c == intent_by else {}))
              for c, t in (("e1", "Test Engineer"), ("e2", "Process Engineer"), ("e3", "Automation Engineer"))]
    return account(*people, *more, **fields)


# ----------------------------------------------------------------------------------- groups
def test_only_the_default_group_gives_the_answer_it_gave_before_groups():
    snap = _mqa(engaged("vp", 20, "VP Operations", roles=[dm()]))
    q = evaluate(snap, RS, NOW)
    assert q.stage == "sql" and q.group == "default" and q.qualified_group == "default"
    assert [g.name for g in q.groups] == ["default"]
    d = json.loads(json.dumps(q.to_dict()))
    assert "groups" not in d and "group" not in d and "qualified_group" not in d and "hierarchy" not in d
    assert "buying group" not in q.reason


def test_existing_roles_without_a_group_are_the_default_group():
    assert account_groups(_mqa(engaged("vp", 20, roles=[RoleAssignment("decision_maker", "import")]))) == (
        GroupInfo("default"),)


def test_groups_come_from_the_snapshot_and_from_roles_default_first_then_by_name():
    snap = _mqa(engaged("vp", 20, roles=[dm("zeta")]), groups=(GroupInfo("alpha", "rf_test"),))
    assert account_groups(snap) == (GroupInfo("default"), GroupInfo("alpha", "rf_test"), GroupInfo("zeta"))


def test_a_group_qualifies_with_its_own_decision_maker_and_the_answer_says_which():
    snap = _mqa(_vp([dm("packaging")]), intent_by="vp")
    q = evaluate(snap, RS, NOW)
    assert q.stage == "sql" and q.qualified_group == "packaging" and q.group == "packaging"
    by = {g.name: g for g in q.groups}
    assert by["default"].missing == ("decision_maker",) and not by["default"].passed
    assert by["packaging"].covered == {"decision_maker": ("vp",)} and by["packaging"].members == ("vp",)
    assert "buying group packaging:" in q.reason
    d = q.to_dict()
    assert d["qualified_group"] == "packaging" and [g["name"] for g in d["groups"]] == ["default", "packaging"]


def test_coverage_is_not_pooled_across_groups():
    """A decision maker in one committee and a technical evaluator in the other: neither group has both."""
    rs = ruleset_with('[sql]\nrequired_roles = ["decision_maker", "technical_evaluator"]\n[groups]\nintent = "account"\n')
    te = RoleAssignment("technical_evaluator", "sales", 1.0, "rf")
    snap = _mqa(engaged("vp", 20, roles=[dm("packaging")]), engaged("eng", 20, roles=[te]))
    q = evaluate(snap, rs, NOW)
    assert q.stage == "mqa" and q.qualified_group is None
    assert {g.name: g.missing for g in q.groups} == {
        "default": ("decision_maker",), "packaging": ("technical_evaluator",),
        "rf": ("decision_maker",)}
    # The same people in one group: it qualifies.
    both = _mqa(engaged("vp", 20, roles=[dm("rf")]), engaged("eng", 20, roles=[te]))
    assert evaluate(both, rs, NOW).qualified_group == "rf"


def test_a_contact_sits_in_several_groups_with_different_roles():
    roles = [dm("packaging"), RoleAssignment("champion", "sales", 1.0, "rf")]
    q = evaluate(_mqa(_vp(roles), intent_by="vp"), RS, NOW)
    by = {g.name: g for g in q.groups}
    assert by["packaging"].covered == {"decision_maker": ("vp",)}
    assert by["rf"].covered == {"champion": ("vp",)} and by["rf"].missing == ("decision_maker",)
    assert by["rf"].members == by["packaging"].members == ("vp",)


@pytest.mark.parametrize(("intent", "qualified"), [("members", None), ("account", "packaging")])
def test_group_intent_from_members_or_from_the_account(intent, qualified):
    snap = _mqa(engaged("vp", 20, "VP Operations", roles=[dm("packaging")]), intent_by="e1")
    q = evaluate(snap, ruleset_with(f'[groups]\nintent = "{intent}"\n'), NOW)
    assert q.qualified_group == qualified
    pkg = next(g for g in q.groups if g.name == "packaging")
    if qualified is None:
        assert "from a member of buying group packaging" in pkg.sql.check("intent").detail


def test_kind_specific_required_roles_apply_only_to_groups_of_that_kind():
    rs = ruleset_with(RF)
    snap = _mqa(_vp([dm("rf"), dm("packaging")]), intent_by="vp",
                groups=(GroupInfo("rf", "RF test"),))
    q = evaluate(snap, rs, NOW)
    by = {g.name: g for g in q.groups}
    assert by["rf"].required == ("decision_maker", "technical_evaluator") and not by["rf"].passed
    assert by["packaging"].required == ("decision_maker",) and by["packaging"].passed
    assert by["default"].required == ("decision_maker",)
    assert q.qualified_group == "packaging"


def test_title_inference_counts_in_the_default_group_only():
    """A VP Operations is inferred a decision maker for the account, not for an initiative."""
    snap = _mqa(_vp([RoleAssignment("champion", "import", 1.0, "rf")]), intent_by="vp")
    q = evaluate(snap, RS, NOW)
    by = {g.name: g for g in q.groups}
    assert by["default"].covered["decision_maker"] == ("vp",) and by["default"].passed
    assert "decision_maker" not in by["rf"].covered and q.qualified_group == "default"


def test_a_sales_denial_holds_in_its_group_only():
    deny = RoleAssignment("decision_maker", "sales", 0.0, "rf")
    q = evaluate(_mqa(_vp([deny, dm("packaging")]), intent_by="vp"), RS, NOW)
    by = {g.name: g for g in q.groups}
    assert by["packaging"].passed and not by["rf"].passed


def test_bant_gates_each_group_with_its_own_record():
    rs = ruleset_with('[sql]\nbant = ["budget"]\n')
    bant = (BantEntry("packaging", "budget", True, "rep", NOW - 100.0), BantEntry("rf", "budget", False, "rep", NOW - 100.0))
    snap = _mqa(_vp([dm("packaging"), dm("rf")]), intent_by="vp", bant=bant)
    q = evaluate(snap, rs, NOW)
    by = {g.name: g for g in q.groups}
    assert by["packaging"].sql.check("bant:budget").passed and not by["rf"].sql.check("bant:budget").passed
    assert "not recorded by sales for the default buying group" in by["default"].sql.check("bant:budget").detail
    assert q.qualified_group == "packaging"
    late = dataclasses.replace(snap, bant=(BantEntry("packaging", "budget", True, "rep", NOW + 100.0),))
    assert evaluate(late, rs, NOW).qualified_group is None  # a record after as_of is not seen


def test_bant_rules_by_kind():
    rs = ruleset_with('[[sql.bant_rules]]\nkind = "rf_test"\nfields = ["timeline"]\n')
    snap = _mqa(_vp([dm("rf")]), intent_by="vp", groups=(GroupInfo("rf", "rf_test"),))
    q = evaluate(snap, rs, NOW)
    rf = next(g for g in q.groups if g.name == "rf")
    assert [c.name for c in rf.sql.checks if c.name.startswith("bant:")] == ["bant:timeline"] and not rf.passed
    assert not [c for c in q.groups[0].sql.checks if c.name.startswith("bant:")]


def test_when_no_group_qualifies_the_closest_is_shown_default_first_among_equals():
    def g(name, passes):
        checks = tuple(Check(f"c{i}", i < passes, None, None) for i in range(4))
        return GroupResult(name, None, False, (), (), (), {}, Gate(False, checks))
    assert chosen([g("default", 2), g("a", 3), g("b", 3)]) == 1
    assert chosen([g("default", 3), g("a", 3)]) == 0
    ok = GroupResult("b", None, True, (), (), (), {}, Gate(True, ()))
    assert chosen([g("default", 3), g("a", 3), ok]) == 2


def test_the_shown_group_drives_the_next_action_and_buying_center():
    snap = _mqa(_vp([dm("packaging")]), intent_by="vp")
    q = evaluate(snap, RS, NOW)
    assert q.buying_center.missing == () and q.next_action.action == "act_on_sql"


def test_a_disqualified_member_does_not_cover_its_group():
    snap = _mqa(_vp([dm("packaging")], email="vp@competitor-rf.example"), intent_by="vp")
    rs = ruleset_with('[disqualifiers]\ncompetitor_domains = ["competitor-rf.example"]\n')
    q = evaluate(snap, rs, NOW)
    assert q.qualified_group is None


# ----------------------------------------------------------------------------------- roll-up
ROLL = ruleset_with('[hierarchy]\nsubsidiary_engagement = "roll_up"\n')


def _sub(cid, engagement, account_id="uk", name="United Oil & Gas UK", **kw):
    return dataclasses.replace(engaged(cid, engagement, "Engineer", **kw), account_id=account_id, account_name=name)


def _parent(*rolled, own=()):
    return dataclasses.replace(account(*own, id="uog", name="United Oil & Gas"), rolled_up=tuple(rolled))


def test_without_roll_up_the_subsidiaries_engagement_stays_theirs():
    q = evaluate(_parent(_sub("s1", 40), _sub("s2", 40), _sub("s3", 40)), RS, NOW)
    assert q.scores.engagement == 0 and q.stage == "target" and "hierarchy" not in q.to_dict()


def test_roll_up_counts_the_subsidiaries_towards_the_parents_mqa_and_says_where_they_sit():
    q = evaluate(_parent(_sub("s1", 40), _sub("s2", 40), _sub("s3", 40, account_id="de", name=None)), ROLL, NOW)
    assert q.stage == "mqa" and q.scores.engagement == 120 and q.scores.mqa_score == 120
    detail = q.mqa.check("engaged_contacts").detail
    assert "s1 at subsidiary United Oil & Gas UK (uk)" in detail and "s3 at subsidiary de" in detail
    assert [(h.contact_id, h.account_id, h.relation, h.counted) for h in q.hierarchy] == [
        ("s1", "uk", "subsidiary", True), ("s2", "uk", "subsidiary", True), ("s3", "de", "subsidiary", True)]
    assert q.contacts == ()  # the parent's own contacts are its own


def test_roll_up_counts_a_person_reached_by_two_paths_once():
    twice = evaluate(_parent(_sub("s1", 40), _sub("s1", 40, account_id="de")), ROLL, NOW)
    assert twice.scores.engagement == 40 and len(twice.hierarchy) == 1
    own = engaged("s1", 40, "Engineer")
    mine = evaluate(_parent(_sub("s1", 40), own=(own,)), ROLL, NOW)
    assert mine.scores.engagement == 40 and mine.hierarchy == ()


def test_roll_up_skips_disqualified_people():
    rs = ruleset_with('[hierarchy]\nsubsidiary_engagement = "roll_up"\n[disqualifiers]\ncompetitor_domains = ["rival.example"]\n')
    q = evaluate(_parent(_sub("s1", 40, email="s1@rival.example")), rs, NOW)
    assert q.scores.engagement == 0


def test_rolled_up_people_cover_no_role_and_bring_no_intent():
    snap = _parent(_sub("s1", 40, type="quote_request", roles=[dm()]), _sub("s2", 40), _sub("s3", 40))
    q = evaluate(snap, ROLL, NOW)
    assert q.stage == "mqa" and q.buying_center.missing == ("decision_maker",)
    assert q.sql.check("intent").value is None


def test_parent_coverage_is_listed_in_hierarchy_with_the_parents_name():
    hier = ruleset_with('[hierarchy]\nparent_roles = ["decision_maker"]\n')
    ceo = dataclasses.replace(engaged("ceo", 5, "CEO", roles=[dm(source="import")]), account_id="uog",
                              account_name="United Oil & Gas")
    q = evaluate(dataclasses.replace(_mqa(id="uk"), inherited=(ceo,)), hier, NOW)
    assert q.stage == "sql"
    assert "at parent uog United Oil & Gas" in q.sql.check("role:decision_maker").detail
    assert [(h.contact_id, h.relation, h.covers, h.counted) for h in q.hierarchy] == [
        ("ceo", "parent", ("decision_maker",), False)]
    assert q.buying_center.covered["decision_maker"][0].account_name == "United Oil & Gas"


# ----------------------------------------------------------------------------------- ruleset
def test_the_default_version_is_unchanged_and_each_new_key_changes_it(monkeypatch):
    """What the default ruleset's version hashes holds none of issue 15's keys (so it is the version
    it had before them), and setting any of them changes the version."""
    import hashlib

    from graphsvc.rules import ruleset as ruleset_module

    hashed: list[bytes] = []
    real = hashlib.sha256
    monkeypatch.setattr(ruleset_module.hashlib, "sha256", lambda b: hashed.append(b) or real(b))
    assert ruleset_with("").version == RS.version
    canonical = json.loads(hashed[-1])
    assert "groups" not in canonical and "hierarchy" not in canonical
    assert all("kind" not in rule for rule in canonical["sql"]["extra_roles"])
    versions = {ROLL.version, ruleset_with(RF).version, ruleset_with('[groups]\nintent = "account"\n').version,
                ruleset_with('[[sql.bant_rules]]\nkind = "rf"\nfields = ["need"]\n').version}
    assert len(versions) == 4 and RS.version not in versions


@pytest.mark.parametrize("patch", [
    '[hierarchy]\nsubsidiary_engagement = "sideways"\n', '[groups]\nintent = "anyone"\n', '[groups]\ncolour = 1\n',
])
def test_bad_values_are_refused(patch):
    with pytest.raises(RulesetError):
        load_ruleset(patch, merge_defaults=True)
