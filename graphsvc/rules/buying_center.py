"""The buying center: which roles an account needs, who covers them, who is missing, who could.

A required role is *covered* by a contact who is not disqualified, holds the role from a source
that counts (`sql.role_sources`: sales and import always, inferred from a confidence bar) and
engaged within `sql.role_engagement_days`. For every missing role the result lists candidates
(contacts holding the role from any source at or above `roles.candidate_min_confidence`), with what
stands in their way and, when the org chart allows, the REPORTS_TO path from an engaged colleague
(`intro_path`: a small breadth-first search, pure and deterministic; the rules depend on nothing,
so no graph library, and an account's org chart is tens of people).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection

from .contacts import ContactEval
from .result import BuyingCenter, Candidate, Coverage
from .roles import EffectiveRole
from .ruleset import CACHE_LIMIT, BantRule, ExtraRoles, Ruleset
from .ruleset_fields import normalize_key
from .snapshot import AccountSnapshot

MAX_CANDIDATES = 10


def required_roles(account: AccountSnapshot, ruleset: Ruleset, kind: str | None = None) -> tuple[str, ...]:
    """`sql.required_roles` plus the roles of every `sql.extra_roles` rule the account (and, for a
    buying group of a `kind`, the group) matches.

    A rule's conditions are all optional and all must hold. An account of unknown size matches no
    size condition: we do not ask for an economic buyer on a guess.
    """
    if not ruleset.sql.extra_roles:
        return tuple(ruleset.sql.required_roles)
    cache = ruleset.compiled.required_cache  # a pass asks for the same few segments and sizes
    key = (account.segment, account.employees, kind)
    hit = cache.get(key)
    if hit is None:
        roles = list(ruleset.sql.required_roles)
        for rule in ruleset.sql.extra_roles:
            if rule_matches(rule, account, kind):
                roles.extend(r for r in rule.roles if r not in roles)
        hit = tuple(roles)
        if len(cache) < CACHE_LIMIT:
            cache[key] = hit
    return hit


def rule_matches(rule: ExtraRoles | BantRule, account: AccountSnapshot, kind: str | None = None) -> bool:
    """Whether the account meets every condition the rule gives (segment, size band) and, when the
    rule names a group kind, the buying group is of that kind."""
    if rule.kind is not None and normalize_key(rule.kind) != normalize_key(kind):
        return False
    if rule.segment is not None and normalize_key(rule.segment) != normalize_key(account.segment):
        return False
    if rule.min_employees is not None and (account.employees is None or account.employees < rule.min_employees):
        return False
    return rule.max_employees is None or (account.employees is not None and account.employees < rule.max_employees)


def org_chart(evals: list[ContactEval]) -> dict[str, set[str]]:
    """The reporting lines of the account's contacts (REPORTS_TO, as given by each contact), as an
    undirected adjacency map: an introduction runs both ways along a line (a report can introduce
    their boss and a boss their report)."""
    adjacency: dict[str, set[str]] = {}
    for e in evals:
        boss = e.contact.reports_to
        if boss:
            adjacency.setdefault(e.contact.id, set()).add(boss)
            adjacency.setdefault(boss, set()).add(e.contact.id)
    return adjacency


def intro_path(target: str, chart: dict[str, set[str]], engaged: Collection[str]) -> tuple[str, ...] | None:
    """The shortest REPORTS_TO chain from an engaged contact to `target`, both ends included
    (`("e1", "mgr", "vp")`), or None when no engaged contact is connected.

    Breadth-first from the target, neighbours in id order, so the answer is deterministic: of the
    nearest engaged contacts, the one reached first in that order. The one computation of an
    introduction path: the engine's candidates, its next action and the API's buying-center view
    all read it from here, with `engaged` meaning engaged within `sql.role_engagement_days`.
    """
    if target not in chart:
        return None
    sources = set(engaged) - {target}
    previous: dict[str, str | None] = {target: None}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if node in sources:
            path = [node]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return tuple(path)
        for nxt in sorted(chart.get(node, ())):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None


def _candidate_note(role: str, e: ContactEval, counts: bool, source: str, confidence: float, ruleset: Ruleset) -> str:
    days = ruleset.sql.role_engagement_days
    if not counts:
        bar = ruleset.sql.role_sources.get(source)
        if bar is None:
            gap = f"role source {source!r} does not count"
        else:
            gap = f"{source} confidence {confidence:g} < {bar:g}"
        gap += f"; sales can confirm {role}"
        if not e.engaged_in_window:
            gap += f", and they have not engaged in the last {days:g} days"
        return gap
    return f"not engaged in the last {days:g} days"


def buying_center(account: AccountSnapshot, evals: list[ContactEval], ruleset: Ruleset,
                  kind: str | None = None) -> BuyingCenter:
    """The buying center of one buying group (its members' roles in `evals`; `kind` the group's kind)."""
    required = required_roles(account, ruleset, kind)
    active = [e for e in evals if not e.disqualified]

    covered: dict[str, list[Coverage]] = {}
    known: set[str] = set()  # roles with a counting contact, engaged or not
    for e in active:
        for role, er in e.roles.items():
            if not er.counts:
                continue
            known.add(role)
            if e.engaged_in_window:
                covered.setdefault(role, []).append(
                    Coverage(e.contact.id, er.source, er.confidence, e.last_engaged_at, e.contact.account_id,
                             e.contact.account_name)
                )
    ordered_roles = [r for r in ruleset.roles.vocabulary if r in covered] + sorted(
        r for r in covered if r not in ruleset.roles.vocabulary
    )
    covered_out = {
        role: tuple(sorted(covered[role], key=lambda c: (-(c.last_engaged_at or 0.0), c.contact_id)))
        for role in ordered_roles
    }

    missing = tuple(r for r in required if r not in covered)
    unengaged = tuple(r for r in missing if r in known)

    # Who can introduce us: the contacts engaged within the window (one definition of engaged).
    engaged = tuple(sorted(e.contact.id for e in active if e.engaged_in_window))
    chart: dict[str, set[str]] | None = None  # built when a candidate needs an introduction path

    def path_to(contact_id: str) -> tuple[str, ...] | None:
        nonlocal chart
        if chart is None:
            chart = org_chart(active)
        return intro_path(contact_id, chart, engaged)

    floor = ruleset.roles.candidate_min_confidence
    candidates: dict[str, tuple[Candidate, ...]] = {}
    for role in missing:
        # Rank first, build only the MAX_CANDIDATES kept (their notes and introduction paths too).
        found: list[tuple[tuple[bool, bool, float, str], ContactEval, EffectiveRole]] = []
        for e in active:
            held = e.roles.get(role)
            if held is None or (held.source == "inferred" and held.confidence < floor):
                continue
            found.append(((not held.counts, not e.engaged_in_window, -held.confidence, e.contact.id), e, held))
        found.sort(key=lambda f: f[0])
        candidates[role] = tuple(
            Candidate(
                contact_id=e.contact.id,
                name=e.name,
                title=e.contact.title,
                source=held.source,
                confidence=held.confidence,
                counts=held.counts,
                engaged=e.engaged_in_window,
                last_engaged_at=e.last_engaged_at,
                intro_path=None if e.engaged_in_window else path_to(e.contact.id),
                note=_candidate_note(role, e, held.counts, held.source, held.confidence, ruleset),
            )
            for _, e, held in found[:MAX_CANDIDATES]
        )

    return BuyingCenter(
        required=required,
        covered=covered_out,
        missing=missing,
        unengaged=unengaged,
        candidates=candidates,
        engaged=engaged,
    )
