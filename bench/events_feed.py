"""The outbox read a window of ids at a time (`GET /v1/events`: events/window; the webhook worker:
events/backlog with an upper bound) vs one read with no upper bound
(events/feed and events/backlog as before), on a database an earlier run loaded; reads only.

    cd bench && python events_feed.py --engine falkordb --home /work/bdata100k/falkordb

Prints the median time of a page of 100 from the start, the middle and near the end; of a filtered
page from the start; of reading the whole feed in pages of 500 (as `graphsvc events tail` does); and
of reading a webhook's backlog from 0, 500 ids at a time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from _common import ENGINES, Engine, median_ms

from graphsvc.events.feed import EventFeed, to_event
from graphsvc.gc_tuning import tune_collector


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", choices=ENGINES, default="falkordb")
    ap.add_argument("--home", type=Path, required=True, help="the engine's directory of a loaded database")
    args = ap.parse_args()
    engine = Engine(args.engine, args.home).start()
    opened = engine.open()
    try:
        tune_collector()
        store = opened.store
        feed = EventFeed(store)

        def before(after: int, types: list[str] | None = None, limit: int = 100) -> dict[str, Any]:
            rows = store.read("events/feed", after=after, types=types or [], account=None, limit=limit)
            events = [to_event(r) for r in rows]
            return {"events": events, "next_cursor": events[-1]["id"] if events else after}

        top = feed.last_id()
        print(f"{args.engine}: {top:,} events", flush=True)
        for after in (0, top // 2, max(0, top - 1000)):
            for label, page in (("no bound", before), ("windows", feed.page)):
                ms, out = median_ms(lambda: page(after), 7)  # noqa: B023 (called at once)
                print(f"page of 100 after {after:,}, {label}: {ms:.1f} ms ({len(out['events'])} events)", flush=True)
        for types in (["sla_breached"], ["owner_assigned"]):
            for label, page in (("no bound", before), ("windows", feed.page)):
                ms, out = median_ms(lambda: page(0, types), 3)  # noqa: B023
                print(f"page of 100 of {types[0]} from 0, {label}: {ms:.1f} ms ({len(out['events'])} events, "
                      f"next_cursor {out['next_cursor']:,})", flush=True)
        for label, page in (("no bound", before), ("windows", feed.page)):
            start, after, got = time.perf_counter(), 0, 0
            while events := page(after, limit=500)["events"]:
                got, after = got + len(events), events[-1]["id"]
            print(f"the whole feed in pages of 500, {label}: {time.perf_counter() - start:.1f} s, {got:,} events",
                  flush=True)
        for label, bound in (("no bound", lambda _: None), ("windows", lambda c: min(c + 500, top))):
            start, cursor, got = time.perf_counter(), 0, 0
            while cursor < top:
                upto = bound(cursor)
                rows = store.read("events/backlog", after=cursor, limit=500, **({} if upto is None else {"upto": upto}))
                if not rows:
                    break
                got += len(rows)
                cursor = rows[-1]["seq"] if label == "no bound" else bound(cursor)
            print(f"a webhook's backlog from 0, 500 at a time, {label}: {time.perf_counter() - start:.1f} s, "
                  f"{got:,} events", flush=True)
    finally:
        opened.close()
        engine.stop()


if __name__ == "__main__":
    main()
