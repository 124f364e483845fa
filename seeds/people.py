"""Contacts of one generated account: names, e-mails, titles, departments, the org chart and the
buying roles sales or a CRM import already assigned to some of them.

Contacts come out top-down (C-level first), so every `reports_to` names a contact listed earlier:
a loader can ingest them in order.
"""

from __future__ import annotations

from random import Random

from .catalog import LEVEL
from .names import FIRST_NAMES, LAST_NAMES, slug
from .titles import titles_for

SENIORITY_WEIGHTS = (("c_level", 6), ("vp", 8), ("director", 13), ("manager", 20), ("senior", 22),
                     ("individual", 31))
_SEN_NAMES = tuple(s for s, _ in SENIORITY_WEIGHTS)
_SEN_CUM = tuple(sum(w for _, w in SENIORITY_WEIGHTS[: k + 1]) for k in range(len(SENIORITY_WEIGHTS)))

DEPARTMENT_WEIGHTS = {
    "industrial_automation": dict(engineering=24, manufacturing=14, operations=12, quality=9, r_and_d=6,
                                  procurement=8, finance=5, it=5, marketing=3, sales=4, legal=2),
    "semiconductors": dict(engineering=22, r_and_d=12, manufacturing=14, quality=12, operations=8,
                           procurement=8, finance=5, it=5, marketing=2, sales=3, legal=2),
    "microelectronics": dict(engineering=24, r_and_d=10, manufacturing=13, quality=11, operations=8,
                             procurement=8, finance=5, it=5, marketing=2, sales=3, legal=2),
    "test_and_measurement": dict(engineering=26, r_and_d=10, quality=12, manufacturing=8, operations=8,
                                 procurement=8, finance=5, it=5, marketing=3, sales=4, legal=2),
    "software": dict(engineering=30, r_and_d=8, it=12, operations=8, quality=4, manufacturing=1,
                     procurement=6, finance=6, marketing=6, sales=8, legal=3),
}
C_LEVEL_DEPARTMENTS = dict(executive=35, finance=20, engineering=15, operations=15, it=5, sales=5,
                           marketing=5)
VP_DEPARTMENTS = dict(operations=22, engineering=20, manufacturing=12, finance=10, sales=10,
                      r_and_d=8, quality=6, executive=4, procurement=4, it=4)

TECH = frozenset({"engineering", "r_and_d", "quality", "manufacturing", "operations"})
# Function groups for the org chart: people report within their department, else within their group.
_GROUP = {d: "tech" for d in TECH} | {"it": "it", "finance": "finance", "procurement": "finance",
                                     "legal": "legal", "executive": "executive", "marketing": "gtm",
                                     "sales": "gtm"}
DM_DEPARTMENTS = frozenset({"executive", "operations", "manufacturing", "engineering", "r_and_d"})

# Share of contacts that already carry a buying role, by account state; and how often it came from
# sales (the rest from a CRM import).
ROLE_SHARE = {"dormant": 0.03, "cold": 0.03, "aware": 0.08, "engaged": 0.3, "evaluating": 0.55}
SALES_SHARE = {"dormant": 0.1, "cold": 0.15, "aware": 0.15, "engaged": 0.7, "evaluating": 0.7}
INITIATIVES = {
    "industrial_automation": "line-retrofit-2027", "semiconductors": "wafer-test-expansion",
    "microelectronics": "smt-line-upgrade", "test_and_measurement": "lab-modernisation",
    "software": "mes-rollout",
}


def _weighted(rng: Random, table: dict[str, int]) -> str:
    keys = tuple(table)
    return rng.choices(keys, weights=tuple(table.values()))[0]


def natural_role(department: str, seniority: str, rng: Random) -> str | None:
    """The buying role a contact with this department and seniority usually plays, if any."""
    tech = department in TECH
    if department == "procurement":
        return "procurement"
    if department == "legal":
        return "legal"
    if department == "finance":
        return "economic_buyer" if seniority in ("c_level", "vp", "director") else None
    if seniority in ("c_level", "vp"):
        if department in DM_DEPARTMENTS or department == "quality":
            return "decision_maker"
        if department == "it":
            return "blocker" if rng.random() < 0.2 else "influencer"
        return "influencer"
    if seniority == "director":
        if tech:
            return "decision_maker" if rng.random() < 0.5 else "influencer"
        if department == "it":
            return "blocker" if rng.random() < 0.25 else "influencer"
        return "influencer"
    if not tech and department != "it":
        return None
    if seniority == "manager":
        return "champion" if rng.random() < 0.5 else "technical_evaluator"
    if seniority == "senior":
        return "champion" if rng.random() < 0.3 else "technical_evaluator"
    return "technical_evaluator" if rng.random() < 0.6 else "end_user"


