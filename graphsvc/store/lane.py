"""A bounded lane for analysts' queries (ad-hoc Cypher, library queries, reports).

A heavy analyst query can hold an engine thread for its whole timeout. Without a bound, four of
them took every engine thread on a 2-core machine and a 10 ms readiness answer took 19 s. The lane
lets `width` of them run at once per process; the others wait for a place, and the wait counts
against their own timeout (a 10 s query answers 408 after 10 s, queued or not), so ingest and sales
reads keep the engine threads the lane does not use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from graphsvc.errors import QueryTimeout

__all__ = ["Lane"]

MIN_RUN_S = 0.05  # less time than this left after the wait: not worth starting the query


class Lane:
    def __init__(self, width: int = 1) -> None:
        if width < 1:
            raise ValueError("a lane is at least 1 wide")
        self.width = width
        self._slots = threading.BoundedSemaphore(width)

    @contextmanager
    def enter(self, timeout_s: float) -> Iterator[float]:
        """Wait for a place (at most `timeout_s`); yield the time left for the query itself."""
        started = time.monotonic()
        if not self._slots.acquire(timeout=timeout_s):
            raise QueryTimeout(f"the query waited {timeout_s:g} s for its turn among the analysts' queries "
                               f"({self.width} at a time) and did not start; retry later")
        try:
            left = timeout_s - (time.monotonic() - started)
            if left < MIN_RUN_S:
                raise QueryTimeout(f"the query waited {timeout_s:g} s for its turn among the analysts' queries "
                                   "and had no time left to run; retry later")
            yield left
        finally:
            self._slots.release()
