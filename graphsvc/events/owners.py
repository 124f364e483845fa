"""Owner assignment by people (`PUT /v1/accounts/{id}/owner`): the owner and its owner_assigned
event, with the actor, in one statement. Routing rules (territory, round robin ...) are not built yet."""

from __future__ import annotations

import json
from typing import Any

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
