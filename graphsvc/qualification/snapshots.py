"""A store row -> the rules engine's input: the qualification service builds what it evaluates.

Two sources give rows `{account, contacts}` that `account_snapshot` turns into the engine's input:
`qualification/snapshots_history` (one statement replaying every activity, any as_of; contacts as
`{contact, reports_to, roles, stats}` maps) and, at as_of >= now, the three reads joined here by
`join_current` (accounts; contacts, as one list per contact, with their kept engagement aggregates
and manager; roles), whose contacts are built `ContactSnapshot`s. Joining in Python is cheaper
than the nested `collect`s of maps of one statement: building, sending and decoding nested maps was
most of the cost of a requalification, not the traversals (docs/benchmarks.md, "Scale").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphsvc.rules import (
    INITIAL_STAGE,
    AccountSnapshot,
    ActivityStat,
    BantEntry,
    ContactSnapshot,
    GroupInfo,
    RoleAssignment,
)

__all__ = ["account_snapshot", "join_current", "split_current"]

PROFILE = ("id", "email", "first_name", "last_name", "title", "seniority", "department", "status")
# One contact's list in `snapshot_contacts` (its `contacts` column), in this order.
CONTACT_FIELDS = (*PROFILE, "types", "counts", "lasts", "weights", "half_life_s", "reports_to")
_TYPES, _COUNTS, _LASTS, _WEIGHTS, _HALF_LIFE, _REPORTS_TO = range(len(PROFILE), len(CONTACT_FIELDS))
_ROLE_COLUMNS = ("role", "source", "confidence", "buying_group", "group_kind", "at")  # snapshot_roles'


def split_current(rows: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """`snapshot_current`'s rows -> the rows of the three reads it stands for (snapshot_accounts,
    snapshot_contacts, snapshot_roles), for `join_current`: one join for both ways of reading."""
    accounts: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    for r in rows:
        accounts.append({"account": r["account"], "ready": r["ready"]})
        contacts.append({"account_id": r["account"]["id"], "contacts": [c[:-1] for c in r["contacts"]]})
        roles.extend({"contact_id": c[0], **dict(zip(_ROLE_COLUMNS, role))} for c in r["contacts"] for role in c[-1])
    return accounts, contacts, roles


def join_current(
    accounts: Iterable[dict[str, Any]],
    contacts: Iterable[dict[str, Any]],
    roles: Iterable[dict[str, Any]],
    *,
    as_of: float,
    half_life_s: float,
) -> list[dict[str, Any]]:
    """Rows of `snapshot_accounts`, `snapshot_contacts` (one row per account, a list per contact in
    CONTACT_FIELDS order) and `snapshot_roles` -> snapshot rows with `exact`: whether the kept
    aggregates give the from-history answer at `as_of`. They do when the index was fully built for
    this half-life (`ready`) and every contact's aggregates were kept for it and hold nothing later
    than `as_of` (ingest accepts activities a few minutes in the future). A contact with no
    aggregates has had no activity since the build. Each weight, kept at its newest time `last`, is
    rescaled to `as_of`: W * 0.5 ** ((as_of - last) / half_life_s).

    The history shape, but for `contacts`: built `ContactSnapshot`s here (with the buying groups
    their roles name under `groups`), not `{contact, reports_to, roles, stats}` maps that
    `account_snapshot` would turn into the same objects: a full pass at 100k accounts builds a
    million of them, and the maps were a third of the Python that joins and builds."""
    by_contact: dict[str, list[dict[str, Any]]] = {}
    for r in roles:
        by_contact.setdefault(r["contact_id"], []).append(r)
    rows: dict[str, dict[str, Any]] = {}
    for a in accounts:
        rows[a["account"]["id"]] = {"account": a["account"], "contacts": [], "exact": a["ready"], "groups": {}}
    for group in contacts:
        row = rows.get(group["account_id"])
        if row is None:  # the account went away between the reads: it is not in this answer
            continue
        out, kinds = row["contacts"], row["groups"]
        for c in group["contacts"]:
            types, lasts = c[_TYPES], c[_LASTS] or ()
            if types is not None and (c[_HALF_LIFE] != half_life_s or any(t > as_of for t in lasts)):
                row["exact"] = False
            held = by_contact.get(c[0])
            if held:
                for r in held:
                    name = r["buying_group"] or "default"
                    if kinds.get(name) is None:
                        kinds[name] = r["group_kind"]
            out.append(ContactSnapshot(
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[_REPORTS_TO],
                _roles(held) if held else (),
                tuple(ActivityStat(t, int(n), float(last), float(w * 0.5 ** ((as_of - last) / half_life_s)))
                      for t, n, last, w in sorted(zip(types, c[_COUNTS] or (), lasts, c[_WEIGHTS] or ()))) if types else (),
            ))
    for row in rows.values():
        row["groups"] = tuple(GroupInfo(n, k) for n, k in sorted(row["groups"].items()))
    return list(rows.values())


def account_snapshot(row: dict[str, Any]) -> AccountSnapshot:
    """A snapshot row (`join_current` or `snapshots_history`) -> rules AccountSnapshot
    (engagement as per-type stats)."""
    a = row["account"]
    if "groups" in row:  # join_current's: built already
        contacts = sorted(row["contacts"], key=_by_id)
        groups = row["groups"]
    else:
        contacts = [_contact(c) for c in sorted(row.get("contacts") or [], key=lambda c: c["contact"]["id"])]
        groups = _groups(row.get("contacts") or [])
    return AccountSnapshot(
        id=a["id"], name=a.get("name"), domain=a.get("domain"), industry=a.get("industry"),
        employees=a.get("employees"), annual_revenue=a.get("annual_revenue"), country=a.get("country"),
        segment=a.get("segment"), stage=a.get("stage") or INITIAL_STAGE, stage_since=a.get("stage_since"),
        qualified_at=a.get("qualified_at"), qualified_until=a.get("qualified_until"),
        qualified_by=a.get("ruleset"), contacts=tuple(contacts),
        inherited=tuple(_contact(c) for c in sorted(row.get("inherited") or [],
                                                      key=lambda c: (c["account_id"], c["contact"]["id"]))),
        groups=groups,
        rolled_up=tuple(_contact(c) for c in row.get("rolled_up") or ()),
        bant=tuple(BantEntry(group=b["group"], field=b["field"], met=b["met"], by=b["by"] or "", at=float(b["at"]),
                             note=b["note"] or "") for b in row.get("bant") or ()),
    )


def _groups(contacts: list[dict[str, Any]]) -> tuple[GroupInfo, ...]:
    """The buying groups the account's contacts hold roles in, with their kinds (issue 15)."""
    kinds: dict[str, str | None] = {}
    for c in contacts:
        for r in c.get("roles") or ():
            name = r.get("buying_group") or "default"
            if kinds.get(name) is None:
                kinds[name] = r.get("group_kind")
    return tuple(GroupInfo(n, k) for n, k in sorted(kinds.items()))


def _by_id(c: ContactSnapshot) -> str:
    return c.id


def _roles(roles: list[dict[str, Any]]) -> tuple[RoleAssignment, ...]:
    return tuple(
        RoleAssignment(r["role"], r.get("source") or "import",
                       float(r["confidence"] if r.get("confidence") is not None else 1.0),
                       r.get("buying_group") or "default", r.get("at"))
        for r in sorted(roles, key=lambda r: (r["role"], r.get("buying_group") or ""))
    )


def _contact(c: dict[str, Any]) -> ContactSnapshot:
    # Positional arguments, and no sort of an empty role list: a full pass builds a million of these.
    p = c["contact"]
    roles = c.get("roles")
    stats = c.get("stats")
    return ContactSnapshot(
        p["id"], p.get("email"), p.get("first_name"), p.get("last_name"), p.get("title"), p.get("seniority"),
        p.get("department"), p.get("status"), c.get("reports_to"),
        _roles(roles) if roles else (),
        tuple(
            ActivityStat(t, int(n), float(last), float(w)) for t, n, last, w in sorted(zip(*stats))
        ) if stats and stats[0] else (),
        c.get("account_id"), c.get("account_name"),
    )
