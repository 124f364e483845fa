"""BANT per buying group (issue 15): what sales records, and what the snapshot carries to the engine.

Stored as four parallel lists on the BuyingGroup (see cypher/qualification/bant_set.cypher); read
for a page of accounts only when the active ruleset requires BANT, so a ruleset without BANT costs
nothing more per requalification.
"""

from __future__ import annotations

import uuid
from typing import Any

from graphsvc.errors import NotFound
from graphsvc.rules import Ruleset
from graphsvc.store.graph_store import GraphStore

__all__ = ["BANT_FIELDS", "attach_bant", "record_bant", "requires_bant"]

BANT_FIELDS = ("budget", "authority", "need", "timeline")


def requires_bant(ruleset: Ruleset) -> bool:
    return bool(ruleset.sql.bant or ruleset.sql.bant_rules)


def _entries(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"group": row["group"], "field": f, "met": met == "yes", "by": by, "at": at, "note": note}
            for f, met, by, at, note in zip(BANT_FIELDS, row["met"], row["by"], row["at"], row["notes"]) if met]


def attach_bant(store: GraphStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Snapshot rows with each account's recorded BANT under `bant` (what `account_snapshot` reads)."""
    by_account: dict[str, list[dict[str, Any]]] = {}
    for r in store.read("qualification/bant_of", ids=[row["account"]["id"] for row in rows]):
        by_account.setdefault(r["account_id"], []).extend(_entries(r))
    return [{**row, "bant": by_account.get(row["account"]["id"], [])} for row in rows]


def record_bant(store: GraphStore, account_id: str, group: str, fields: dict[str, tuple[bool, str | None]],
                actor: str, now: float) -> dict[str, Any]:
    """Record the given fields (name -> (met, note)) for the group; the group's BANT as now recorded."""
    met = ["" if f not in fields else "yes" if fields[f][0] else "no" for f in BANT_FIELDS]
    notes = [(fields[f][1] or "") if f in fields else "" for f in BANT_FIELDS]
    row = store.read_one("read/account", id=account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id!r}")
    done = store.write("qualification/bant_set", account_id=account_id, group=group, met=met, notes=notes,
                       actor=actor, now=now, batch=uuid.uuid4().hex)
    if not done:
        raise NotFound(f"account {account_id!r} has no buying group named {group!r}",
                       details=[{"field": "path.group", "message": "no such buying group on this account"}])
    return {f: {"met": e["met"], "by": e["by"], "at": e["at"], "note": e["note"] or None}
            for f, e in ((e["field"], e) for e in _entries({"group": group, **done[0]}))}
