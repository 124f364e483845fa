"""Executor over the `falkordb` client (embedded default, external FalkorDB, tests).

FalkorDB runs each GRAPH.QUERY atomically and rolls it back on a runtime error, and appends it to
the AOF as one command: after a crash a write is there whole or not at all. (Graph queries inside
Redis MULTI/EXEC are NOT an option: FalkorDB 4.16 aborts replaying such a block from the AOF.)

BUSY: before every fork (an append-only-file rewrite, automatic or ours) FalkorDB synchronises each
graph's matrices on the server's main thread and, once that has taken longer than Redis's
`busy-reply-threshold` (5 s), lets Redis answer other clients meanwhile: every command without the
`allow-busy` flag (GRAPH.QUERY, GRAPH.RO_QUERY, PING, INFO) gets `BUSY preparing to fork`. Redis
refuses such a command before running it (processCommand), so a statement that got BUSY did nothing,
writes included: it is retried for up to `busy_retry_s`, then answered as 503 (StoreUnavailable).
The 100k graph's log: 7.7 s of preparation for the first rewrite after a long replay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Literal, TypeVar
from urllib.parse import urlparse

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as GraphPath
from falkordb.query_result import QueryResult, parse_scalar

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

__all__ = ["BUSY_RETRY_S", "FalkorDBExecutor", "is_busy"]

log = logging.getLogger("graphsvc.falkordb")
T = TypeVar("T")
# How long a statement that got BUSY is retried before it is a 503. Counted from the first try, which
# itself waits out the first 5 s of the preparation (busy-reply-threshold) before its BUSY comes: at
# 5.0 a full pass at 100k failed on a 5.9-s preparation, and a load on a 6.5-s one (docs/benchmarks.md).
BUSY_RETRY_S = 15.0

_WRITE_REFUSED = ("read-only", "read only", "not allowed in read")
_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, ConnectionError, OSError)


class FalkorDBExecutor(Executor):
    dialect = "falkordb"

    def __init__(self, host: str, port: int, graph: str = "graphsvc", *, password: str | None = None,
                 socket_timeout_s: float = 60.0, busy_retry_s: float = BUSY_RETRY_S) -> None:
        self.host, self.port, self.graph_name = host, port, graph
        self.busy_retry_s = busy_retry_s
        self._twin = partial(FalkorDBExecutor, host, port, graph, password=password, socket_timeout_s=socket_timeout_s,
                             busy_retry_s=busy_retry_s)
        with _mapped_errors():  # the client connects (and asks INFO) at once: an engine not there is a 503
            self._db = self._busy_retry(partial(
                FalkorDB,
                host=host,
                port=port,
                password=password,
                socket_connect_timeout=2.0,
                # A hung engine must not hang its callers for minutes: past this a call is 503. Longer
                # than any statement of ours and than the analysts' query timeout.
                socket_timeout=socket_timeout_s,
                max_connections=64,
            ))
        self._graph = self._db.select_graph(graph)

    @classmethod
    def from_url(cls, url: str, graph: str = "graphsvc") -> FalkorDBExecutor:
        u = urlparse(url)
        return cls(u.hostname or "127.0.0.1", u.port or 6379, graph, password=u.password)

    # -- the Executor interface -------------------------------------------------------------
    def twin(self) -> Callable[[], Executor]:
        return self._twin

    def read(self, query: str, params: dict[str, Any], *, plain: bool = False) -> Rows:
        # `plain` changes nothing here: the compact reply is decoded in one pass either way (_compact).
        return self._run("GRAPH.RO_QUERY", query, params)

    def write(self, query: str, params: dict[str, Any]) -> Rows:
        return self._run("GRAPH.QUERY", query, params)

    def _run(self, command: str, query: str, params: dict[str, Any]) -> Rows:
        """Our own statements return maps and scalars (a convention of cypher/), so their compact
        replies are decoded here in one pass: the client's general parser, then a normalising
        pass, cost twice as much and were most of a requalification's client time."""
        text = params_header(params) + query
        with _mapped_errors():
            reply = self._busy_retry(
                lambda: self._db.connection.execute_command(command, self.graph_name, text, "--compact"))
            if reply and isinstance(reply[-1], Exception):
                raise reply[-1]
        if len(reply) < 3:  # statistics only: a write without RETURN
            return []
        names = [h[1] for h in reply[0]]
        return [{name: _compact(cell, self._graph) for name, cell in zip(names, row)} for row in reply[1]]

    def read_only(self, query: str, params: dict[str, Any], *, timeout_s: float, row_limit: int,
                  byte_limit: int = DEFAULT_BYTE_LIMIT) -> ReadOnlyResult:
        # GRAPH.RO_QUERY: the engine refuses any write, whatever the text looks like.
        try:
            text = params_header(params) + query
            with _mapped_errors():
                result = self._busy_retry(lambda: self._graph.ro_query(text, timeout=max(1, int(timeout_s * 1000))))
        except StoreError as exc:
            # FalkorDB gives no error codes: its refusal of a write in RO_QUERY is told by its text.
            if any(marker in exc.message.lower() for marker in _WRITE_REFUSED):
                raise WriteRefused(f"this endpoint is read-only: the engine refused the statement ({exc.message})") \
                    from exc
            if "mem consumption exceeded" in exc.message.lower():  # the engine's QUERY_MEM_CAPACITY
                raise ResultTooLarge(f"the query needed more memory than a query may use: {exc.message}") from exc
            raise InvalidQuery(exc.message) from exc
        # FalkorDB answers whole: the engine's RESULTSET_SIZE (embedded: set at start) bounds the rows
        # it sends; the budget bounds what is kept and answered.
        budget = ResultBudget(row_limit, byte_limit)
        for row in _rows(result):
            if not budget.take(row):
                return budget.result(truncated=True)
        return budget.result(truncated=False)

    def run_schema(self, statements: Sequence[str]) -> int:
        # FalkorDB has no IF NOT EXISTS for indexes: an index that is already there is success.
        created = 0
        for statement in statements:
            try:
                with _mapped_errors():
                    self._busy_retry(partial(self._graph.query, statement))
                created += 1
            except StoreError as exc:
                if "already indexed" not in str(exc):
                    raise
        return created

    def ping(self) -> dict[str, Any]:
        with _mapped_errors():
            self._busy_retry(self._db.connection.ping)
            info = self._busy_retry(lambda: self._db.connection.info("server"))
        return {"engine": "falkordb", "version": info.get("redis_version"), "address": f"{self.host}:{self.port}"}

    def _busy_retry(self, call: Callable[[], T]) -> T:
        """`call()`, again while the engine answers BUSY (the command was refused before it ran), for
        up to `busy_retry_s`; then the BUSY error goes on (to `_mapped_errors`: a 503)."""
        deadline = time.monotonic() + self.busy_retry_s
        delay, tries = 0.02, 0
        while True:
            try:
                result = call()
            except redis.ResponseError as exc:
                if not is_busy(exc):
                    raise
                tries += 1
                if time.monotonic() + delay > deadline:
                    log.warning("FalkorDB still answers BUSY after %d tries in %.1f s (%s): answering 503",
                                tries, self.busy_retry_s, exc)
                    raise
                if tries == 1:
                    log.info("FalkorDB answered BUSY (%s): nothing was run; retrying for up to %.1f s",
                             exc, self.busy_retry_s)
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
                continue
            if tries:
                log.info("FalkorDB answered after %d BUSY answer(s)", tries)
            return result

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection is not an error worth raising
            pass


