"""Checks the routes share on what callers send beyond the ingest rows: query and path parameters,
and the free-form JSON values of Cypher parameters. Each refusal is a 4xx in the project's error
format naming the field, raised before anything reaches the store.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Depends, Request

from graphsvc.errors import GraphsvcError, InvalidInput
from graphsvc.ingest.models import INT64_MAX, INT64_MIN

# JSON nested deeper than this is no parameter anyone means, and recursing over it costs the stack.
MAX_DEPTH = 32


class BodyTooDeep(GraphsvcError):
    status_code = 400
    code = "invalid_body"


async def _no_nul_in_params(request: Request) -> None:  # async: no I/O, no thread hop (api/deps.py)
    """FalkorDB ends a string at NUL: a NUL in a query or path parameter can only fail in the store
    (or match nothing it should), so it is refused here, for every route of the router."""
    # Fields named as request validation names them: "query.stage", "path.account_id".
    params = [("path", *p) for p in request.path_params.items()] + \
        [("query", *p) for p in request.query_params.multi_items()]
    bad = [{"row": None, "field": f"{where}.{name}", "message": "must not contain a NUL byte (\\u0000)"}
           for where, name, value in params if isinstance(value, str) and "\x00" in value]
    if bad:
        raise InvalidInput("the request is invalid; nothing was read or written", details=bad)


NoNulParams = Depends(_no_nul_in_params)


def json_value_errors(value: Any, field: str, *, map_keys: bool = True) -> list[dict[str, Any]]:
    """Every value in `value` neither engine can take as it is, as [{row, field, message}]: strings
    with a NUL byte or a lone surrogate, integers beyond signed 64 bits (FalkorDB would clamp them
    silently), non-finite numbers, and map keys that are empty or hold a backtick (FalkorDB quotes
    keys with backticks). Raises BodyTooDeep past MAX_DEPTH levels."""
    errors: list[dict[str, Any]] = []

    def add(path: str, message: str) -> None:
        errors.append({"row": None, "field": path, "message": message})

    def walk(v: Any, path: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise BodyTooDeep(f"{field} nests deeper than {MAX_DEPTH} levels",
                              details=[{"row": None, "field": path, "message": f"nests deeper than {MAX_DEPTH} levels"}])
        if isinstance(v, str):
            if "\x00" in v:
                add(path, "must not contain a NUL byte (\\u0000)")
            elif not v.isascii():
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError:
                    add(path, "must be valid Unicode (it contains a lone surrogate)")
        elif isinstance(v, bool) or v is None:
            return
        elif isinstance(v, int):
            if not INT64_MIN <= v <= INT64_MAX:
                add(path, "integer out of range: it cannot be stored exactly as a signed 64-bit integer")
        elif isinstance(v, float):
            if not math.isfinite(v):
                add(path, "must be a finite number (not Infinity, NaN or beyond 1.8e308)")
        elif isinstance(v, dict):
            for key, item in v.items():
                sub = f"{path}.{key}"
                if map_keys and (not key or "`" in key or "\x00" in key):
                    add(sub, "a map key must be non-empty, without backticks or NUL bytes")
                walk(item, sub, depth + 1)
        elif isinstance(v, list):
            for i, item in enumerate(v):
                walk(item, f"{path}[{i}]", depth + 1)

    walk(value, field, 0)
    return errors


def check_json_params(params: dict[str, Any], field: str = "params") -> None:
    """Raise one 422 naming every unusable parameter value (or a 400 for a body nested too deep)."""
    errors = json_value_errors(params, field)
    if errors:
        raise InvalidInput(f"{len(errors)} parameter value(s) cannot be used; nothing was run", details=errors)
