"""The one place that turns store rows (epoch-second times, raw property maps) into API shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

__all__ = ["account", "contact", "iso", "iso_times"]

# Properties that hold epoch seconds and are spoken as ISO-8601 by the API.
TIME_FIELDS = frozenset({"at", "created_at", "updated_at", "stage_since", "qualified_at", "requalify_at", "qualified_until"})


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return _iso(ts)


# Formatting a time costs ~1.5 us and a board page formats ~200 (stage_since and the SLA's three times
# per row): 13% of an API worker's samples under the board's load at 100k accounts (docs/benchmarks.md,
# "The board's service CPU"). The same accounts' times come back page after page, so the last 64k are
# kept (~15 MB a process; a miss costs ~0.6 us more than formatting). 5 and 5.0 share an entry, which
# is right: they are the same time.
@lru_cache(maxsize=1 << 16)
def _iso(ts: float) -> str:
    return datetime.fromtimestamp(float(ts), tz=UTC).isoformat().replace("+00:00", "Z")


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
