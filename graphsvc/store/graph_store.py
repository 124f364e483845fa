"""GraphStore: every read and write of the service, as named Cypher statements over an Executor.

There is one implementation for both engines. Methods take and return plain dicts; turning rows
into API models is `graphsvc.store.records`' job.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from graphsvc.store import queries
from graphsvc.store.executor import DEFAULT_BYTE_LIMIT, Executor, ReadOnlyResult, Rows
from graphsvc.store.lane import Lane


class GraphStore:
    def __init__(self, executor: Executor, *, analyst_concurrency: int = 1) -> None:
        self.executor = executor
        self.analysts = Lane(analyst_concurrency)
        self.result_byte_limit = DEFAULT_BYTE_LIMIT  # bytes an analyst's answer may hold (set from settings)

    @property
    def dialect(self) -> str:
        return self.executor.dialect

    # -- plumbing ---------------------------------------------------------------------------------
    def read(self, name: str, **params: Any) -> Rows:
        q = queries.get(name)
        return self.executor.read(q.text, q.bind(params))

    def read_one(self, name: str, **params: Any) -> dict[str, Any] | None:
        rows = self.read(name, **params)
        return rows[0] if rows else None

    def write(self, name: str, **params: Any) -> Rows:
        """Run one named write statement: one transaction on either engine."""
        q = queries.get(name)
        return self.executor.write(q.text, q.bind(params))

    def read_only(self, text: str, params: dict[str, Any], *, timeout_s: float, row_limit: int) -> ReadOnlyResult:
        """Analysts' Cypher (their own and the library's), in an engine-enforced read-only
        transaction, through the analysts' lane: `timeout_s` covers the wait for a place too."""
        with self.analysts.enter(timeout_s) as left:
            return self.executor.read_only(text, params, timeout_s=left, row_limit=row_limit,
                                           byte_limit=self.result_byte_limit)

    def apply_schema(self) -> int:
        """Indexes (and constraints on Neo4j), idempotently: the one per-dialect file."""
        return self.executor.run_schema(queries.get(f"schema/{self.dialect}").statements())

    def ping(self) -> dict[str, Any]:
        return self.executor.ping()

    def delete_all(self, batch: int = 10_000) -> int:
        """Empty the graph (schema stays), `batch` nodes per transaction; return nodes removed."""
        total = 0
        while True:
            deleted = self.write("admin/delete_all", batch=batch)[0]["deleted"]
            total += deleted
            if deleted == 0:
                return total

    def close(self) -> None:
        self.executor.close()

    # -- ingest -----------------------------------------------------------------------------------
    def upsert_accounts(self, rows: Sequence[dict[str, Any]], parents: Sequence[dict[str, Any]], now: float) -> dict[str, int]:
        r = self.write("ingest/upsert_accounts", rows=list(rows), parents=list(parents), now=now, batch=_token())[0]
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
        r = self.write("ingest/upsert_contacts", rows=list(rows), managers=list(managers), roles=list(roles),
                       now=now, batch=_token(), existing=sorted(existing))[0]
        return {"created": r["created"], "updated": r["total"] - r["created"]}

    def upsert_leads(self, leads: Sequence[dict[str, Any]], new_contacts: Sequence[dict[str, Any]], now: float) -> None:
        self.write("ingest/upsert_leads", rows=list(leads), contacts=list(new_contacts), now=now, batch=_token())

    def create_activities(self, rows: Sequence[dict[str, Any]], batch: str, now: float) -> dict[str, Any]:
        result = self.write("ingest/create_activities", rows=list(rows), batch=batch, now=now)
        row = result[0] if result else {"new": 0, "duplicate": 0, "accounts": []}
        return {"new": row["new"] or 0, "duplicate": row["duplicate"] or 0, "accounts": sorted(row["accounts"] or [])}

    def change_roles(self, remove: Sequence[dict[str, Any]], confirm: Sequence[dict[str, Any]], now: float) -> None:
        """Remove, then set, buying roles: one transaction."""
        self.write("ingest/change_roles", remove=list(remove), confirm=list(confirm), now=now, batch=_token())

    # -- lookups ----------------------------------------------------------------------------------
    def account(self, account_id: str) -> dict[str, Any] | None:
        return self.read_one("read/account", id=account_id)

    def contact(self, contact_id: str) -> dict[str, Any] | None:
        return self.read_one("read/contact", id=contact_id)

    def existing_ids(self, accounts: Sequence[str] = (), contacts: Sequence[str] = ()) -> tuple[set[str], set[str]]:
        row = self.read_one("read/existing_ids", accounts=sorted(set(accounts)), contacts=sorted(set(contacts)))
        assert row is not None  # an aggregation: always one row
        return set(row["accounts"]), set(row["contacts"])

    def contact_accounts(self, contact_ids: Sequence[str]) -> dict[str, str | None]:
        """Existing contacts among `contact_ids` -> their current account (or None)."""
        rows = self.read("read/contact_accounts", ids=sorted(set(contact_ids)))
        return {r["id"]: r["account_id"] for r in rows}

    def accounts_by_domains(self, domains: Sequence[str]) -> dict[str, str]:
        """domain -> account id (the lowest id when several accounts share a domain). An account's
        main domain first; an additional domain (`domains`) only for what no main domain matched."""
        out: dict[str, str] = {}
        for r in self.read("read/accounts_by_domains", domains=sorted(set(domains))):
            out.setdefault(r["domain"], r["id"])
        rest = sorted(set(domains) - set(out))
        if rest:
            for r in self.read("read/accounts_by_additional_domains", domains=rest):
                out.setdefault(r["domain"], r["id"])
        return out

    def contacts_by_emails(self, emails: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in self.read("read/contacts_by_emails", emails=sorted(set(emails))):
            out.setdefault(r["email"], r)
        return out

    def counts(self) -> dict[str, int]:
        row = self.read_one("read/counts")
        assert row is not None  # an aggregation: always one row
        return {k: int(v) for k, v in row.items()}

    def pending_requalification(self, after: str = "", limit: int = 500) -> list[str]:
        """Accounts a write marked for requalification that has not run yet, in id order."""
        return [r["id"] for r in self.read("qualification/pending_accounts", after=after, limit=limit)]



def _token() -> str:
    return uuid.uuid4().hex