def params_header(params: dict[str, Any] | None) -> str:
    """`CYPHER name=<literal> ...` for FalkorDB. Same output as the client's own builder, about
    twice as fast: it dominates the client's cost of a 10,000-row batch."""
    if not params:
        return ""
    return "CYPHER " + " ".join(f"{_key(k)}={_literal(v)}" for k, v in params.items()) + " "


def _key(k: object) -> str:
    key = str(k)
    if not key or "`" in key:
        raise ValueError(f"invalid parameter or map key {key!r}")
    return key


def _string(v: str) -> str:
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _literal(v: Any) -> str:
    t = type(v)
    if t is str:
        return _string(v)
    if t is dict:
        return "{" + ",".join(f"`{_key(k)}`:{_literal(x)}" for k, x in v.items()) + "}"
    if t is list or t is tuple:
        return "[" + ",".join(_literal(x) for x in v) + "]"
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        # FalkorDB clamps a larger literal to the int64 limit without a word: refuse, never store a changed number.
        if -9223372036854775808 <= v <= 9223372036854775807:
            return repr(v)
        raise ValueError(f"integer parameter {v} is outside the signed 64-bit range")
    if t is float:
        if v - v == 0.0:  # finite (inf - inf and nan - nan are nan); FalkorDB has no inf or nan literal
            return repr(v)
        raise ValueError(f"non-finite number parameter {v!r}")
    if isinstance(v, str):  # str subclasses (enums)
        return _string(str(v))
    if isinstance(v, dict):
        return _literal(dict(v))
    if isinstance(v, (list, tuple)):
        return _literal(list(v))
    return str(v)


