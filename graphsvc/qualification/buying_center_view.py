"""The buying-center view for sales: per required role, who covers it, or who could and how to
reach them. Everything here is the engine's answer (`Qualification.buying_center`), with names and
titles added: the introduction paths are the engine's too (`graphsvc.rules` computes them once,
from the contacts engaged within `sql.role_engagement_days`), so this view and `next_action.why`
always name the same path."""

from __future__ import annotations

from typing import Any

from graphsvc.rules import AccountSnapshot, ContactSnapshot, Qualification, Ruleset, to_jsonable

__all__ = ["buying_center_view"]


def _person(c: ContactSnapshot) -> dict[str, Any]:
    name = " ".join(p for p in (c.first_name, c.last_name) if p) or None
    return {"id": c.id, "name": name, "title": c.title}


def buying_center_view(result: Qualification, snapshot: AccountSnapshot, ruleset: Ruleset) -> dict[str, Any]:
    bc = result.buying_center
    people = {c.id: c for c in (*snapshot.inherited, *snapshot.contacts)}

    def person(cid: str) -> dict[str, Any]:
        return _person(people[cid]) if cid in people else {"id": cid, "name": None, "title": None}

    roles = []
    for role in bc.required:
        status = "covered" if role not in bc.missing else ("unengaged" if role in bc.unengaged else "missing")
        covered = [
            {**person(cv.contact_id), "source": cv.source, "confidence": cv.confidence,
             "last_engaged_at": cv.last_engaged_at,
             "account_id": cv.account_id,  # issue 15: a parent account's contact, or null for this account's
             **({"account_name": cv.account_name} if cv.account_id else {})}
            for cv in bc.covered.get(role, ())
        ]
        candidates = [
            {**person(cand.contact_id), "source": cand.source, "confidence": cand.confidence,
             "counts": cand.counts, "engaged": cand.engaged, "last_engaged_at": cand.last_engaged_at,
             "note": cand.note, "intro_path": [person(p) for p in cand.intro_path] if cand.intro_path else None}
            for cand in bc.candidates.get(role, ())
        ]
        roles.append({"role": role, "status": status, "contacts": covered, "candidates": candidates})
    out = {
        "account_id": result.account_id,
        "as_of": result.as_of,
        "stage": result.stage,
        "required": list(bc.required),
        "missing": list(bc.missing),
        "roles": roles,
        "engaged_contacts": [person(c) for c in bc.engaged],
        # The org chart inside the account (contact -> manager), for drawing the map: the paths above
        # run along these lines. Lines to people outside the account are left out.
        "reporting_lines": [{"from": c.id, "to": c.reports_to} for c in snapshot.contacts
                            if c.reports_to and c.reports_to in people],
        "role_engagement_days": ruleset.sql.role_engagement_days,
        "next_action": {"action": result.next_action.action, "why": result.next_action.why},
    }
    if len(result.groups) > 1:  # issue 15: the roles above are the shown group's; every group's gate here
        out["group"] = result.group
        out["qualified_group"] = result.qualified_group
        out["groups"] = [{"name": g.name, "kind": g.kind, "sql_passed": g.passed, "members": list(g.members),
                          "required": list(g.required), "missing": list(g.missing),
                          "covered": {r: list(ids) for r, ids in g.covered.items()}} for g in result.groups]
    if result.hierarchy:
        out["hierarchy"] = [to_jsonable(h) for h in result.hierarchy]
    return out
