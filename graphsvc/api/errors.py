"""Exception handlers: our errors carry their HTTP status; request validation speaks our 422."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graphsvc.errors import GraphsvcError, StoreUnavailable


def _row_error(err: dict) -> dict:
    """FastAPI's loc ("body", "activities", 3, "at") -> {row: 3, field: "at", message}."""
    loc = [p for p in err.get("loc", ()) if p != "body"]
    row = None
    if len(loc) >= 2 and isinstance(loc[1], int):
        row, loc = loc[1], loc[2:]
    field = ".".join(str(p) for p in loc) or None
    return {"row": row, "field": field, "message": err.get("msg", "invalid")}


def install(app: FastAPI) -> None:
    @app.exception_handler(GraphsvcError)
    async def _graphsvc_error(_: Request, exc: GraphsvcError) -> JSONResponse:
        headers = {"Retry-After": "1"} if isinstance(exc, StoreUnavailable) else None
        return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [_row_error(e) for e in exc.errors()]
        rows = {d["row"] for d in details if d["row"] is not None}
        message = (
            f"{len(rows)} row(s) are invalid; nothing was written" if rows else "the request is invalid"
        )
        return JSONResponse({"error": "invalid_input", "message": message, "details": details}, status_code=422)
