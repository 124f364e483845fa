"""A store row -> the rules engine's input: the qualification service builds what it evaluates."""

from __future__ import annotations

from typing import Any

from graphsvc.rules import INITIAL_STAGE, AccountSnapshot, ActivityStat, BantEntry, ContactSnapshot, RoleAssignment

__all__ = ["account_snapshot"]


def account_snapshot(row: dict[str, Any]) -> AccountSnapshot:
    """A `qualification/snapshots_current` or `snapshots_history` row -> rules AccountSnapshot
    (engagement as per-type stats)."""
    a = row["account"]
    contacts = [_contact(c) for c in sorted(row.get("contacts") or [], key=lambda c: c["contact"]["id"])]
    return AccountSnapshot(
        id=a["id"], name=a.get("name"), domain=a.get("domain"), industry=a.get("industry"),
        employees=a.get("employees"), annual_revenue=a.get("annual_revenue"), country=a.get("country"),
        segment=a.get("segment"), stage=a.get("stage") or INITIAL_STAGE, stage_since=a.get("stage_since"),
        qualified_at=a.get("qualified_at"), contacts=tuple(contacts),
        inherited=tuple(_contact(c) for c in sorted(row.get("inherited") or [],
                                                      key=lambda c: (c["account_id"], c["contact"]["id"]))),
        bant=tuple(BantEntry(group=b["group"], field=b["field"], met=b["met"], by=b["by"] or "", at=float(b["at"]),
                             note=b["note"] or "") for b in row.get("bant") or ()),
    )


def _contact(c: dict[str, Any]) -> ContactSnapshot:
    p = c["contact"]
    return ContactSnapshot(
        id=p["id"], email=p.get("email"), first_name=p.get("first_name"), last_name=p.get("last_name"),
        title=p.get("title"), seniority=p.get("seniority"), department=p.get("department"),
        status=p.get("status"), reports_to=c.get("reports_to"), account_id=c.get("account_id"),
        roles=tuple(
            RoleAssignment(role=r["role"], source=r.get("source") or "import",
                           confidence=float(r["confidence"] if r.get("confidence") is not None else 1.0),
                           buying_group=r.get("buying_group") or "default", at=r.get("at"))
            for r in sorted(c.get("roles") or [], key=lambda r: (r["role"], r.get("buying_group") or ""))
        ),
        stats=tuple(
            ActivityStat(type=t, count=int(n), last_at=float(last), decay_weight=float(w))
            for t, n, last, w in sorted(zip(*(c.get("stats") or [[], [], [], []])))
        ),
    )
