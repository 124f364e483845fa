"""Owner routing (issue 12), pure: rule matching (territory by country or region, segment, industry or
its group, named accounts by id or domain), first match wins, owner or team, round robin and least
loaded, keep_current_owner, trigger stages, the checks of [routing] and the version of a ruleset
without routing."""

from __future__ import annotations

import itertools

import pytest

from graphsvc.rules import RouteAccount, decide, default_ruleset
from graphsvc.rules.loading import RulesetError
from graphsvc.rules.routing import least_loaded, match_rule, round_robin, routing_errors, triggers

from .factory import RS, ruleset_with

TEAMS = """
[[routing.teams]]
name = "dach"
members = ["anna", "ben", "cem"]

[[routing.teams]]
name = "ent"
members = ["erin", "femi"]
strategy = "least_loaded"
"""


def routed(rules: str, extra: str = "") -> object:
    return ruleset_with("[routing]\n" + extra + TEAMS + rules)


def rule(name: str, body: str) -> str:
    return f'\n[[routing.rules]]\nname = "{name}"\n{body}\n'


def acct(**kw) -> RouteAccount:
    return RouteAccount(**{"id": "a1", "stage": "mqa", **kw})


def test_default_ruleset_routes_nothing_and_keeps_its_version():
    assert RS.routing.rules == [] and RS.routing.keep_current_owner is True and RS.routing.stages == ["mqa", "sql"]
    assert decide(acct(country="DE"), RS) is None
    # a ruleset that writes the default [routing] out has the version of one that does not
    assert ruleset_with('[routing]\nkeep_current_owner = true\nstages = ["mqa", "sql"]\n').version == RS.version
    assert routed(rule("x", 'owner = "o"')).version != RS.version


@pytest.mark.parametrize("country,expected", [
    ("DE", "dach-rule"), ("de", "dach-rule"), ("Germany", None), ("AT", "dach-rule"), ("US", None), (None, None),
    ("", None)])
def test_countries_match_case_insensitively(country, expected):
    rs = routed(rule("dach-rule", 'countries = ["DE", "at", "CH"]\nteam = "dach"'))
    found = match_rule(acct(country=country), rs)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize("country,expected", [("DE", "core"), ("Deutschland", "core"), ("US", "core"),
                                              ("BR", None), (None, None)])
def test_regions_are_the_fit_regions_the_country_is_in(country, expected):
    rs = routed(rule("core", 'regions = ["core"]\nowner = "c"'))
    found = match_rule(acct(country=country), rs)
    assert (found.name if found else None) == expected


@pytest.mark.parametrize("segment,hit", [("enterprise", True), ("Enterprise", True), ("mid-market", True),
                                         ("mid_market", True), ("smb", False), (None, False)])
def test_segments_compare_normalised(segment, hit):
    rs = routed(rule("s", 'segments = ["enterprise", "Mid Market"]\nowner = "o"'))
    assert (match_rule(acct(segment=segment), rs) is not None) is hit


@pytest.mark.parametrize("industry,hit", [("Semiconductors", True), ("semiconductors", True), (None, False),
                                          ("Retail", False)])
def test_industries_by_value(industry, hit):
    rs = routed(rule("i", 'industries = ["semiconductors"]\nowner = "o"'))
    assert (match_rule(acct(industry=industry), rs) is not None) is hit


def test_industries_by_fit_group_name():
    group, members = RS.account_fit.industries[0].name, RS.account_fit.industries[0].match
    rs = routed(rule("g", f'industries = ["{group}"]\nowner = "o"'))
    assert all(match_rule(acct(industry=m), rs) is not None for m in members)
    assert match_rule(acct(industry="not an industry anyone has"), rs) is None


@pytest.mark.parametrize("aid,domain,hit", [
    ("globex", None, True), ("other", "initech.example", True), ("other", "eu.initech.example", True),
    ("other", "WWW.Initech.Example.", True), ("other", "notinitech.example", False), ("other", None, False),
    ("Globex", None, False)])
def test_named_accounts_by_id_or_domain(aid, domain, hit):
    rs = routed(rule("named", 'accounts = ["globex"]\ndomains = ["initech.example"]\nowner = "nadia"'))
    assert (match_rule(acct(id=aid, domain=domain), rs) is not None) is hit


def test_every_condition_of_a_rule_must_hold():
    rs = routed(rule("x", 'countries = ["DE"]\nsegments = ["enterprise"]\nindustries = ["semiconductors"]\nowner = "o"'))
    full = {"country": "DE", "segment": "enterprise", "industry": "semiconductors"}
    assert match_rule(acct(**full), rs) is not None
    for key, wrong in (("country", "FR"), ("segment", "smb"), ("industry", "retail")):
        assert match_rule(acct(**{**full, key: wrong}), rs) is None, key


def test_first_matching_rule_wins_and_an_empty_rule_catches_all():
    rs = routed(rule("named", 'accounts = ["a1"]\nowner = "nadia"') + rule("dach", 'countries = ["DE"]\nteam = "dach"')
                + rule("rest", 'owner = "pool"'))
    assert decide(acct(country="DE"), rs).rule == "named"
    assert decide(acct(id="a2", country="DE"), rs).rule == "dach"
    assert decide(acct(id="a2", country="BR"), rs).owner == "pool"


