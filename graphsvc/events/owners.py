"""Owner assignment by people (`PUT /v1/accounts/{id}/owner`): the owner and its owner_assigned
event, with the actor, in one statement. Routing by the ruleset's `[routing]` writes the same event
in the requalification's statement (graphsvc/qualification/routing.py). `owner_changes` reads both
back for the account's history."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["assign_owner", "history_with_owners", "owner_changes"]

from graphsvc.errors import Conflict, NotFound
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.records import iso


def assign_owner(store: GraphStore, account_id: str, owner: str, actor: str, reason: str | None,
                 now: float) -> dict[str, Any]:
    row = store.account(account_id)
    if row is None:
        raise NotFound(f"no account with id {account_id!r}")
    before = row["account"].get("owner")
    out = {"account_id": account_id, "from": before, "owner": owner, "actor": actor, "reason": reason,
           "at": iso(now), "changed": before != owner, "event_id": None}
    if before == owner:
        return out  # nothing changes: no event
    event = json.dumps({"from": before, "to": owner, "reason": reason, "source": "person"}, sort_keys=True)
    written = store.write("events/assign_owner", id=account_id, owner=owner, now=now, actor=actor, event=event,
                          **{"from": before})
    if not written:
        raise Conflict(f"the owner of account {account_id!r} changed while this assignment was applied; retry",
                       details={"account_id": account_id})
    return {**out, "event_id": int(written[0]["seq"])}


def owner_changes(store: GraphStore, account_id: str) -> list[dict[str, Any]]:
    """The account's owner changes, oldest first: by a person (actor, reason) or by routing (rule)."""
    out = []
    for r in store.read("qualification/owner_history", id=account_id):
        data = json.loads(r["payload"]) if r.get("payload") else {}
        out.append({"type": "owner_changed", "id": f"event-{int(r['seq'])}", "event_id": int(r["seq"]),
                    "at": r["at"], "actor": r["actor"], "from_owner": data.get("from"), "to_owner": r["owner"],
                    "source": data.get("source", "person"), "reason": data.get("reason"), "rule": data.get("rule"),
                    "team": data.get("team"), "strategy": data.get("strategy")})
    return out


def history_with_owners(stages: list[dict[str, Any]], owners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stage changes (`type` stage_changed) and owner changes (`type` owner_changed) in time order; at
    the same moment a stage change comes before the owner routing it triggered."""
    both = [{"type": "stage_changed", **s} for s in stages] + owners
    return sorted(both, key=lambda h: (h["at"], h["type"] == "owner_changed"))
