"""An account's place in its hierarchy (SUBSIDIARY_OF) with every related account's stage (issue 15)."""

from __future__ import annotations

from typing import Any

from graphsvc.errors import NotFound
from graphsvc.store.graph_store import GraphStore

__all__ = ["hierarchy"]


def hierarchy(store: GraphStore, account_id: str) -> dict[str, Any]:
    """{account, ancestors (nearest first), subsidiaries (by level, then id), stages (count per stage
    over the account and everything below it)}."""
    row = store.read_one("qualification/hierarchy", id=account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id!r}")
    ancestors = sorted((a for a in row["ancestors"] if a), key=lambda a: a["level"])
    subsidiaries = sorted((s for s in row["subsidiaries"] if s), key=lambda s: (s["level"], s["id"]))
    stages: dict[str, int] = {}
    for a in [row["account"], *subsidiaries]:
        stages[a.get("stage") or "target"] = stages.get(a.get("stage") or "target", 0) + 1
    return {"account": row["account"], "ancestors": ancestors, "subsidiaries": subsidiaries,
            "stages": dict(sorted(stages.items()))}
