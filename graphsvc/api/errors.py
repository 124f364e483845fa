"""Exception handlers: every error answers in the project's format {"error", "message", "details"}.

Our errors carry their HTTP status; request validation speaks our 422 (400 when the body is not
JSON at all, or nests too deep); FastAPI's and Starlette's own HTTP errors (404 for an unknown
path, 405, a body that cannot be parsed) are put in the same format instead of `{"detail": ...}`.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from graphsvc.errors import Busy, GraphsvcError, StoreUnavailable

# The validation error type that means the body could not be read as JSON at all: a 400, not a 422.
_UNREADABLE = "json_invalid"
# FastAPI raises HTTPException(400, "There was an error parsing the body") when the JSON decoder
# itself fails, e.g. on arrays nested thousands deep (RecursionError).
_PARSE_FAILED = "There was an error parsing the body"


def _row_error(err: dict) -> dict:
    """FastAPI's loc ("body", "activities", 3, "at") -> {row: 3, field: "at", message}."""
    loc = [p for p in err.get("loc", ()) if p != "body"]
    row = None
    if len(loc) >= 2 and isinstance(loc[1], int):
        row, loc = loc[1], loc[2:]
    field = ".".join(str(p) for p in loc) or None
    return {"row": row, "field": field, "message": err.get("msg", "invalid")}


def _unreadable(err: dict) -> dict:
    reason = (err.get("ctx") or {}).get("error")
    return {"row": None, "field": None, "message": f"{err.get('msg', 'invalid JSON')}: {reason}" if reason else
            err.get("msg", "invalid JSON")}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "HTTP error"


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's 405 names only the methods of the
    first route whose path matched (`Allow: POST` on /v1/accounts, which also has a GET)."""
    return [method for method in _METHODS
            if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes)]


def install(app: FastAPI) -> None:
    @app.exception_handler(GraphsvcError)
    async def _graphsvc_error(_: Request, exc: GraphsvcError) -> JSONResponse:
        headers = ({"Retry-After": "1"} if isinstance(exc, StoreUnavailable) else
                   {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, Busy) else None)
        return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        unreadable = [e for e in errors if e.get("type") == _UNREADABLE]
        if unreadable:
            return JSONResponse({"error": "invalid_body", "message": "the body is not valid JSON; nothing was written",
                                 "details": [_unreadable(e) for e in unreadable]}, status_code=400)
        details = [_row_error(e) for e in errors]
        rows = {d["row"] for d in details if d["row"] is not None}
        message = (
            f"{len(rows)} row(s) are invalid; nothing was written" if rows else "the request is invalid"
        )
        return JSONResponse({"error": "invalid_input", "message": message, "details": details}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _phrase(exc.status_code)
        if exc.status_code == 400 and detail == _PARSE_FAILED:
            body = {"error": "invalid_body", "message": "the body could not be parsed as JSON (malformed, or nested "
                    "too deep); nothing was written", "details": [{"row": None, "field": None, "message": detail}]}
        else:
            body = {"error": re.sub(r"[^a-z0-9]+", "_", _phrase(exc.status_code).lower()).strip("_"),
                    "message": detail}
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": ", ".join(_allowed_methods(request)) or (headers or {}).get("Allow", "")}
        return JSONResponse(body, status_code=exc.status_code, headers=headers)
