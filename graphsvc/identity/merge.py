"""Merging duplicate contacts or accounts into a survivor, as one statement each (see
cypher/identity/merge_contacts.cypher and merge_accounts.cypher for what moves).

The request is checked whole first: every problem is reported at once (422 naming the field) and
nothing is written. A merged id that is already an alias of the survivor counts as merged (a retried
merge answers the same and changes nothing); one merged into another record is a 409.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from graphsvc.errors import Conflict, InvalidInput, NotFound
from graphsvc.identity.repository import IdentityRepository
from graphsvc.store.graph_store import GraphStore

__all__ = ["Kind", "MergeService", "parent_after_merge"]

Kind = Literal["contact", "account"]


class MergeService:
    def __init__(self, store: GraphStore) -> None:
        self.repo = IdentityRepository(store)

    def merge(self, kind: Kind, survivor: str, merged: Sequence[str], *, actor: str, reason: str | None,
              now: float) -> dict[str, Any]:
        """Merge `merged` into `survivor`; {survivor, merged, already_merged, accounts, parent_id...}.
        `accounts`: the accounts the caller requalifies."""
        problems = []
        seen: set[str] = set()
        for i, mid in enumerate(merged):
            if mid == survivor:
                problems.append({"field": f"merged[{i}]", "message": "the survivor cannot be merged into itself"})
            elif mid in seen:
                problems.append({"field": f"merged[{i}]", "message": f"{mid!r} is listed twice"})
            seen.add(mid)
        if not merged:
            problems.append({"field": "merged", "message": "name at least one record to merge"})
        if problems:
            raise InvalidInput(f"invalid {kind} merge; nothing was changed", details=problems)
        existing = self.repo.existing(kind, [survivor, *merged])
        if survivor not in existing:
            moved = self.repo.aliases(kind, [survivor]).get(survivor)
            hint = f": it was merged into {moved!r}, merge into that one" if moved else ""
            raise NotFound(f"no {kind} with id {survivor!r}{hint}")
        aliases = self.repo.aliases(kind, [m for m in merged if m not in existing])
        already, elsewhere = [], []
        for i, mid in enumerate(merged):
            if mid in existing:
                continue
            target = aliases.get(mid)
            if target == survivor:
                already.append(mid)
            elif target is not None:
                elsewhere.append({"field": f"merged[{i}]", "message": f"{mid!r} was already merged into {target!r}"})
            else:
                problems.append({"field": f"merged[{i}]", "message": f"unknown {kind} {mid!r}"})
        if problems:
            raise InvalidInput(f"invalid {kind} merge; nothing was changed", details=problems)
        if elsewhere:
            raise Conflict(f"some {kind}s were already merged into another record; nothing was changed",
                           details=elsewhere)
        todo = [m for m in merged if m in existing]
        out: dict[str, Any] = {"survivor": survivor, "merged": [], "already_merged": sorted(already),
                               "merge_id": None, "accounts": []}
        if kind == "account":
            parent, dropped = parent_after_merge(survivor, todo, self.repo.stored_parents([survivor, *todo]))
            out.update(parent_id=parent, parent_dropped=dropped)
        if todo:
            done = self.repo.merge(kind, survivor, todo, actor=actor, reason=reason, now=now,
                                   parent_id=out.get("parent_id"))
            out.update(merged=done["merged"], merge_id=done["merge_id"], accounts=done["accounts"])
        return out

    def merges(self, kind: Kind, survivor: str) -> list[dict[str, Any]]:
        if not self.repo.existing(kind, [survivor]):
            raise NotFound(f"no {kind} with id {survivor!r}")
        return self.repo.merges(kind, survivor)


def parent_after_merge(survivor: str, merged: Sequence[str], parents: dict[str, str | None]
                       ) -> tuple[str | None, str | None]:
    """The survivor's parent after the merge, and a parent dropped because it would close a loop.

    Its own parent stays; without one (or when it was one of the merged accounts) it takes the first
    merged account's parent. After the merge every merged id stands for the survivor, so a chain
    that comes back to any of them would come back to the survivor: such a parent is dropped."""
    gone = {survivor, *merged}
    candidates = [parents.get(survivor), *(parents.get(m) for m in merged)]
    parent = next((p for p in candidates if p is not None and p not in gone), None)
    node, seen = parent, set()
    while node is not None and node not in seen:
        if node in gone:
            return None, parent
        seen.add(node)
        node = parents.get(node)
    return parent, None
