"""Executor over the official `neo4j` driver (production, clusters, Aura).

Writes go through `driver.execute_query` (managed transactions, the driver's own retries of
transient failures): a write whose connection drops at its end may have committed, which a managed
transaction reports as such (IncompleteCommit, never retried) and an auto-commit one cannot tell
from a failure, and not every write is idempotent (history, events). Reads run first as one auto-commit transaction in READ access mode, RUN and
PULL in one round trip, where a managed transaction adds BEGIN and a COMMIT round trip: a third less
client CPU and a quarter less time per read (docs/benchmarks.md, "Neo4j reads in one round trip");
a read that fails in a way the driver would retry is run again through `execute_query`, which
retries it (a read is safe to run twice). Both share the driver's bookmark manager: a read sees
every write this service made before it, on a cluster too. Ad-hoc Cypher runs in a READ access-mode
transaction with a server-side timeout; the server refuses any write in it.
Failures are told apart by their GQL/Neo4j status codes, never by message text.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Literal

import neo4j
from neo4j import GraphDatabase, RoutingControl, spatial
from neo4j import exceptions as nx
from neo4j import time as ntime

from graphsvc.errors import (
    Conflict,
    InvalidQuery,
    QueryTimeout,
    ResultTooLarge,
    StoreError,
    StoreUnavailable,
    WriteRefused,
)
from graphsvc.store.executor import (
    DEFAULT_BYTE_LIMIT,
    Executor,
    ReadOnlyResult,
    ResultBudget,
    Rows,
    normalise,
    normalise_float,
)

__all__ = ["Neo4jExecutor"]

# A transaction stopped by its timeout or terminated (by an admin or the memory guard).
_TIMEOUT_CODES = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    "Neo.TransientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.Terminated",
    "Neo.TransientError.Transaction.Terminated",
    "Neo.ClientError.Transaction.LockClientStopped",
    "Neo.TransientError.Transaction.LockClientStopped",
)
# A write, schema or admin command inside a READ transaction.
_WRITE_REFUSED_CODES = ("Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Security.Forbidden")
_MEMORY_CODES = ("Neo.TransientError.General.MemoryPoolOutOfMemoryError",
                 "Neo.TransientError.General.TransactionMemoryLimit",
                 "Neo.TransientError.General.OutOfMemoryError")


class Neo4jExecutor(Executor):
    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, *,
                 connection_timeout_s: float = 5.0, retry_time_s: float = 10.0) -> None:
        self.uri, self.database = uri, database
        self._twin = partial(Neo4jExecutor, uri, user, password, database, connection_timeout_s=connection_timeout_s,
                             retry_time_s=retry_time_s)
        self._driver = GraphDatabase.driver(
            uri,
            auth=(user, password),
            # Fail fast when the server is gone: the API answers 503 and the client retries.
            connection_timeout=connection_timeout_s,
            connection_acquisition_timeout=connection_timeout_s + retry_time_s,
            max_transaction_retry_time=retry_time_s,
            # Portability notices (e.g. deprecations) are the linter's job, not a log line per query.
            notifications_min_severity="OFF",
        )

    def twin(self) -> Callable[[], Executor]:
        return self._twin

    def read(self, query: str, params: dict[str, Any], *, plain: bool = False) -> Rows:
        with _mapped_errors():
            records = self._read_records(query, params or {})
        if plain:  # strings, numbers, booleans, nulls and lists of them: the driver's values as they are
            return [dict(zip(r.keys(), r.values())) for r in records]
        return [_record(r) for r in records]

    def _read_records(self, query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                      bookmark_manager=self._driver.execute_query_bookmark_manager) as session:
                return list(session.run(query, params))
        except (nx.Neo4jError, nx.DriverError) as exc:
            # The driver never retries an auto-commit transaction; what it would retry in a managed
            # one (a connection lost mid-read, a leader switch, a transient error) goes
            # to execute_query, whose retries last up to max_transaction_retry_time.
            if not exc.is_retryable():
                raise
        records, _, _ = self._driver.execute_query(query, params, routing_=RoutingControl.READ, database_=self.database)
        return records

    def write(self, query: str, params: dict[str, Any]) -> Rows:
        with _mapped_errors():
            records, _, _ = self._driver.execute_query(
                query, params or {}, routing_=RoutingControl.WRITE, database_=self.database
            )
        return [_record(r) for r in records]

    def read_only(self, query: str, params: dict[str, Any], *, timeout_s: float, row_limit: int,
                  byte_limit: int = DEFAULT_BYTE_LIMIT) -> ReadOnlyResult:
        # An explicit transaction, not a managed one: an analyst's query is never retried by the
        # driver (a result that broke the connection once, e.g. a 700 MB row, would break it again,
        # three times over). Leaving the block without commit rolls the transaction back.
        with _mapped_errors(adhoc=True), self._driver.session(
            database=self.database,
            default_access_mode=neo4j.READ_ACCESS,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            fetch_size=min(max(row_limit + 1, 1), 1000),
        ) as session, session.begin_transaction(timeout=timeout_s) as tx:
            budget = ResultBudget(row_limit, byte_limit)
            # Records stream in fetch-size batches: stop at the budget instead of loading them all.
            for record in tx.run(query, params or {}):
                if not budget.take(_record(record)):
                    return budget.result(truncated=True)
            return budget.result(truncated=False)

    def run_schema(self, statements: Sequence[str]) -> int:
        # Schema commands need their own auto-commit transactions on Neo4j (IF NOT EXISTS: idempotent).
        for statement in statements:
            with _mapped_errors():
                self._driver.execute_query(statement, database_=self.database)
        return len(statements)

    def ping(self) -> dict[str, Any]:
        with _mapped_errors():
            # A round trip, not only the pool's cached server info: an idle pooled connection to a
            # server that stopped answering still "has" its info (seen: /health 200 with Neo4j stopped).
            _, summary, _ = self._driver.execute_query("RETURN 1 AS ok", routing_=RoutingControl.READ,
                                                       database_=self.database)
        info = summary.server
        return {"engine": "neo4j", "version": info.agent, "address": str(info.address)}

    def close(self) -> None:
        self._driver.close()


class _mapped_errors:
    """The driver's failures as the project's errors. `adhoc`: the Cypher is the caller's, so a
    statement error is the caller's (400), not ours (500)."""

    def __init__(self, adhoc: bool = False) -> None:
        self.adhoc = adhoc

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        if exc is None:
            return False
        if isinstance(exc, nx.AuthError):
            raise StoreUnavailable(f"Neo4j refused the service's credentials: {exc.message or exc}") from exc
        if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, nx.IncompleteCommit, OSError)):
            # IncompleteCommit: the commit may or may not have happened; ingest is idempotent by id,
            # so the client's retry is safe.
            raise StoreUnavailable(f"the graph engine (Neo4j) is not answering: {exc}") from exc
        if isinstance(exc, nx.Neo4jError):
            code = exc.code or ""
            message = exc.message or str(exc)
            if code in _TIMEOUT_CODES:
                raise QueryTimeout(f"the query ran past its time limit and was stopped: {message}") from exc
            if code in _WRITE_REFUSED_CODES:
                raise WriteRefused(f"this endpoint is read-only: Neo4j refused the statement ({message})") from exc
            if isinstance(exc, nx.ConstraintError):
                raise Conflict(message) from exc
            if code in _MEMORY_CODES:
                if self.adhoc:
                    raise ResultTooLarge(f"the query needed more memory than a query may use: {message}") from exc
                raise StoreUnavailable(f"Neo4j is short of memory for this statement, retry: {message}") from exc
            if isinstance(exc, nx.TransientError):
                raise StoreUnavailable(f"Neo4j could not run the statement now, retry: {message}") from exc
            if self.adhoc and isinstance(exc, nx.ClientError):
                raise InvalidQuery(f"Neo4j cannot run this query: {message}") from exc
            raise StoreError(f"Neo4j refused the statement: {message}") from exc
        if isinstance(exc, nx.DriverError):  # e.g. a parameter the driver cannot send
            if self.adhoc:
                raise InvalidQuery(f"the query's parameters cannot be sent to Neo4j: {exc}") from exc
            raise StoreError(f"the Neo4j driver refused the statement: {exc}") from exc
        return False