def _seniorities(rng: Random, n: int) -> list[str]:
    out = rng.choices(_SEN_NAMES, cum_weights=_SEN_CUM, k=n)
    if n >= 4 and not any(LEVEL[s] <= LEVEL["director"] for s in out):
        out[0] = "director"
    if n >= 3 and not any(s in ("senior", "individual") for s in out):
        out[-1] = "individual"
    return out


def _departments(rng: Random, seniorities: list[str], industry: str) -> list[str]:
    base = DEPARTMENT_WEIGHTS[industry]
    taken_c: set[str] = set()
    out = []
    for k, sen in enumerate(seniorities):
        if sen == "c_level":
            dept = _weighted(rng, C_LEVEL_DEPARTMENTS)
            if dept in taken_c:  # one CEO, one CFO...: a second one is a VP
                seniorities[k] = sen = "vp"
                dept = _weighted(rng, VP_DEPARTMENTS)
            else:
                taken_c.add(dept)
        elif sen == "vp":
            dept = _weighted(rng, VP_DEPARTMENTS)
        else:
            dept = _weighted(rng, base)
        out.append(dept)
    return out


def _manager_index(rng: Random, k: int, people: list[tuple[int, str]]) -> int | None:
    """Pick the manager of people[k] among the earlier, strictly more senior people: same
    department and nearest level first, then same function group or the executive, then any
    C-level. Nobody reports across functions below the C-level: with no one of their own
    function above them, a person's manager is simply not known (None)."""
    level, dept = people[k]
    best: list[int] = []
    best_score = 99
    for j in range(k):
        lj, dj = people[j]
        if lj >= level and not (lj == level == 0 and dj == "executive" != dept):
            continue
        if dj == dept:
            penalty = 0
        elif dj == "executive" or _GROUP[dj] == _GROUP[dept]:
            penalty = 1
        elif lj == 0:
            penalty = 5
        else:
            continue
        score = max(level - lj, 1) + penalty
        if score < best_score:
            best, best_score = [j], score
        elif score == best_score:
            best.append(j)
    return rng.choice(best) if best else None


def make_contacts(rng: Random, *, account_id: str, id_prefix: str, domain: str, industry: str,
                  country_locale: str, title_language: str, n: int, state: str,
                  enterprise: bool) -> list[dict]:
    """`n` contact rows of one account, top-down, with org chart and some buying roles."""
    seniorities = _seniorities(rng, n)
    departments = _departments(rng, seniorities, industry)
    # Top-down; among the C-level the chief executive first, so the others can report to them.
    order = sorted(range(n), key=lambda k: (LEVEL[seniorities[k]], departments[k] != "executive", k))
    people = [(LEVEL[seniorities[k]], departments[k]) for k in order]

    email_style = rng.choices(("dot", "initial", "underscore"), weights=(75, 18, 7))[0]
    title_local_p = {"de": 0.45, "fr": 0.5}.get(title_language, 0.0)
    role_share = ROLE_SHARE[state]
    sales_share = SALES_SHARE[state]
    group = INITIATIVES[industry] if enterprise and state == "evaluating" and rng.random() < 0.5 else "default"

    rows: list[dict] = []
    used_locals: set[str] = set()
    for pos, (_level, dept) in enumerate(people):
        sen = seniorities[order[pos]]
        locale = country_locale if rng.random() < 0.88 else "en"
        first = rng.choice(FIRST_NAMES[locale])
        last = rng.choice(LAST_NAMES[locale])
        if email_style == "dot":
            local = f"{slug(first)}.{slug(last)}"
        elif email_style == "initial":
            local = f"{slug(first)[:1]}{slug(last)}"
        else:
            local = f"{slug(first)}_{slug(last)}"
        base, suffix = local, 2
        while local in used_locals:
            local, suffix = f"{base}{suffix}", suffix + 1
        used_locals.add(local)
        lang = title_language if rng.random() < title_local_p else "en"
        title = rng.choice(titles_for(dept, sen, industry, lang))
        manager = _manager_index(rng, pos, people)
        # A CRM rarely knows every reporting line.
        if manager is not None and rng.random() < 0.06:
            manager = None
        roles = []
        if rng.random() < role_share:
            role = natural_role(dept, sen, rng)
            if role is not None:
                source = "sales" if rng.random() < sales_share else "import"
                roles.append({"role": role, "buying_group": group, "source": source})
                if role == "champion" and rng.random() < 0.3:
                    roles.append({"role": "technical_evaluator", "buying_group": group, "source": source})
        rows.append({
            "id": f"{id_prefix}-{pos + 1:03d}",
            "email": f"{local}@{domain}",
            "account_id": account_id,
            "first_name": first,
            "last_name": last,
            "title": title,
            "seniority": sen,
            "department": dept,
            "reports_to": None if manager is None else f"{id_prefix}-{manager + 1:03d}",
            "roles": roles,
        })
    return rows
