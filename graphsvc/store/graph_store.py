"""GraphStore: the plumbing between the services and an Executor: named Cypher statements run as
one transaction each, the analysts' read-only lane, the schema, and the few lookups of stored
entities that several services share.

One implementation for both engines. The statements a feature owns are called by that feature's
repository or service (`graphsvc.ingest.repository`, `graphsvc.qualification`), never by a route.
Methods take and return plain dicts; turning rows into API models is `graphsvc.store.records`' job.
"""

from __future__ import annotations

import time
from typing import Any

from graphsvc.store import engine_time, queries
from graphsvc.store.executor import DEFAULT_BYTE_LIMIT, Executor, ReadOnlyResult, Rows
from graphsvc.store.lane import Lane

__all__ = ["GraphStore"]


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
        started = time.perf_counter()
        try:
            return self.executor.read(q.text, q.bind(params), plain=q.plain)
        finally:
            engine_time.add(time.perf_counter() - started)

    def read_one(self, name: str, **params: Any) -> dict[str, Any] | None:
        rows = self.read(name, **params)
        return rows[0] if rows else None

    def write(self, name: str, **params: Any) -> Rows:
        """Run one named write statement: one transaction on either engine."""
        q = queries.get(name)
        started = time.perf_counter()
        try:
            return self.executor.write(q.text, q.bind(params))
        finally:
            engine_time.add(time.perf_counter() - started)

    def read_only(self, text: str, params: dict[str, Any], *, timeout_s: float, row_limit: int) -> ReadOnlyResult:
        """Analysts' Cypher (their own and the library's), in an engine-enforced read-only
        transaction, through the analysts' lane: `timeout_s` covers the wait for a place too."""
        with self.analysts.enter(timeout_s) as left:
            started = time.perf_counter()
            try:
                return self.executor.read_only(text, params, timeout_s=left, row_limit=row_limit,
                                               byte_limit=self.result_byte_limit)
            finally:
                engine_time.add(time.perf_counter() - started)

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

    # -- lookups of stored entities that several services share ------------------------------
    def account(self, account_id: str) -> dict[str, Any] | None:
        return self.read_one("read/account", id=account_id)

    def contact(self, contact_id: str) -> dict[str, Any] | None:
        return self.read_one("read/contact", id=contact_id)

    def counts(self) -> dict[str, int]:
        row = self.read_one("read/counts")
        assert row is not None  # an aggregation: always one row
        return {k: int(v) for k, v in row.items()}
