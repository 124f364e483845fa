"""The cyclic garbage collector's settings for graphsvc's own processes: the CLI (serve, requalify,
seed, import), each API worker of `serve --workers N`, and the worker processes of a full pass.

Our data is acyclic (decoded rows, snapshots, outcomes): reference counting frees it, and the
cyclic collector only has to find the rare cycle. With CPython's default thresholds (700, 10, 10)
it runs after every 700 container allocations, and a page of a full requalification (500 accounts,
~5,000 contacts: dicts, lists, dataclasses, most alive until the page is written) allocates hundreds
of thousands; every older-generation pass re-scans what is alive, the modules and the loaded
ruleset included. Measured on 2,000 accounts' stored rows (join, snapshot objects, rules engine):
0.81–0.88 ms per account at the defaults, 0.59 with the collector off; a one-process full pass's
client CPU fell 16–22 % with these settings (docs/benchmarks.md, "Scale").

So, once per process after start-up: collect, freeze what is alive (imported modules, settings,
compiled rulesets: they live as long as the process; frozen objects are still freed by reference
counting, only never scanned) and collect young objects every 50,000 allocations. Cyclic garbage
waits a little longer: at most one threshold's worth of objects, a few MB.
"""

from __future__ import annotations

import gc

__all__ = ["tune_collector"]

THRESHOLDS = (50_000, 20, 100)
_tuned = False


def tune_collector() -> None:
    """Freeze what this process holds so far and raise the collection thresholds; once per process
    (a second call is a no-op, so code that may run in-process twice, e.g. the CLI under tests,
    does not freeze again)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
