"""One error base class carrying its HTTP status; the API maps it once in an exception handler."""

from __future__ import annotations

from typing import Any


class GraphsvcError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.details is not None:
            out["details"] = self.details
        return out


class NotFound(GraphsvcError):
    status_code = 404
    code = "not_found"


class Conflict(GraphsvcError):
    """An impossible transition or a uniqueness violation: nothing was changed."""

    status_code = 409
    code = "conflict"


class InvalidInput(GraphsvcError):
    """Bad rows or fields; `details` lists each as {row, field, message}. Nothing was written."""

    status_code = 422
    code = "invalid_input"


class BatchTooLarge(GraphsvcError):
    status_code = 413
    code = "batch_too_large"


class StoreUnavailable(GraphsvcError):
    """The graph engine does not answer (down, restarting, unreachable)."""

    status_code = 503
    code = "store_unavailable"


class QueryTimeout(GraphsvcError):
    status_code = 408
    code = "query_timeout"


class StoreError(GraphsvcError):
    """The engine refused a statement for a reason that is not the caller's input."""

    status_code = 500
    code = "store_error"


class WriteRefused(GraphsvcError):
    """A write (or schema or admin command) sent down the read-only path: the engine refused it."""

    status_code = 400
    code = "write_refused"


class InvalidQuery(GraphsvcError):
    """Caller-supplied Cypher the engine cannot run (syntax, types, unknown function)."""

    status_code = 400
    code = "invalid_query"


class ResultTooLarge(GraphsvcError):
    """An analyst's query needed more memory, or produced a larger answer, than it may."""

    status_code = 400
    code = "result_too_large"


class Busy(GraphsvcError):
    """Too much of one kind of work is running already: retry after `Retry-After` seconds."""

    status_code = 429
    code = "busy"
    retry_after_s = 10


class ShuttingDown(GraphsvcError):
    """The API process is stopping: work it had started was not finished (retry on another worker)."""

    status_code = 503
    code = "shutting_down"
