"""What `graphsvc query` does: run a library query on the store, or through a running service."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

from graphsvc.analytics import library
from graphsvc.analytics.output import render
from graphsvc.analytics.runner import Context, Runner
from graphsvc.config import Settings
from graphsvc.errors import InvalidInput
from graphsvc.rules import Ruleset
from graphsvc.service_client import call
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.queries import Query

__all__ = ["describe_library", "parse_pairs", "run_local", "run_remote"]


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--param {pair!r}: expected KEY=VALUE", details=[{"field": pair, "message": "no ="}])
        out[key.strip()] = value
    return out


def describe_library() -> str:
    lines = []
    for name in library.names():
        q = library.describe(library.get(name))
        params = ", ".join(f"{p['name']}={json.dumps(p['default'])}" for p in q["params"])
        lines += [f"{name}({params})", f"    {q['description']}", ""]
    return "\n".join(lines).rstrip()


def run_local(settings: Settings, name: str, pairs: dict[str, str], fmt: str,
              active_ruleset_for: Callable[[GraphStore], Ruleset]) -> str:
    """`active_ruleset_for` is the qualification registry's, passed in by the CLI: analytics does not
    import another service."""
    from graphsvc.store.factory import open_store

    query = library.get(name)
    library.coerce(query, pairs, strings=True)  # bad parameters fail before an engine is started
    opened = open_store(settings)
    try:
        runner = Runner(opened.store, Context.of(time.time(), active_ruleset_for(opened.store)),
                        timeout_s=settings.query_timeout_s, row_limit=settings.query_row_limit)
        result = runner.run(name, pairs, strings=True)
    finally:
        opened.close()
    return _render(result.columns, result.rows, result.truncated, fmt, query)


def run_remote(url: str, key: str | None, name: str, pairs: dict[str, str], fmt: str) -> str:
    """Through a running service (whose embedded store this process could not open: it is locked)."""
    query = library.get(name)
    params = {k: v for k, v in library.coerce(query, pairs, strings=True).items() if k in pairs}
    body = call(url, f"/v1/queries/{name}", key, method="POST", json_body={"params": params}, timeout_s=600)
    return _render(body["columns"], body["rows"], body["truncated"], fmt, query)


def _render(columns: list[str], rows: list[dict[str, Any]], truncated: bool, fmt: str, query: Query) -> str:
    text = render(columns, rows, fmt, query.columns)
    if truncated and fmt == "table":
        text += "\n(truncated at the row limit, GRAPHSVC_QUERY_ROW_LIMIT)"
    return text
