"""Owner routing in the requalification write path (issue 12): the pure decision per account
(`graphsvc.rules.routing`), the least-loaded counts read from the graph, and each row's `route` for
`qualification/record_outcomes`, which writes the owner and its owner_assigned event in the same
statement as the stage change (and takes round-robin turns there)."""

from __future__ import annotations

from typing import Any

import orjson

from graphsvc.rules import Qualification, RouteAccount, RouteDecision, Ruleset, decide
from graphsvc.store.graph_store import GraphStore

__all__ = ["routes"]


def _payload(d: RouteDecision, owner: str, before: str | None, stage: str, ruleset: str) -> str:
    return orjson.dumps({"from": before, "to": owner, "reason": f"routing rule {d.rule}", "source": "routing",
                         "rule": d.rule, "team": d.team, "strategy": d.strategy, "stage": stage,
                         "ruleset": ruleset}, option=orjson.OPT_SORT_KEYS).decode()


def routes(store: GraphStore, rs: Ruleset, results: list[tuple[Qualification, dict[str, Any]]]) -> list[dict[str, Any] | None]:
    """Per (outcome, snapshot account) the `route` of its row: None when routing does not apply.
    Least-loaded loads are read once per batch and counted up as this batch hands accounts out."""
    if not rs.routing.rules:
        return [None] * len(results)
    moving = [(q, a) for q, a in results if q.changed]
    members = sorted({m for t in rs.routing.teams if t.strategy == "least_loaded" for m in t.members})
    loads: dict[str, int] = {}
    if members and moving:
        loads = {r["owner"]: int(r["open"]) for r in store.read("qualification/owner_loads", owners=members)}
    out: list[dict[str, Any] | None] = []
    for q, a in results:
        if not q.changed:
            out.append(None)
            continue
        account = RouteAccount(id=q.account_id, stage=q.stage, owner=a.get("owner"), country=a.get("country"),
                               segment=a.get("segment"), industry=a.get("industry"), domain=a.get("domain"))
        d = decide(account, rs, loads)
        if d is None:
            out.append(None)
            continue
        candidates = [d.owner] if d.owner is not None else list(d.members)
        if d.strategy == "least_loaded" and d.owner is not None:
            loads[d.owner] = loads.get(d.owner, 0) + 1
        out.append({"from": account.owner, "team": d.team if d.owner is None else None, "members": candidates,
                    "payloads": [_payload(d, m, account.owner, q.stage, rs.version) for m in candidates]})
    return out
