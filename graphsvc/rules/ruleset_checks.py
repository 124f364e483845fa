"""Cross-field rules of a ruleset that pydantic's per-field validation cannot see.

Each problem is reported with the path of the offending value, in the same form as pydantic's
errors (`sql.extra_roles[0].roles[1]`), so the API's 422 lists them all together.
"""

from __future__ import annotations

from .ruleset import Ruleset
from .vocabulary import AUTOMATIC_STAGES, ROLE_SOURCES


def semantic_errors(rs: Ruleset) -> list[dict[str, str]]:
    """Cross-field rules pydantic's per-field validation cannot see."""
    errs: list[dict[str, str]] = []

    def err(path: str, message: str) -> None:
        errs.append({"path": path, "message": message})

    points = rs.activities.points
    for i, t in enumerate(rs.activities.intent):
        if t not in points:
            err(f"activities.intent[{i}]", f"intent type {t!r} has no points in activities.points")
    vocab = set(rs.roles.vocabulary)
    if len(vocab) != len(rs.roles.vocabulary):
        err("roles.vocabulary", "duplicate role names")
    for i, r in enumerate(rs.roles.rules):
        if r.role not in vocab:
            err(f"roles.rules[{i}].role", f"unknown role {r.role!r} (not in roles.vocabulary)")
        if not r.titles and not r.seniority:
            err(f"roles.rules[{i}]", "a rule needs titles, seniority or both")
    for i, role in enumerate(rs.sql.required_roles):
        if role not in vocab:
            err(f"sql.required_roles[{i}]", f"unknown role {role!r} (not in roles.vocabulary)")
    for i, extra in enumerate(rs.sql.extra_roles):
        for j, role in enumerate(extra.roles):
            if role not in vocab:
                err(f"sql.extra_roles[{i}].roles[{j}]", f"unknown role {role!r} (not in roles.vocabulary)")
        if (
            extra.min_employees is not None
            and extra.max_employees is not None
            and extra.max_employees <= extra.min_employees
        ):
            err(f"sql.extra_roles[{i}].max_employees", "must be greater than min_employees")
    for source in rs.sql.role_sources:
        if source not in ROLE_SOURCES:
            err(f"sql.role_sources.{source}", f"unknown role source (expected one of {', '.join(ROLE_SOURCES)})")
    for name in ("seniority_aliases", "department_aliases"):
        table = rs.contact_fit.seniority if name == "seniority_aliases" else rs.contact_fit.department
        for alias, target in getattr(rs.contact_fit, name).items():
            if target not in table:
                err(f"contact_fit.{name}.{alias}", f"alias target {target!r} is not a key of the table")
    for name in ("employee_bands", "revenue_bands"):
        bands = getattr(rs.account_fit, name)
        for i, b in enumerate(bands):
            if b.max is not None and b.max <= b.min:
                err(f"account_fit.{name}[{i}].max", "must be greater than min")
        order = sorted(range(len(bands)), key=lambda k: bands[k].min)
        for a, b in zip(order, order[1:]):
            upper = bands[a].max
            if upper is None or upper > bands[b].min:
                err(f"account_fit.{name}[{b}]", f"overlaps account_fit.{name}[{a}]")
    stage_names = set(AUTOMATIC_STAGES)
    for i, s in enumerate(rs.transitions.accept_from):
        if s not in stage_names:
            err(f"transitions.accept_from[{i}]", f"{s!r} is not an automatic stage ({', '.join(sorted(stage_names))})")
    if not rs.transitions.reject_reasons:
        err("transitions.reject_reasons", "at least one reject reason is required")
    return errs
