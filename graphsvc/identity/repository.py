"""The identity statements (`cypher/identity/`): merges, their records, the lookups they are checked with."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from graphsvc.store.graph_store import GraphStore

__all__ = ["IdentityRepository"]


class IdentityRepository:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def existing(self, kind: str, ids: Sequence[str]) -> set[str]:
        row = self.store.read_one("read/existing_ids", accounts=sorted(set(ids)) if kind == "account" else [],
                                  contacts=sorted(set(ids)) if kind == "contact" else [])
        assert row is not None  # an aggregation: always one row
        return set(row["accounts" if kind == "account" else "contacts"])

    def aliases(self, kind: str, ids: Sequence[str]) -> dict[str, str]:
        """id -> the survivor it was merged into, for the ids among `ids` that were merged."""
        rows = self.store.read("identity/resolve_aliases", keys=[f"{kind}:{i}" for i in sorted(set(ids))])
        return {r["key"].split(":", 1)[1]: r["target"] for r in rows}

    def stored_parents(self, account_ids: Sequence[str]) -> dict[str, str | None]:
        rows = self.store.read("read/account_ancestors", ids=sorted(set(account_ids)))
        return {r["id"]: r["parent_id"] for r in rows}

    def merge(self, kind: str, survivor: str, merged: Sequence[str], *, actor: str, reason: str | None, now: float,
              parent_id: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {"survivor": survivor, "merged": list(merged), "merge_id": uuid.uuid4().hex,
                                  "actor": actor, "reason": reason, "now": now, "batch": uuid.uuid4().hex}
        if kind == "account":
            params["parent_id"] = parent_id
        rows = self.store.write(f"identity/merge_{kind}s", **params)
        row = rows[0] if rows else {"merged": [], "accounts": []}
        merged_ids = sorted(row["merged"] or [])
        accounts = [survivor] if kind == "account" and merged_ids else sorted(set(row.get("accounts") or []))
        return {"merged": merged_ids, "accounts": accounts, "merge_id": params["merge_id"] if merged_ids else None}

    def merges(self, kind: str, survivor: str) -> list[dict[str, Any]]:
        return self.store.read("identity/merges_of", id=survivor, kind=kind)

    def people(self) -> list[dict[str, Any]]:
        return self.store.read("identity/contact_keys")

    def companies(self) -> list[dict[str, Any]]:
        return self.store.read("identity/account_keys")
