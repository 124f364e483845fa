"""Executor over the official `neo4j` driver (production, clusters, Aura).

Reads go through managed read transactions (routed to readers in a cluster), writes through
managed write transactions; the driver retries transient failures itself. Ad-hoc Cypher runs in a
READ access-mode transaction, which the server enforces: any write is refused by Neo4j itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j
from neo4j import GraphDatabase, Query, RoutingControl
from neo4j import exceptions as nx

from graphsvc.errors import Conflict, QueryTimeout, StoreError, StoreUnavailable
from graphsvc.store.executor import Executor, ReadOnlyResult, Rows, normalise


class Neo4jExecutor(Executor):
    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None) -> None:
        self.uri, self.database = uri, database
        self._driver = GraphDatabase.driver(uri, auth=(user, password))

    def read(self, query: str, params: dict[str, Any]) -> Rows:
        with _mapped_errors():
            records, _, _ = self._driver.execute_query(
                query, params or {}, routing_=RoutingControl.READ, database_=self.database
            )
        return [_record(r) for r in records]

    def write(self, query: str, params: dict[str, Any]) -> Rows:
        def work(tx: neo4j.ManagedTransaction) -> Rows:
            return [_record(r) for r in tx.run(query, params or {})]

        with _mapped_errors(), self._driver.session(database=self.database) as session:
            return session.execute_write(work)

    def read_only(self, query: str, params: dict[str, Any], *, timeout_s: float, row_limit: int) -> ReadOnlyResult:
        def work(tx: neo4j.ManagedTransaction) -> ReadOnlyResult:
            result = tx.run(Query(query, timeout=timeout_s), params or {})
            rows: Rows = []
            for record in result:
                if len(rows) == row_limit:
                    return ReadOnlyResult(rows=rows, truncated=True)
                rows.append(_record(record))
            return ReadOnlyResult(rows=rows, truncated=False)

        with _mapped_errors(), self._driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            return session.execute_read(work)

    def run_schema(self, statements: Sequence[str]) -> int:
        # Schema commands need their own auto-commit transactions on Neo4j (IF NOT EXISTS: idempotent).
        for statement in statements:
            with _mapped_errors():
                self._driver.execute_query(statement, database_=self.database)
        return len(statements)

    def ping(self) -> dict[str, Any]:
        with _mapped_errors():
            info = self._driver.get_server_info()
        return {"engine": "neo4j", "version": info.agent, "address": str(info.address)}

    def close(self) -> None:
        self._driver.close()


class _mapped_errors:
    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            return False
        if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError)):
            raise StoreUnavailable(f"the graph engine (Neo4j) is not answering: {exc}") from exc
        if isinstance(exc, nx.ConstraintError):
            raise Conflict(str(exc.message or exc)) from exc
        if isinstance(exc, nx.Neo4jError):
            code = exc.code or ""
            if "TransactionTimedOut" in code or "Timeout" in code:
                raise QueryTimeout(f"the query ran past its time limit: {exc.message}") from exc
            raise StoreError(f"Neo4j refused the statement: {exc.message or exc}") from exc
        return False


def _record(record: neo4j.Record) -> dict[str, Any]:
    return {k: _value(v) for k, v in record.items()}


def _value(v: Any) -> Any:
    if isinstance(v, neo4j.graph.Node):
        return {"_labels": sorted(v.labels), **normalise(dict(v))}
    if isinstance(v, neo4j.graph.Relationship):
        return {"_type": v.type, **normalise(dict(v))}
    if isinstance(v, neo4j.graph.Path):
        return {"nodes": [_value(n) for n in v.nodes], "relationships": [_value(r) for r in v.relationships]}
    if isinstance(v, dict):
        return {str(k): _value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_value(x) for x in v]
    return normalise(v)
