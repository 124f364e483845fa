"""The board's first pages on an existing dataset (issue 10), as the API reads them: per sort and stage
filter, `qualification.board.board_page` in this process, one call at a time, on the engine's own data
(the --data-dir of bench/qualification.py, whose accounts a requalification has left with the ties a
real pass leaves: one stage_since for every account that moved in the same pass, few distinct fits).

Per sort x stage: the first call with nothing remembered (no floor; the look for accounts without
stage_since by time in stage; on a freshly started Neo4j also the statement's compilation, the first
time the process meets it), then --calls more (from the floor the previous answer left): their median
and max, and the statements that answered the first and the last call (with their rows and time).

    cd bench && python board_pages.py --engine neo4j --data-dir DIR/a100k-1x --neo4j-heap 4g --neo4j-page-cache 8g

Markdown table on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from _common import ENGINES, Engine, note, table
from qualification import BOARD_SORTS

STAGES = (None, "target", "engaged", "mqa", "sql")


def run(engine: str, home: Path, heap: str, page_cache: str, calls: int) -> list[list[str]]:
    from graphsvc.qualification import board
    from graphsvc.store.graph_store import GraphStore

    read = GraphStore.read
    answered: list[str] = []

    def counted(self: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
        started = time.perf_counter()
        rows = read(self, name, **params)
        answered.append(f"{name.split('/')[-1]} ({len(rows)} rows, {(time.perf_counter() - started) * 1000:.0f} ms)")
        return rows

    GraphStore.read = counted  # type: ignore[method-assign]  # which statements answered, timed
    out = []
    with Engine(engine, home, heap, page_cache) as e:
        opened = e.open()
        try:
            now = time.time()
            for sort in BOARD_SORTS:
                for stage in STAGES:
                    floors, times, first = board.BoardFloors(), [], ""
                    for _ in range(calls + 1):
                        answered.clear()
                        started = time.perf_counter()
                        board.board_page(opened.store, now, stage=stage, sort=sort, floors=floors)
                        times.append((time.perf_counter() - started) * 1000)
                        first = first or "; ".join(answered)
                    out.append([sort, stage or "any", f"{times[0]:.1f}", first, f"{statistics.median(times[1:]):.1f}",
                                f"{max(times[1:]):.1f}", "; ".join(answered)])
                    note(f"  {engine} {sort} {stage}: first {times[0]:.1f} ms, then median {out[-1][4]} ms")
        finally:
            opened.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--data-dir", type=Path, required=True, help="bench/qualification.py's --data-dir (reused as is)")
    ap.add_argument("--calls", type=int, default=5, help="calls after the first, per sort and stage")
    ap.add_argument("--neo4j-heap", default="4g")
    ap.add_argument("--neo4j-page-cache", default="8g")
    args = ap.parse_args()
    for engine in args.engine:
        rows = run(engine, args.data_dir / engine, args.neo4j_heap, args.neo4j_page_cache, args.calls)
        table(f"{engine}: the board's first page per sort and stage, one call at a time (ms)",
              ["sort", "stage", "first", "first answered by", "then p50", "then max", "last answered by"], rows)


if __name__ == "__main__":
    main()
