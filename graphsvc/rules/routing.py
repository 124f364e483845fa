"""Owner routing (issue 12): which owner an account gets when it reaches MQA or SQL. Pure: the
account's attributes, the ruleset's `[routing]` and the members' loads in, a decision out.

Rules are tried in order; the first whose every given condition holds decides (an empty rule is a
catch-all). A rule names an `owner`, or a `team` whose member is chosen by the team's strategy:
`least_loaded` (fewest open MQA/SQL accounts, ties in list order: `least_loaded` below) or
`round_robin`, whose turn lives in the graph so two workers never hand out the same one (the
statement that writes the stage change picks `members[turn % len(members)]`; `round_robin` below
is the same arithmetic, for tests and docs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .frozen import fast_init
from .ruleset import Routing, RoutingRule, RoutingTeam, Ruleset
from .ruleset_fields import fold, normalize_key

__all__ = ["RouteAccount", "RouteDecision", "decide", "least_loaded", "match_rule", "round_robin",
           "routing_errors", "triggers"]


@fast_init
@dataclass(frozen=True, slots=True)
class RouteAccount:
    """What routing looks at: the account's own properties and the stage it is moving to."""

    id: str
    stage: str
    owner: str | None = None
    country: str | None = None
    segment: str | None = None
    industry: str | None = None
    domain: str | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class RouteDecision:
    """`owner` set: that owner (a rule's owner, or the least-loaded member). `owner` None: the team
    takes a round-robin turn among `members` in the write statement."""

    rule: str
    owner: str | None
    team: str | None = None
    strategy: str | None = None  # None (a rule's owner), round_robin, least_loaded
    members: tuple[str, ...] = ()


def _domain(value: str) -> str:
    return value.strip().lower().lstrip("@").rstrip(".").removeprefix("www.")


def region_of(country: str | None, rs: Ruleset) -> str | None:
    """The account_fit region the country is listed in (None: none, or no country)."""
    if not country:
        return None
    found = rs.compiled.countries.get(fold(country).strip())
    return found[0] if found else None


def industry_group(industry: str | None, rs: Ruleset) -> str | None:
    found = rs.compiled.industries.get(normalize_key(industry)) if industry else None
    return found[0] if found else None


def _matches(rule: RoutingRule, a: RouteAccount, rs: Ruleset) -> bool:
    if rule.countries and fold(a.country or "").strip() not in {fold(c).strip() for c in rule.countries}:
        return False
    if rule.regions and region_of(a.country, rs) not in set(rule.regions):
        return False
    if rule.segments and normalize_key(a.segment) not in {normalize_key(s) for s in rule.segments}:
        return False
    if rule.industries:
        wanted = {normalize_key(i) for i in rule.industries}
        if not a.industry or not ({normalize_key(a.industry), normalize_key(industry_group(a.industry, rs))} & wanted):
            return False
    if rule.accounts or rule.domains:  # named accounts: by id or by domain, either counts
        domain = _domain(a.domain or "")
        by_domain = bool(domain) and any(domain == d or domain.endswith("." + d) for d in map(_domain, rule.domains))
        if a.id not in rule.accounts and not by_domain:
            return False
    return True


def match_rule(a: RouteAccount, rs: Ruleset) -> RoutingRule | None:
    """The first rule of `[routing]` the account matches, or None."""
    return next((r for r in rs.routing.rules if _matches(r, a, rs)), None)


def triggers(a: RouteAccount, routing: Routing) -> bool:
    """Whether reaching `a.stage` routes the account at all (a stage that triggers, and no owner to keep)."""
    if not routing.rules or a.stage not in routing.stages:
        return False
    return not (routing.keep_current_owner and a.owner)


def least_loaded(members: Sequence[str], loads: Mapping[str, int]) -> str:
    """The member with the fewest open accounts; ties go to the first listed."""
    return min(members, key=lambda m: (loads.get(m, 0), members.index(m)))


def round_robin(members: Sequence[str], turn: int) -> str:
    """The member whose turn `turn` is (turns count from 0 per team)."""
    return members[turn % len(members)]


def _team(routing: Routing, name: str) -> RoutingTeam:
    return next(t for t in routing.teams if t.name == name)


def decide(a: RouteAccount, rs: Ruleset, loads: Mapping[str, int] | None = None) -> RouteDecision | None:
    """The routing decision for an account reaching `a.stage`; None when routing does not apply
    (off, a stage that does not trigger, an owner to keep, or no rule matches: unassigned)."""
    if not triggers(a, rs.routing):
        return None
    rule = match_rule(a, rs)
    if rule is None:
        return None
    if rule.owner is not None:
        return RouteDecision(rule=rule.name, owner=rule.owner)
    team = _team(rs.routing, rule.team or "")
    if team.strategy == "least_loaded":
        return RouteDecision(rule.name, least_loaded(team.members, loads or {}), team.name, team.strategy,
                             tuple(team.members))
    return RouteDecision(rule.name, None, team.name, team.strategy, tuple(team.members))


def routing_errors(rs: Ruleset) -> list[dict[str, str]]:
    """Cross-field checks of `[routing]`, each with its path (see loading.semantic_errors)."""
    errs: list[dict[str, str]] = []
    r = rs.routing
    teams = [t.name for t in r.teams]
    for i, name in enumerate(teams):
        if name in teams[:i]:
            errs.append({"path": f"routing.teams[{i}].name", "message": f"duplicate team {name!r}"})
        if len(set(r.teams[i].members)) != len(r.teams[i].members):
            errs.append({"path": f"routing.teams[{i}].members", "message": "duplicate members"})
    regions = {g.name for g in rs.account_fit.regions}
    names = [rule.name for rule in r.rules]
    for i, rule in enumerate(r.rules):
        path = f"routing.rules[{i}]"
        if (rule.owner is None) == (rule.team is None):
            errs.append({"path": path, "message": "a rule names exactly one of owner or team"})
        if rule.owner is not None and not rule.owner.strip():
            errs.append({"path": f"{path}.owner", "message": "empty owner"})
        if rule.team is not None and rule.team not in teams:
            errs.append({"path": f"{path}.team", "message": f"unknown team {rule.team!r} (not in routing.teams)"})
        if rule.name in names[:i]:
            errs.append({"path": f"{path}.name", "message": f"duplicate rule name {rule.name!r}"})
        for j, region in enumerate(rule.regions):
            if region not in regions:
                errs.append({"path": f"{path}.regions[{j}]",
                             "message": f"unknown region {region!r} (not in account_fit.regions)"})
    if len(set(r.stages)) != len(r.stages):
        errs.append({"path": "routing.stages", "message": "duplicate stages"})
    return errs
