"""Buying roles an import sets: HubSpot's "Buying Role" column and Salesforce OpportunityContactRole
rows, through the ruleset's `roles.crm_map`, with source `import`.

Roles go through the path sales' role changes take (`IngestRepository.change_roles`, statement
`ingest/change_roles`): the role and its `roles_changed` outbox event are written in one statement,
actor `import`. Only roles a contact does not hold yet (in its employer's buying groups, whatever
the source) are set, so a re-import sets nothing and writes no event, and a role sales confirmed
keeps its source. A role needs the contact's employer (its buying center): a contact without one
is reported and its roles are not set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graphsvc.imports.convert import Converted
from graphsvc.imports.recognise import Part
from graphsvc.ingest.repository import IngestRepository
from graphsvc.ingest.service import group_id
from graphsvc.rules import Ruleset, crm_role
from graphsvc.store.graph_store import GraphStore

ACTOR = "import"


@dataclass
class RoleChanges:
    confirm: list[dict[str, object]] = field(default_factory=list)  # change_roles rows
    no_account: list[str] = field(default_factory=list)  # contacts whose roles need an employer first
    accounts: set[str] = field(default_factory=set)


def plan(store: GraphStore, wanted: Sequence[tuple[str, Sequence[str]]]) -> RoleChanges:
    """What setting `wanted` ((contact id, roles) pairs) changes: the roles not held yet."""
    ids = sorted({cid for cid, roles in wanted if roles})
    held = {r["id"]: r for r in store.read("imports/contact_roles", ids=ids)} if ids else {}
    out, seen = RoleChanges(), set()
    for cid, roles in wanted:
        row = held.get(cid)
        account = row["account_id"] if row else None
        if not account:
            if roles and cid not in out.no_account:
                out.no_account.append(cid)
            continue
        for role in roles:
            if role in (row or {}).get("roles", ()) or (cid, role) in seen:
                continue
            seen.add((cid, role))
            out.accounts.add(account)
            out.confirm.append({"contact_id": cid, "account_id": account, "group_id": group_id(account, None),
                                "group_name": "default", "role": role, "source": "import", "confidence": 1.0})
    return out


def write(store: GraphStore, changes: RoleChanges, now: float) -> int:
    """Set the planned roles with their roles_changed events (one statement); the events written."""
    if not changes.confirm:
        return 0
    return IngestRepository(store).change_roles(remove=[], confirm=changes.confirm, now=now, actor=ACTOR)


class RoleRowConverter:
    """A Salesforce OpportunityContactRole row (`Id`, `ContactId`, `OpportunityId`, `Role`,
    `IsPrimary`) -> {"id": contact id, "roles": [0 or 1 role]}. A label the ruleset's table does not
    know is a problem of the row (never guessed); a label that says nothing (Other) is a note."""

    def __init__(self, part: Part, header: list[str], ruleset: Ruleset) -> None:
        self.part, self.ruleset = part, ruleset
        self.defaults: dict[str, Any] = {}
        self.column_of = {name: header[i] if i < len(header) else f"column {i + 1}"
                          for name, i in part.columns.items()}

    def _cell(self, cells: list[str], name: str) -> str:
        col = self.part.columns.get(name)
        value = cells[col].strip() if col is not None and col < len(cells) else ""
        return value[1:] if name in ("contact_id", "opportunity_id") and value.startswith("@") else value

    def _problem(self, name: str, message: str) -> dict[str, Any]:
        return {"field": name, "column": self.column_of.get(name, name), "message": message}

    def convert(self, cells: list[str]) -> Converted:
        contact, label = self._cell(cells, "contact_id"), self._cell(cells, "role")
        problems = [self._problem(n, "Field required") for n, v in (("contact_id", contact), ("role", label)) if not v]
        notes: list[dict[str, Any]] = []
        role = None
        if label:
            known, role = crm_role(label, self.ruleset)
            if not known:
                problems.append(self._problem("role", f"{label!r} is not a known buying role: add it to the "
                                                      "ruleset's [roles.crm_map] to import it (never guessed)"))
            elif role is None:
                notes.append(self._problem("role", f"{label!r} says nothing about the buying role: nothing set"))
        if problems:
            return Converted(None, problems, notes, partial={"id": contact} if contact else {})
        record = {"id": contact, "roles": [role] if role else []}
        return Converted(record, [], notes, partial=record)
