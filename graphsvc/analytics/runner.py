"""Run a library query: check its parameters, fill the ones that come from the service, execute it
read-only with the ad-hoc query limits (a library query over a big graph must not hang a worker
either), and answer its rows with the columns its header documents."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphsvc.analytics import library
from graphsvc.rules import Ruleset
from graphsvc.store.graph_store import GraphStore

__all__ = ["Context", "Runner"]


@dataclass(frozen=True)
class Context:
    """What a null-defaulted parameter of these names means: the service's clock and the active
    ruleset's SLAs (so the library and the reports agree with the rules sales are held to)."""

    now: float
    sql_sla_hours: float
    mqa_sla_hours: float

    @classmethod
    def of(cls, now: float, ruleset: Ruleset) -> Context:
        return cls(now=now, sql_sla_hours=ruleset.sla.sql_hours, mqa_sla_hours=ruleset.sla.mqa_hours)


_FROM_CONTEXT: dict[str, Callable[[Context], Any]] = {
    "now": lambda c: c.now,
    "sql_sla_hours": lambda c: c.sql_sla_hours,
    "mqa_sla_hours": lambda c: c.mqa_sla_hours,
}


@dataclass
class Result:
    name: str
    params: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    elapsed_ms: float = field(default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "params": self.params, "columns": self.columns, "rows": self.rows,
                "row_count": len(self.rows), "truncated": self.truncated, "elapsed_ms": self.elapsed_ms}


@dataclass(frozen=True)
class Runner:
    store: GraphStore
    context: Context
    timeout_s: float
    row_limit: int

    def run(self, name: str, params: Mapping[str, Any] | None = None, *, strings: bool = False) -> Result:
        query = library.get(name)
        bound = library.coerce(query, params, strings=strings)
        for key, source in _FROM_CONTEXT.items():
            if key in bound and bound[key] is None:
                bound[key] = source(self.context)
        started = time.perf_counter()
        result = self.store.read_only(query.text, bound, timeout_s=self.timeout_s, row_limit=self.row_limit)
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        columns = [c.name for c in query.columns] or (list(result.rows[0]) if result.rows else [])
        return Result(name, bound, columns, result.rows, result.truncated, elapsed)

    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        return self.run(name, params).rows
