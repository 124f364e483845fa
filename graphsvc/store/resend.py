"""Send again what the engine could not take: a batch answered `StoreUnavailable` (the engine down,
restarting, or answering BUSY past the executor's own budget) is sent again with backoff for up to
a time budget, as an API client would after a 503.

Only for units of work that are safe to run twice: ingest batches (idempotent by id), reads, and
units that read the graph before they write (an import's buying roles, a requalification), since a
statement the engine stored but whose answer was lost is sent again too. Used by the loader (seeds,
the demo) and by CRM imports; a long load or import otherwise died of one such moment (a 40-minute
load at 100k accounts did, of Redis's AOF rewrite: docs/benchmarks.md, "100k again").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from graphsvc.errors import StoreUnavailable

__all__ = ["resend"]

T = TypeVar("T")


def resend(send: Callable[[], T], retry_for_s: float, what: str, log: logging.Logger) -> T:
    """`send()`, and again while it raises `StoreUnavailable`, waiting 0.5 s, 1 s, 2 s ... (at most
    15 s) between tries, until `retry_for_s` seconds have passed since the first (0: once). Each try
    again is logged on `log` as a warning naming `what`; the last failure is raised as it was."""
    def say(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning("%s: the engine did not take it (%s); sending it again in %.1f s (try %d)",
                    what, error, state.upcoming_sleep, state.attempt_number + 1)

    retrying = Retrying(retry=retry_if_exception_type(StoreUnavailable), stop=stop_after_delay(retry_for_s),
                        wait=wait_exponential(multiplier=0.5, max=15), before_sleep=say, reraise=True)
    return retrying(send)