def _record(record: neo4j.Record) -> dict[str, Any]:
    return {k: _value(v) for k, v in zip(record.keys(), record.values())}


def _value(v: Any) -> Any:
    """Plain JSON-able values: entities as property maps, temporal values as ISO-8601 text,
    points as {srid, x, y[, z]}, bytes as base64. Strings, integers and floats, in lists too, are
    decoded first and inline, without the isinstance chain: snapshot rows carry long lists of them
    and this walk was a fifth of a Neo4j requalification's client CPU (docs/benchmarks.md, "Scale")."""
    t = type(v)
    if t is str or t is int or t is bool or v is None:
        return v
    if t is float:
        return normalise_float(v)
    if t is list:
        return [x if (tx := type(x)) is str or tx is int else normalise_float(x) if tx is float else _value(x)
                for x in v]
    if isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, dict):
        return {str(k): _value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, neo4j.graph.Node):
        return {"_labels": sorted(v.labels), **_value(dict(v))}
    if isinstance(v, neo4j.graph.Relationship):
        return {"_type": v.type, **_value(dict(v))}
    if isinstance(v, neo4j.graph.Path):
        return {"nodes": [_value(n) for n in v.nodes], "relationships": [_value(r) for r in v.relationships]}
    if isinstance(v, (ntime.DateTime, ntime.Date, ntime.Time, ntime.Duration)):
        return v.iso_format()
    if isinstance(v, spatial.Point):
        point = {"srid": v.srid, "x": v[0], "y": v[1]}
        if len(v) > 2:
            point["z"] = v[2]
        return point
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode("ascii")
    if isinstance(v, tuple):  # after Duration and Point, which are tuples too
        return [_value(x) for x in v]
    return normalise(v)
