"""The one place that turns store rows (epoch-second times, raw property maps) into API shapes."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

# Properties that hold epoch seconds and are spoken as ISO-8601 by the API.
TIME_FIELDS = frozenset({"at", "created_at", "updated_at", "stage_since", "qualified_at"})


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(float(ts), tz=timezone.utc).isoformat().replace("+00:00", "Z")


def with_iso_times(props: dict[str, Any]) -> dict[str, Any]:
    return {k: iso(v) if k in TIME_FIELDS and isinstance(v, (int, float)) else v for k, v in props.items()}


def account(row: dict[str, Any]) -> dict[str, Any]:
    props = with_iso_times(row["account"])
    props.pop("batch", None)
    props["parent_id"] = row.get("parent_id")
    props["subsidiaries"] = sorted(row.get("subsidiaries") or [])
    props["contact_count"] = row.get("contacts", 0)
    return props


def contact(row: dict[str, Any]) -> dict[str, Any]:
    props = with_iso_times(row["contact"])
    props.pop("batch", None)
    props["account_id"] = row.get("account_id")
    props["reports_to"] = row.get("reports_to")
    roles = [with_iso_times(r) for r in row.get("roles") or [] if r]
    props["roles"] = sorted(roles, key=lambda r: (r["buying_group"] or "", r["role"]))
    return props


def snapshot(row: dict[str, Any]):
    """A `qualification/snapshots_current` or `snapshots_history` row -> rules AccountSnapshot
    (engagement as per-type stats)."""
    from graphsvc.rules import INITIAL_STAGE, AccountSnapshot, ActivityStat, ContactSnapshot, RoleAssignment

    a = row["account"]
    contacts = []
    for c in sorted(row.get("contacts") or [], key=lambda c: c["contact"]["id"]):
        p = c["contact"]
        contacts.append(
            ContactSnapshot(
                id=p["id"], email=p.get("email"), first_name=p.get("first_name"), last_name=p.get("last_name"),
                title=p.get("title"), seniority=p.get("seniority"), department=p.get("department"),
                status=p.get("status"), reports_to=c.get("reports_to"),
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
        )
    return AccountSnapshot(
        id=a["id"], name=a.get("name"), domain=a.get("domain"), industry=a.get("industry"),
        employees=a.get("employees"), annual_revenue=a.get("annual_revenue"), country=a.get("country"),
        segment=a.get("segment"), stage=a.get("stage") or INITIAL_STAGE, stage_since=a.get("stage_since"),
        qualified_at=a.get("qualified_at"), contacts=tuple(contacts),
    )


_EPOCH_KEYS = TIME_FIELDS | {"as_of", "last_engaged_at", "due_at", "last_at"}


def iso_times(value: Any) -> Any:
    """Recursively speak ISO-8601 for every epoch-seconds field of an engine result."""
    if isinstance(value, dict):
        return {k: (iso(v) if k in _EPOCH_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool)
                    else iso_times(v) if isinstance(v, (dict, list)) else v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [iso_times(v) if isinstance(v, (dict, list)) else v for v in value]
    return value