class _mapped_errors:
    """Turn client and engine errors into the project's own exceptions."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        if exc is None:
            return False
        if isinstance(exc, redis.AuthenticationError):  # a ConnectionError too: say which
            raise StoreUnavailable(f"FalkorDB refused the service's credentials (authentication): {exc}") from exc
        if isinstance(exc, _UNAVAILABLE):
            raise StoreUnavailable(f"the graph engine (FalkorDB) is not answering: {exc}") from exc
        if isinstance(exc, redis.ResponseError):
            text = str(exc)
            lowered = text.lower()
            if is_busy(exc):  # refused before it ran: nothing was done (see the module's docstring)
                raise StoreUnavailable(f"the graph engine is busy ({text}); nothing was run: retry") from exc
            if "timed out" in lowered or "timeout" in lowered:
                raise QueryTimeout(f"the query ran past its time limit: {text}") from exc
            if "unique constraint" in lowered or ("already exists" in lowered and "constraint" in lowered):
                raise Conflict(text) from exc
            if "loading" in lowered:
                raise StoreUnavailable(f"the graph engine is loading its data: {text}") from exc
            raise StoreError(f"FalkorDB refused the statement: {text}") from exc
        return False


def is_busy(exc: BaseException) -> bool:
    """A `BUSY ...` answer: Redis refused the command before running it, because a module (FalkorDB
    preparing a fork) or a script holds the server. redis-py has no class for it: a ResponseError."""
    return isinstance(exc, redis.ResponseError) and str(exc).startswith("BUSY")


def _rows(result: QueryResult) -> Rows:
    header = [h[1] if isinstance(h, (list, tuple)) else h for h in result.header]
    return [{name: _value(v) for name, v in zip(header, record)} for record in result.result_set]


def _compact(cell: list[Any], graph: Any) -> Any:
    """One value of a compact reply: [type, raw] (FalkorDB's result-set scalar types).
    Strings, integers and doubles inside lists are decoded inline, without a call per element:
    snapshot rows carry long lists of them, and a call per value was most of the client's time
    of a requalification (docs/benchmarks.md, "Scale")."""
    kind, raw = cell
    if kind == 2 or kind == 3 or kind == 1:  # string, integer, null
        return raw
    if kind == 5:  # double, sent as text
        return _double(raw)
    if kind == 6:
        return [x[1] if x[0] == 2 or x[0] == 3 else _double(x[1]) if x[0] == 5 else _compact(x, graph)
                for x in raw]
    if kind == 10:  # map: key, [type, value], key, ...
        return {raw[i]: _compact(raw[i + 1], graph) for i in range(0, len(raw), 2)}
    if kind == 4:
        return raw == "true"
    return _value(parse_scalar(cell, graph))  # nodes, edges, paths, points: the client's parser


def _double(raw: str) -> Any:
    return normalise_float(float(raw))


_SCALARS = (str, int, bool, type(None))


def _value(v: Any) -> Any:
    """Maps and scalars pass through; graph entities become plain property maps."""
    if isinstance(v, _SCALARS):
        return v
    if isinstance(v, float):
        return normalise(v)
    if isinstance(v, dict):
        return {k: _value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, Node):
        return {"_labels": list(v.labels or []), **normalise(dict(v.properties or {}))}
    if isinstance(v, Edge):
        return {"_type": v.relation, **normalise(dict(v.properties or {}))}
    if isinstance(v, GraphPath):
        return {"nodes": [_value(n) for n in v.nodes()], "relationships": [_value(e) for e in v.edges()]}
    return normalise(v)
