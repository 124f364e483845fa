"""Ad-hoc read-only Cypher for analysts.

Read-only is the engine's job, never the text's: FalkorDB runs it with GRAPH.RO_QUERY and Neo4j in a
READ access-mode transaction, both of which refuse any write however it is spelt. Here we only add
the limits (timeout, row limit) and say clearly why a statement was refused.
"""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from graphsvc.api.deps import State
from graphsvc.api.routes.inputs import NoNulParams, check_json_params
from graphsvc.auth.policy import Access
from graphsvc.errors import GraphsvcError
from graphsvc.ingest.models import CypherText

router = APIRouter(tags=["analytics"], dependencies=[NoNulParams])
ACCESS = Access({"*": ("analyst",)})  # who may call these routes (graphsvc.auth.policy)

# Parameter names go into FalkorDB's `CYPHER name=value` header: identifiers only.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")

# LOAD CSV reads files and URLs, not the graph: read-only transactions allow it, so this endpoint
# refuses it itself (defence in depth; the engine still enforces read-only for everything else).
# Only the statement's code counts, not its string literals or comments: `RETURN 'how to LOAD CSV'`
# runs, `LOAD /* x */ CSV` does not. Literals and comments are blanked first, once with backslash
# escapes (as both engines read them) and once without, so no disagreement about where a string
# ends can hide the clause.
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.I)
_LITERALS = {
    True: re.compile(r"""'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|`[^`]*`?|//[^\n]*|/\*.*?(?:\*/|$)""", re.S),
    False: re.compile(r"""'[^']*'?|"[^"]*"?|`[^`]*`?|//[^\n]*|/\*.*?(?:\*/|$)""", re.S),
}


def _blank(match: re.Match) -> str:
    # Comments become a space (`LOAD/**/CSV` is LOAD CSV); literals an empty one of their kind.
    text = match.group()
    return " " if text.startswith("/") else text[0] * 2


def loads_csv(query: str) -> bool:
    """Whether the statement's code (not its strings or comments) has a LOAD CSV clause."""
    return any(_LOAD_CSV.search(pattern.sub(_blank, query)) for pattern in _LITERALS.values())


class LoadCsvRefused(GraphsvcError):
    status_code = 400
    code = "load_csv_refused"


class CypherIn(BaseModel):
    query: CypherText = Field(description="One Cypher statement.")
    params: dict[str, Any] = Field(
        default_factory=dict, description="Parameters, referenced as `$name`: names are identifiers; values are JSON "
        "(strings without NUL, integers within signed 64 bits, finite numbers, maps with non-empty keys without "
        "backticks, at most 32 levels deep).", json_schema_extra={"propertyNames": {"pattern": _NAME.pattern}})

    @field_validator("params")
    @classmethod
    def _names(cls, params: dict[str, Any]) -> dict[str, Any]:
        bad = [k for k in params if not _NAME.match(k)]
        if bad:
            raise ValueError(f"parameter names must be identifiers: {', '.join(map(repr, bad))}")
        return params


@router.post("/v1/cypher", summary="Run your own read-only Cypher",
             description="Runs in a transaction the engine itself keeps read-only (FalkorDB GRAPH.RO_QUERY, Neo4j "
             "READ access mode): any write is refused with 400 `write_refused` and changes nothing. Stopped after "
             "GRAPHSVC_QUERY_TIMEOUT_S (default 10 s) with 408; at most GRAPHSVC_QUERY_ROW_LIMIT rows (default "
             "10,000), `truncated: true` when more matched. Nodes and relationships come back as property maps "
             "with `_labels` or `_type`.",
             responses={400: {"description": "A write, LOAD CSV, a statement the engine cannot run, or a body that is "
                                             "not JSON or nests too deep"},
                        422: {"description": "Bad parameter names or values, each named"},
                        408: {"description": "Ran past the timeout; the query was stopped"}})
def run_cypher(body: CypherIn, state: State) -> dict[str, Any]:
    settings = state.settings
    check_json_params(body.params)  # nested keys and values the engines cannot take: 422 naming each
    if loads_csv(body.query):
        raise LoadCsvRefused("LOAD CSV is not allowed here: it reads files and URLs on the server, not the graph")
    started = time.perf_counter()
    # The executors raise WriteRefused (400 write_refused) and InvalidQuery (400 invalid_query).
    result = state.store.read_only(body.query, body.params, timeout_s=settings.query_timeout_s,
                                   row_limit=settings.query_row_limit)
    columns = list(result.rows[0]) if result.rows else []
    return {"columns": columns, "rows": result.rows, "row_count": len(result.rows), "truncated": result.truncated,
            "row_limit": settings.query_row_limit, "elapsed_ms": round((time.perf_counter() - started) * 1000, 1)}
