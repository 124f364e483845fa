"""The board's first pages by fit, time in stage and name: the statements that read the sort keys
(graphsvc/store/sort_keys.py, since 2026-12-03) against the ones they replaced, which read the value
itself (`a.fit >= $floor ORDER BY a.fit DESC, a.id DESC`, `a.stage_since <= $floor ...`, and by name
`a.name <= $floor` with no bound FalkorDB's index honours), on the same graph in the same run. The
replaced statements are today's with the key swapped back for the value (`before()`), so they differ
in nothing else.

    cd bench && python board_keys.py --engine falkordb --home /work/bdata100k/falkordb

Opening the store numbers and keys a graph made before the keys (once; the log says how long). On a
graph made since, FalkorDB has no index on fit or stage_since (the schema no longer makes them) and
the replaced statements read every account: their figures then measure that, not what they cost.
Prints medians of 9 of each first page (51 rows, as the board reads), over all stages and per stage,
with the rows each returned (the same accounts, except where ties are ordered differently).
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

from _common import Engine, median_ms

from graphsvc.gc_tuning import tune_collector
from graphsvc.qualification.board import _FLOORED, _STAGED
from graphsvc.store import queries
from graphsvc.store.sort_keys import name_key

STAGES = ("target", "engaged", "mqa", "sql")
FILTERS = {"stage": None, "segment": None, "industry": None, "owner": None, "missing_role": None, "q": None,
           "min_score": None, "skip": 0, "limit": 51}
VALUE = {"fit": "fit", "stage_since": "stage_since", "name": "name"}
KEY = {"fit": "fit_key", "stage_since": "since_key"}


def before(text: str, sort: str) -> str:
    """The statement as it was before the keys: the value where the key is (by name, no key bound)."""
    if sort == "name":
        return text.replace("a.name_key <= $ceiling\n  AND ", "")
    return text.replace(f"a.{KEY[sort]}", f"a.{VALUE[sort]}")


def floor_after(ex: Any, sort: str, stage: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bounds the board would remember after a first page: (before's, after's)."""
    where = "" if stage is None else "WHERE a.stage = $stage "
    if sort == "name":
        last = ex.read(f"MATCH (a:Account) {where}WITH a ORDER BY a.name, a.id SKIP 50 LIMIT 1 RETURN a.name AS v",
                       {"stage": stage})[0]["v"]
        return {"floor": last}, {"floor": last, "ceiling": name_key(last)}
    order_value = "a.fit DESC, a.id DESC" if sort == "fit" else "a.stage_since, a.id"
    order_key = "a.fit_key DESC, a.id DESC" if sort == "fit" else "a.since_key, a.id"
    value = ex.read(f"MATCH (a:Account) {where}WITH a ORDER BY {order_value} SKIP 50 LIMIT 1 RETURN a.{VALUE[sort]} AS v",
                    {"stage": stage})[0]["v"]
    key = ex.read(f"MATCH (a:Account) {where}WITH a ORDER BY {order_key} SKIP 50 LIMIT 1 RETURN a.{KEY[sort]} AS v",
                  {"stage": stage})[0]["v"]
    # before the keys, the board raised a stage_since ceiling by 1e-14 of itself (FalkorDB replies 15 digits)
    return {"floor": value if sort == "fit" else value * (1 + 1e-14)}, {"floor": key}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb")
    ap.add_argument("--home", type=Path, required=True, help="a loaded graph's directory (bench/qualification.py)")
    args = ap.parse_args()
    tune_collector()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    engine = Engine(args.engine, args.home).start() if args.engine == "neo4j" else Engine(args.engine, args.home)
    started = time.perf_counter()
    opened = engine.open()
    print(f"store open (schema, backfills) in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        ex = opened.store.executor
        print("| first page (51 rows) | value statement, ms | key statement, ms | rows (same accounts?) |\n"
              "| --- | ---: | ---: | --- |")
        for sort in ("fit", "stage_since", "name"):
            for stage in (None, *STAGES):
                name = _FLOORED[sort][0] if stage is None else _STAGED[sort][0]
                text = queries.get(name).text
                old, new = floor_after(ex, sort, stage)
                params = {**FILTERS, "stage": stage}
                old_read = (before(text, sort), {**params, **old})
                new_read = (text, {**params, **new})
                ms_old, rows_old = median_ms(lambda r=old_read: ex.read(*r), 9)
                ms_new, rows_new = median_ms(lambda r=new_read: ex.read(*r), 9)
                same = {r["id"] for r in rows_old} == {r["id"] for r in rows_new}
                print(f"| {sort}, {stage or 'all stages'} | {ms_old:.1f} | {ms_new:.1f} | "
                      f"{len(rows_old)} / {len(rows_new)} ({'same' if same else 'ties differ'}) |", flush=True)
    finally:
        opened.close()
        if args.engine == "neo4j":
            engine.stop()


if __name__ == "__main__":
    main()