def test_no_rule_matches_leaves_the_account_unassigned():
    rs = routed(rule("dach", 'countries = ["DE"]\nteam = "dach"'))
    assert decide(acct(country="FR"), rs) is None


def test_decisions_owner_round_robin_and_least_loaded():
    rs = routed(rule("named", 'accounts = ["a1"]\nowner = "nadia"') + rule("ent", 'segments = ["enterprise"]\nteam = "ent"')
                + rule("dach", 'countries = ["DE"]\nteam = "dach"'))
    d = decide(acct(), rs)
    assert (d.rule, d.owner, d.team, d.strategy) == ("named", "nadia", None, None)
    d = decide(acct(id="a2", country="DE"), rs)  # round robin: the write statement takes the turn
    assert (d.rule, d.owner, d.team, d.strategy, d.members) == ("dach", None, "dach", "round_robin", ("anna", "ben", "cem"))
    d = decide(acct(id="a2", segment="enterprise"), rs, {"erin": 3, "femi": 1})
    assert (d.rule, d.owner, d.team, d.strategy) == ("ent", "femi", "ent", "least_loaded")
    assert decide(acct(id="a2", segment="enterprise"), rs).owner == "erin"  # no loads known: all 0, first listed


@pytest.mark.parametrize("loads,expected", [
    ({}, "a"), ({"a": 1}, "b"), ({"a": 1, "b": 1}, "c"), ({"a": 1, "b": 1, "c": 1}, "a"), ({"b": 0, "a": 2, "c": 2}, "b"),
    ({"x": 0, "a": 5, "b": 5, "c": 4}, "c")])
def test_least_loaded_ties_go_to_the_first_listed(loads, expected):
    assert least_loaded(["a", "b", "c"], loads) == expected


def test_round_robin_cycles_through_every_member_evenly():
    members = ["a", "b", "c"]
    picks = [round_robin(members, t) for t in range(9)]
    assert picks == ["a", "b", "c"] * 3
    assert round_robin(["solo"], 41) == "solo"


@pytest.mark.parametrize("keep,owner,stage,routes", [
    (keep, owner, stage, stage in ("mqa", "sql") and not (keep and owner))
    for keep, owner, stage in itertools.product((True, False), (None, "", "sam"), ("mqa", "sql", "engaged", "accepted"))])
def test_keep_current_owner_and_trigger_stages(keep, owner, stage, routes):
    rs = routed(rule("all", 'owner = "pool"'), extra=f"keep_current_owner = {'true' if keep else 'false'}\n")
    d = decide(acct(owner=owner, stage=stage), rs)
    assert (d is not None) is routes
    if d is not None:
        assert d.owner == "pool"


def test_only_the_configured_stages_trigger():
    rs = routed(rule("all", 'owner = "pool"'), extra='stages = ["sql"]\n')
    assert not triggers(acct(stage="mqa"), rs.routing) and triggers(acct(stage="sql"), rs.routing)


@pytest.mark.parametrize("patch,path", [
    (rule("r", 'team = "nope"'), "routing.rules[0].team"),
    (rule("r", 'owner = "o"\nteam = "dach"'), "routing.rules[0]"),
    (rule("r", 'countries = ["DE"]'), "routing.rules[0]"),
    (rule("r", 'owner = " "'), "routing.rules[0].owner"),
    (rule("r", 'regions = ["atlantis"]\nowner = "o"'), "routing.rules[0].regions[0]"),
    (rule("r", 'owner = "o"') + rule("r", 'owner = "p"'), "routing.rules[1].name"),
    (rule("r", 'owner = "o"') + '\n[[routing.teams]]\nname = "dach"\nmembers = ["z"]\n', "routing.teams[2].name"),
    (rule("r", 'owner = "o"') + '\n[[routing.teams]]\nname = "t"\nmembers = ["z", "z"]\n', "routing.teams[2].members"),
])
def test_routing_errors_name_their_path(patch, path):
    with pytest.raises(RulesetError) as exc:
        routed(patch)
    assert path in [e["path"] for e in exc.value.errors], exc.value.errors


@pytest.mark.parametrize("patch", [
    '[routing]\nstages = ["engaged"]\n', '[routing]\nbogus = 1\n', '[routing]\n[[routing.teams]]\nname = "t"\nmembers = []\n',
    '[routing]\n[[routing.teams]]\nname = "t"\nmembers = ["a"]\nstrategy = "random"\n',
    '[routing]\nkeep_current_owner = "yes"\n'])
def test_malformed_routing_is_refused(patch):
    with pytest.raises(RulesetError):
        ruleset_with(patch)


def test_routing_errors_are_empty_for_a_valid_section():
    rs = routed(rule("dach", 'countries = ["DE"]\nteam = "dach"') + rule("ent", 'segments = ["x"]\nteam = "ent"'))
    assert routing_errors(rs) == [] and routing_errors(default_ruleset()) == []
