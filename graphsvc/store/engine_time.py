"""Wall time one request spent waiting on the graph engine, for `Server-Timing: engine;dur=...`.

The API's timing middleware opens a meter per request (`meter()`); GraphStore adds each statement's
wall time (sending it, the engine's work and queueing, reading and decoding the answer) to whichever
meter is open (`add`). The ContextVar holds a mutable cell, not a number: a
sync route runs in a worker thread with a *copy* of the request's context, and the copy refers to
the same cell. Outside a request (the CLI, background passes) no meter is open and `add` does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["add", "meter"]

_current: ContextVar[list[float] | None] = ContextVar("graphsvc_engine_time", default=None)


@contextmanager
def meter() -> Iterator[list[float]]:
    """A cell whose [0] is the seconds spent in the engine while it is open (in this context)."""
    cell = [0.0]
    token = _current.set(cell)
    try:
        yield cell
    finally:
        _current.reset(token)


def add(seconds: float) -> None:
    cell = _current.get()
    if cell is not None:
        cell[0] += seconds
