"""Answers that are plain JSON data already, sent as they are.

A sync route that returns a dict has FastAPI validate it against the return annotation in its
thread pool (one more hop to a thread and back per request) and serialize it on the event loop, which
every request of the worker shares. The routes on the hot path (readiness, the board) build plain JSON
data, so they answer with `json_response` instead: serialized with orjson in the route's own thread.
Their schema stays in the OpenAPI document through `response_model=` on the route."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response

__all__ = ["json_response"]


def json_response(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")
