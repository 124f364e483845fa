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


def resend(send: Callable[[], T], retry_for_s: float, what: str, log: logging.Logger,
           on_retry: Callable[[str], None] | None = None) -> T:
    """`send()`, and again while it raises `StoreUnavailable`, waiting 0.5 s, 1 s, 2 s ... (at most
    15 s) between tries, until `retry_for_s` seconds have passed since the first (0: once). Each try
    again is logged on `log` as a warning naming `what` (and the same words go to `on_retry`: an
    import job shows them); the last failure is raised as it was."""
    def say(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        message = (f"{what}: the engine did not take it ({error}); sending it again in {state.upcoming_sleep:.1f} s "
                   f"(try {state.attempt_number + 1})")
        log.warning("%s", message)
        if on_retry is not None:
            on_retry(message)

    retrying = Retrying(retry=retry_if_exception_type(StoreUnavailable), stop=stop_after_delay(retry_for_s),
                        wait=wait_exponential(multiplier=0.5, max=15), before_sleep=say, reraise=True)
    return retrying(send)
