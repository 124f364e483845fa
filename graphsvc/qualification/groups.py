"""Buying groups per initiative (issue 15): create one, list an account's groups with each one's
members and SQL gate as the engine sees it now."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

from graphsvc.errors import NotFound
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import GroupInfo, evaluate
from graphsvc.store.graph_store import GraphStore

__all__ = ["create_group", "list_groups"]


def group_id(account_id: str, name: str) -> str:
    """`<account>:<slug>`: the id ingest gives the group a role's `buying_group` names
    (graphsvc/ingest/service.py `group_id`; qualification may not import ingest), so roles given
    later with this name land in this group."""
    return f"{account_id}:{re.sub(r'[^a-z0-9]+', '_', name.strip().lower()).strip('_') or 'default'}"


def create_group(store: GraphStore, account_id: str, name: str, kind: str | None, actor: str,
                 now: float) -> dict[str, Any]:
    """Create the group (or set its kind); 404 for an unknown account."""
    done = store.write("qualification/group_create", account_id=account_id, group_id=group_id(account_id, name),
                       group_name=name, kind=kind, actor=actor, now=now, batch=uuid.uuid4().hex)
    if not done:
        raise NotFound(f"no account with id {account_id!r}")
    return done[0]


def list_groups(qualifier: QualificationService, account_id: str, now: float) -> dict[str, Any]:
    """Every group of the account (`default` first) with its kind, members and, from the engine at
    `now`, its required and missing roles and whether its SQL gate passes; `qualified_group` is the
    group the account's SQL went by (null when none qualifies)."""
    _, _, snap = qualifier.evaluate_at(account_id, now, now)  # 404 for an unknown account
    rows = qualifier.store.read("qualification/groups_of", id=account_id)
    known = {g.name for g in snap.groups}  # the groups roles are held in; a group with no member yet too:
    snap = replace(snap, groups=(*snap.groups, *(GroupInfo(r["name"], r["kind"]) for r in rows if r["name"] not in known)))
    q = evaluate(snap, qualifier.ruleset, now)
    gates = {g.name: g for g in q.groups}
    out = []
    for row in rows:
        g = gates.get(row["name"])
        out.append({**row, "members": sorted((m for m in row["members"] if m), key=lambda m: (m["contact_id"], m["role"])),
                    "sql_passed": g.passed if g else False,
                    "required": list(g.required) if g else [], "missing": list(g.missing) if g else [],
                    "failing": [c.name for c in g.sql.checks if not c.passed] if g else []})
    out.sort(key=lambda r: (r["name"] != "default", r["name"]))
    return {"account_id": account_id, "stage": q.stage, "qualified_group": q.qualified_group, "groups": out}
