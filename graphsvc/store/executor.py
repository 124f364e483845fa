"""The seam between the store and an engine: run Cypher text, get back plain rows.

Like httpx's transports, an executor is thin: it knows how to talk to one engine, turns its values
into plain Python (maps, lists, numbers, strings) and its failures into our own errors. Everything
that knows *what* to ask lives in `GraphStore` and `cypher/`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from graphsvc.errors import ResultTooLarge

__all__ = ["DEFAULT_BYTE_LIMIT", "Executor", "ReadOnlyResult", "ResultBudget", "Rows", "normalise", "normalise_float"]

Rows = list[dict[str, Any]]
DEFAULT_BYTE_LIMIT = 32 * 1024 * 1024


@dataclass(frozen=True)
class ReadOnlyResult:
    rows: Rows
    truncated: bool


class ResultBudget:
    """The rows and bytes an analyst's answer may hold, counted as rows arrive (so an engine that
    streams is read no further than the budget): past either limit the answer is cut and says
    `truncated`; a single row larger than the byte limit is refused (400 result_too_large)."""

    def __init__(self, row_limit: int, byte_limit: int = DEFAULT_BYTE_LIMIT) -> None:
        self.row_limit, self.byte_limit = row_limit, byte_limit
        self.rows: Rows = []
        self.bytes = 0

    def take(self, row: dict[str, Any]) -> bool:
        """Add `row`; False when it does not fit (the answer is complete up to here)."""
        if len(self.rows) >= self.row_limit:
            return False
        size = len(orjson.dumps(row, default=str))
        if self.bytes + size > self.byte_limit:
            if not self.rows:
                raise ResultTooLarge(f"one row of the answer is {size:,} bytes; an answer may hold at most "
                                     f"{self.byte_limit:,} (GRAPHSVC_QUERY_BYTE_LIMIT): return less per row")
            return False
        self.rows.append(row)
        self.bytes += size
        return True

    def result(self, truncated: bool) -> ReadOnlyResult:
        return ReadOnlyResult(rows=self.rows, truncated=truncated)


class Executor(ABC):
    """Runs Cypher on one engine. Implementations: FalkorDBExecutor, Neo4jExecutor."""

    #: Which schema file applies: "falkordb" or "neo4j".
    dialect: str

    @abstractmethod
    def twin(self) -> Callable[[], Executor]:
        """A picklable recipe that opens another executor on the same database with its own
        connections: how worker processes of a full requalification reach the engine
        (`graphsvc.qualification.parallel`)."""

    @abstractmethod
    def read(self, query: str, params: dict[str, Any], *, plain: bool = False) -> Rows:
        """Run a read statement (routed to a reader where the engine has them). `plain`: the
        statement is marked `@plain` (see `graphsvc.store.queries`), so its values may come back as
        the engine's client decoded them, integral floats included."""

    @abstractmethod
    def write(self, query: str, params: dict[str, Any]) -> Rows:
        """Run one write statement as one transaction: all of it applies, or none.

        One statement, not several: FalkorDB has no multi-statement transactions (and graph
        queries inside Redis MULTI/EXEC crash its AOF replay), so every batch write is a single
        statement whose phases are joined with `WITH count(*)`."""

    @abstractmethod
    def read_only(
        self, query: str, params: dict[str, Any], *, timeout_s: float, row_limit: int,
        byte_limit: int = DEFAULT_BYTE_LIMIT,
    ) -> ReadOnlyResult:
        """Run untrusted Cypher in a transaction the engine itself keeps read-only, keeping at
        most `row_limit` rows and `byte_limit` bytes of them (see ResultBudget)."""

    @abstractmethod
    def ping(self) -> dict[str, Any]:
        """Answer {"engine": ..., "version": ...} or raise StoreUnavailable."""

    def run_schema(self, statements: Sequence[str]) -> int:
        """Apply schema statements one by one (schema commands cannot share a transaction); return
        how many ran. (The FalkorDB executor counts only those that created an index not already there.)"""
        for statement in statements:
            self.write(statement, {})
        return len(statements)

    def close(self) -> None:  # noqa: B027 - optional hook: an executor with nothing to release keeps it
        """Release the engine connection (default: nothing to release)."""


_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def normalise_float(value: float) -> Any:
    """`normalise` of one float, the common case (finite) first: the record parsers' hot path."""
    if value - value == 0.0:  # finite
        return int(value) if value.is_integer() and -2**53 < value < 2**53 else value
    return _NON_FINITE[repr(value)]


def normalise(value: Any) -> Any:
    """Plain JSON-able values; integral floats become ints (FalkorDB sums integers as floats).
    NaN and infinities, which JSON cannot carry, become the strings "NaN", "Infinity", "-Infinity"
    (an analyst's `RETURN 0.0/0.0` is an answer, not a server error)."""
    if isinstance(value, float):
        return normalise_float(value)
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return value
