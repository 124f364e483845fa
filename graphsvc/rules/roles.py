"""Buying roles: inference from title and seniority, and the roles a contact effectively holds.

`infer_roles` proposes roles from a title ("VP Operations", "Leiter Produktion", "Directeur des
opérations" -> decision_maker) with the confidence of the best matching rule. `effective_roles`
merges a contact's stored role assignments (sales, import, inferred) with inference, following the
rule that people win over patterns:

* a contact with any sales-confirmed role is taken exactly as sales says: nothing is inferred;
* a sales assignment with confidence 0 is a denial ("not a decision maker"): it removes that role
  from the contact whatever the other sources say;
* otherwise each role keeps its best assignment: sales over import over inferred, then confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fit import normalize_seniority
from .frozen import fast_init
from .ruleset import CACHE_LIMIT, Ruleset, crm_role_key
from .ruleset_fields import normalize_title
from .snapshot import ContactSnapshot
from .vocabulary import ROLE_SOURCES

_SOURCE_RANK = {s: i for i, s in enumerate(ROLE_SOURCES)}  # sales, then import, then inferred


def infer_roles(title: str | None, seniority: str | None, ruleset: Ruleset) -> list[tuple[str, float]]:
    """[(role, confidence)] proposed by the ruleset's patterns, best first, one entry per role.

    A rule matches when each part it gives matches: any of its title regexes (searched in the
    normalised title) and/or the contact's normalised seniority. Titles matching an exclusion
    (assistants, students) infer nothing. Results are cached per ruleset by (title, seniority).
    """
    c = ruleset.compiled
    key = (title or "", seniority or "")
    cached = c.role_cache.get(key)
    if cached is not None:
        return list(cached)
    norm_title = normalize_title(title)
    norm_seniority = normalize_seniority(seniority, ruleset)
    best: dict[str, float] = {}
    if not (norm_title and any(rx.search(norm_title) for rx in c.exclude_titles)):
        for role, confidence, titles, seniorities in c.role_rules:
            if titles and not (norm_title and any(rx.search(norm_title) for rx in titles)):
                continue
            if seniorities and norm_seniority not in seniorities:
                continue
            if confidence > best.get(role, -1.0):
                best[role] = confidence
    result = tuple(sorted(best.items(), key=lambda rc: (-rc[1], rc[0])))
    if len(c.role_cache) < CACHE_LIMIT:
        c.role_cache[key] = result
    return list(result)


@fast_init
@dataclass(frozen=True, slots=True)
class EffectiveRole:
    role: str
    source: str  # "sales" | "import" | "inferred"
    confidence: float
    counts: bool  # does this source, at this confidence, count towards buying-center coverage?
    at: float | None = None


def source_counts(source: str, confidence: float, ruleset: Ruleset) -> bool:
    """Whether a role from `source` with `confidence` counts for coverage (sql.role_sources)."""
    bar = ruleset.sql.role_sources.get(source)
    return bar is not None and confidence > 0 and confidence >= bar


def effective_roles(contact: ContactSnapshot, ruleset: Ruleset, group: str | None = None) -> dict[str, EffectiveRole]:
    """role -> the contact's best assignment of it (see the module docstring for the precedence).

    With `group` (issue 15: buying groups per initiative), only the assignments held in that buying
    group count, and roles are inferred from the title for the `default` group alone; whether sales
    classified the contact (no inference then) looks at every group."""
    if not contact.roles:  # most contacts: their roles are the title's, the same for every such title
        return _inferred(contact, ruleset) if group in (None, "default") else {}
    held = contact.roles if group is None else tuple(r for r in contact.roles if r.buying_group == group)
    denied = {r.role for r in held if r.source == "sales" and r.confidence <= 0}
    options: dict[str, list[EffectiveRole]] = {}
    for r in held:
        if r.role in denied:
            continue
        options.setdefault(r.role, []).append(
            EffectiveRole(r.role, r.source, r.confidence, source_counts(r.source, r.confidence, ruleset), r.at)
        )
    sales_classified = any(r.source == "sales" for r in contact.roles)
    if ruleset.roles.infer and not sales_classified and group in (None, "default"):
        for role, confidence in infer_roles(contact.title, contact.seniority, ruleset):
            if role not in denied:
                options.setdefault(role, []).append(
                    EffectiveRole(role, "inferred", confidence, source_counts("inferred", confidence, ruleset))
                )
    return {
        role: min(opts, key=lambda e: (not e.counts, _SOURCE_RANK.get(e.source, 9), -e.confidence))
        for role, opts in options.items()
    }


def _inferred(contact: ContactSnapshot, ruleset: Ruleset) -> dict[str, EffectiveRole]:
    """effective_roles of a contact with no stored role: what its title and seniority infer (a
    fresh dict each time: callers may change theirs), memoised per ruleset like infer_roles."""
    if not ruleset.roles.infer:
        return {}
    cache = ruleset.compiled.inferred_cache
    key = (contact.title or "", contact.seniority or "")
    hit: dict[str, EffectiveRole] | None = cache.get(key)
    if hit is None:
        hit = {role: EffectiveRole(role, "inferred", confidence, source_counts("inferred", confidence, ruleset))
               for role, confidence in infer_roles(contact.title, contact.seniority, ruleset)}
        if len(cache) < CACHE_LIMIT:
            cache[key] = hit
    return dict(hit)


def crm_role(label: str, ruleset: Ruleset) -> tuple[bool, str | None]:
    """A CRM's role label (Salesforce OpportunityContactRole.Role, HubSpot Buying Role) through the
    ruleset's `roles.crm_map`: (known, role). (True, None): a known label that says nothing (Other);
    (False, None): a label the table does not know, which is never guessed."""
    key = crm_role_key(label)
    table = ruleset.compiled.crm_roles
    return (key in table, table.get(key))
