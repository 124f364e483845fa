"""Buying groups per initiative and engagement over the hierarchy (issue 15). Pure.

An account can have several buying groups (one per initiative, opportunity or product line). Each
has its own SQL gate: the roles held *in it* cover its required roles (`sql.required_roles` plus the
`[[sql.extra_roles]]` rules its account and its `kind` match), its own intent (`groups.intent`: a
member's signal, or any contact's) and its own BANT. The account's MQA stays one (engagement is the
account's); the account is an SQL when one group's gate passes. The `default` group keeps what was
there before groups: every contact, roles inferred from titles, any contact's intent. An account with
only the default group is evaluated exactly as before (its contacts are not even re-read).

With `hierarchy.subsidiary_engagement = "roll_up"`, the subsidiaries' contacts add their engagement
to the parent's: each person once (a contact of the account itself, or reached through two
subsidiaries, is counted once).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .contacts import ContactEval, evaluate_contact
from .frozen import fast_init
from .result import BuyingCenter, Gate, GroupResult, HierarchyContact
from .roles import effective_roles
from .ruleset import Ruleset
from .snapshot import AccountSnapshot, GroupInfo

__all__ = ["GroupView", "account_groups", "chosen", "group_result", "group_views", "hierarchy_contacts",
           "rolled_up", "where"]

DEFAULT = "default"


@fast_init
@dataclass(frozen=True, slots=True)
class GroupView:
    """What one buying group's gate is computed from."""

    info: GroupInfo
    evals: list[ContactEval]  # every contact of the account, roles restricted to the ones held in the group
    members: tuple[str, ...]  # contacts holding a role in the group (default: every contact)
    intent_from: list[ContactEval]  # whose intent signals count for the group


def account_groups(snapshot: AccountSnapshot) -> tuple[GroupInfo, ...]:
    """`default` first, then every other group by name: the snapshot's groups and the groups its
    contacts hold roles in (kind unknown for those)."""
    kinds: dict[str, str | None] = {g.name: g.kind for g in snapshot.groups}
    for c in snapshot.contacts:
        for r in c.roles:
            kinds.setdefault(r.buying_group, None)
    others = sorted(n for n in kinds if n != DEFAULT)
    return (GroupInfo(DEFAULT, kinds.get(DEFAULT)), *(GroupInfo(n, kinds[n]) for n in others))


def group_views(snapshot: AccountSnapshot, evals: list[ContactEval], ruleset: Ruleset) -> list[GroupView]:
    """One view per buying group. With the default group alone, the evaluations as they are."""
    groups = account_groups(snapshot)
    active = [e for e in evals if not e.disqualified]
    if len(groups) == 1:
        return [GroupView(groups[0], evals, tuple(e.contact.id for e in evals), active)]
    views = []
    for g in groups:
        scoped = [replace(e, roles=effective_roles(e.contact, ruleset, g.name)) for e in evals]
        if g.name == DEFAULT:
            members = tuple(e.contact.id for e in evals)
        else:
            members = tuple(e.contact.id for e in evals if any(r.buying_group == g.name for r in e.contact.roles))
        own_intent = g.name != DEFAULT and ruleset.groups.intent == "members"
        views.append(GroupView(g, scoped, members, [e for e in active if e.contact.id in members] if own_intent else active))
    return views


def group_result(view: GroupView, bc: BuyingCenter, sql: Gate) -> GroupResult:
    return GroupResult(
        name=view.info.name, kind=view.info.kind, passed=sql.passed, members=view.members, required=bc.required,
        missing=bc.missing, covered={role: tuple(c.contact_id for c in cov) for role, cov in bc.covered.items()},
        sql=sql,
    )


def chosen(results: list[GroupResult]) -> int:
    """The index of the group the account's answer shows: the first (default first, then by name)
    whose gate passed, else the one with the most passing checks (the first of equals)."""
    for i, r in enumerate(results):
        if r.passed:
            return i
    return max(range(len(results)), key=lambda i: (sum(c.passed for c in results[i].sql.checks), -i))


def rolled_up(snapshot: AccountSnapshot, ruleset: Ruleset, as_of: float) -> list[ContactEval]:
    """The subsidiaries' contacts whose engagement counts here (`roll_up`), not disqualified, each
    person once and never one of the account's own."""
    if ruleset.hierarchy.subsidiary_engagement != "roll_up":
        return []
    seen = {c.id for c in snapshot.contacts}
    out = []
    for c in snapshot.rolled_up:
        if c.id in seen:
            continue
        seen.add(c.id)
        e = evaluate_contact(c, ruleset, as_of)
        if not e.disqualified:
            out.append(e)
    return out


def where(e: ContactEval, relation: str) -> str:
    """"c7" for the account's own contact, "c7 at subsidiary Acme UK (acc-uk)" for another's."""
    c = e.contact
    if c.account_id is None:
        return c.id
    return f"{c.id} at {relation} {c.account_name + ' (' + c.account_id + ')' if c.account_name else c.account_id}"


def hierarchy_contacts(rolled: list[ContactEval], bc: BuyingCenter, inherited: list[ContactEval]) -> tuple[HierarchyContact, ...]:
    """Who of the other accounts took part: subsidiaries' people counted for engagement, parents'
    people covering a role of the group shown."""
    out = [HierarchyContact(e.contact.id, e.name, e.contact.account_id or "", e.contact.account_name, "subsidiary",
                            e.engagement, True) for e in rolled]
    for e in inherited:
        covers = tuple(role for role, cov in bc.covered.items() if any(c.contact_id == e.contact.id for c in cov))
        if covers:
            out.append(HierarchyContact(e.contact.id, e.name, e.contact.account_id or "", e.contact.account_name,
                                        "parent", e.engagement, False, covers))
    return tuple(out)
