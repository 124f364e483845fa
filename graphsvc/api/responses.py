"""The error answers every operation documents, from one table instead of copies per route.

Every error the API sends has one shape, `{"error", "message", "details"}` (graphsvc.api.errors);
`Error` is that shape in the OpenAPI document. Which statuses an operation can answer follows from
what the operation is, so they are added to the generated document by rule rather than listed by
hand on each route:

- 400 `invalid_body`: the operation takes a JSON body (one that is not JSON, or nests too deep);
- 401 / 403: the operation needs an API key (it declares a security scheme);
- 404: a path parameter names something that may not exist;
- 422: the operation takes parameters or a body (each bad field is named);
- 503 `store_unavailable` / `engine_timeout`, with `Retry-After`: the engine is down, restarting or
  did not answer within GRAPHSVC_REQUEST_TIMEOUT_S (every operation but /health, which answers its
  own 503).

A route's own `responses=` entry (a better description, an extra status) is kept; it only gets the
`Error` schema when it has none. FastAPI's default 422 schema (`{"detail": [...]}`) is replaced,
since the API never answers in that shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field


class Error(BaseModel):
    """An error answer: a stable code, a sentence for people, and what exactly was wrong."""

    error: str = Field(description="Stable code, e.g. invalid_input, invalid_body, not_found, unauthorized, forbidden, "
                                   "conflict, query_timeout, store_unavailable, engine_timeout.")
    message: str = Field(description="What happened, for people.")
    details: Any = Field(default=None, description="What exactly was wrong, when there is more to say: for input "
                                                   "errors a list of {row, field, message} (or {path, message}).")


DESCRIPTIONS: dict[int, str] = {
    400: "The body is not JSON, or nests too deep (`invalid_body`); nothing was written.",
    401: "No API key, or one that is not valid (unknown or revoked).",
    403: "The key's roles do not allow this operation (`forbidden`), or open mode refused the request "
         "(`open_mode_refused`).",
    404: "Nothing with this id (or name).",
    408: "The query ran past its timeout and was stopped.",
    409: "The request conflicts with the current state; nothing changed.",
    413: "More rows than GRAPHSVC_MAX_BATCH; nothing was written.",
    422: "Invalid input: `details` names each bad row or field; nothing was written.",
    503: "The graph engine is unavailable or did not answer in time (`store_unavailable`, `engine_timeout`); "
         "nothing was acknowledged: retry after `Retry-After` seconds.",
}

_SCHEMA_REF = {"$ref": "#/components/schemas/Error"}
# Routes whose own 503 answer is not in the error format (health says {"status": "unavailable", ...}).
_OWN_503 = {"/health"}


def _statuses(path: str, operation: dict[str, Any]) -> list[int]:
    params = operation.get("parameters") or []
    body = operation.get("requestBody") or {}
    json_body = "application/json" in (body.get("content") or {})
    out = []
    if json_body:
        out.append(400)
    if operation.get("security"):
        out += [401, 403]
    if any(p.get("in") == "path" for p in params):
        out.append(404)
    if params or body:
        out.append(422)
    if path not in _OWN_503:
        out.append(503)
    return out


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the Error schema and the statuses every operation can answer to an OpenAPI document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = Error.model_json_schema()
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, operation):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if not status.isdigit() or int(status) < 400 or (status == "503" and path in _OWN_503):
                    continue
                content = response.setdefault("content", {}).setdefault("application/json", {})
                if status == "422" or "schema" not in content:  # FastAPI's {"detail": [...]} is not our 422
                    content["schema"] = _SCHEMA_REF
    schemas = schema["components"]["schemas"]
    text = repr(schema["paths"])
    for unused in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{unused}'" not in text:
            schemas.pop(unused, None)
    return schema


def install(app: FastAPI) -> None:
    """Generate the app's OpenAPI document once, with `document` applied."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(generate())
        return app.openapi_schema

    app.openapi = openapi
