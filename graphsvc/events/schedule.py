"""The retry schedule of webhook deliveries: exponential backoff with jitter, as a pure function.

Not a retry library (tenacity, backoff): those retry inside a running call and keep the state in
that thread, so a restart forgets where a delivery was and a hung receiver holds the thread for the
whole schedule. Here the next attempt's time is stored on the Delivery node and the worker picks it
up when due, from any process, after any restart; all that is needed is this function.
"""

from __future__ import annotations

import random


def backoff_s(attempt: int, *, base_s: float = 2.0, cap_s: float = 3600.0, rand: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): base * 2^(attempt-1), capped,
    times a jitter factor in [0.5, 1.0) ("equal jitter": receivers that failed together do not
    retry together, and a retry never comes sooner than half the nominal delay). `rand` in [0, 1)
    replaces the random draw (tests)."""
    if attempt < 1:
        raise ValueError("attempt is 1-based")
    nominal = min(cap_s, base_s * 2.0 ** min(attempt - 1, 60))
    r = random.random() if rand is None else rand
    return nominal * (0.5 + r / 2)
