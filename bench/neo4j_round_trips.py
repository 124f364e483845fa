"""What a Neo4j read costs as a managed transaction and as one auto-commit transaction.

`driver.execute_query` runs a read as a managed transaction: BEGIN, RUN and PULL, then COMMIT, two
round trips. An auto-commit transaction (`session.run`) sends RUN and PULL in one. The executor
reads the second way and falls back to the first for what the driver would retry
(graphsvc/store/neo4j_executor.py). This prints, per statement and way, the wall time and the CPU
per read of this process (the driver) and of the Neo4j JVM, medians of interleaved blocks (the
order flipped every block, so the machine's drift hits both ways alike):

- `RETURN 1`: the fixed price of a statement;
- `qualification/snapshot_current` for one random account: the read behind a readiness answer.

    python bench/neo4j_round_trips.py --data-dir /work/bdata10k
    python bench/neo4j_round_trips.py --data-dir DIR --blocks 12 --reads 300

`--data-dir` is bench/qualification.py's (its `neo4j` directory is used as it is: only read).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from _common import Engine, cpu_seconds, note, table
from neo4j import RoutingControl

from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService
from graphsvc.store import queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, required=True, help="bench/qualification.py's --data-dir (read only)")
    ap.add_argument("--blocks", type=int, default=10, help="interleaved blocks per way and statement")
    ap.add_argument("--reads", type=int, default=200, help="reads per block")
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-page-cache", default="2g")
    args = ap.parse_args()
    if not (args.data_dir / "neo4j" / "graph").is_dir():
        raise SystemExit(f"no Neo4j database in {args.data_dir / 'neo4j'} (run bench/qualification.py --data-dir first)")
    with Engine("neo4j", args.data_dir / "neo4j", args.neo4j_heap, args.neo4j_page_cache) as engine:
        assert engine.neo4j is not None and engine.neo4j.process is not None
        jvm = engine.neo4j.process.pid
        opened = engine.open()
        try:
            executor = opened.store.executor
            driver, database = executor._driver, executor.database  # this bench compares the driver's two ways
            ids = [r["id"] for r in opened.store.read("qualification/account_ids", after="", limit=100_000)]
            half_life_s = QualificationService(opened.store, active_ruleset_for(opened.store)).half_life_s
            rng = random.Random(7)
            statements = {
                "RETURN 1": ("RETURN 1 AS ok", lambda: {}),
                "snapshot_current, one account": (queries.get("qualification/snapshot_current").text,
                                                  lambda: {"ids": [rng.choice(ids)], "half_life_s": half_life_s}),
            }

            def managed(query: str, params: dict) -> list:
                return driver.execute_query(query, params, routing_=RoutingControl.READ, database_=database)[0]

            # The executor's own read path (its fallback never fires on a healthy server), records undecoded
            # as on the managed side.
            ways = {"managed (execute_query)": managed, "auto-commit (session.run)": executor._read_records}
            rows = []
            for label, (query, params) in statements.items():
                runs: dict[str, list[tuple[float, float, float]]] = {w: [] for w in ways}
                for way in ways.values():  # warm-up: plans cached, pool filled
                    for _ in range(100):
                        way(query, params())
                for block in range(args.blocks):
                    for name in (list(ways) if block % 2 == 0 else list(ways)[::-1]):
                        wall, cpu, jvm_cpu = time.perf_counter(), time.process_time(), cpu_seconds(jvm)
                        for _ in range(args.reads):
                            ways[name](query, params())
                        runs[name].append(((time.perf_counter() - wall) / args.reads * 1e3,
                                           (time.process_time() - cpu) / args.reads * 1e3,
                                           (cpu_seconds(jvm) - jvm_cpu) / args.reads * 1e3))
                    note(f"  {label}: block {block + 1}/{args.blocks}")
                medians = {w: [statistics.median(r[i] for r in runs[w]) for i in range(3)] for w in ways}
                first, second = medians.values()
                for name, m in medians.items():
                    rows.append([label, name, *(f"{x:.3f}" for x in m)])
                rows.append([label, "auto-commit / managed", *(f"{b / a:.2f}" if a else "-" for a, b in zip(first, second))])
            table(f"Neo4j reads, ms per read: medians of {args.blocks} interleaved blocks of {args.reads}",
                  ["statement", "way", "wall", "driver CPU", "Neo4j CPU"], rows)
        finally:
            opened.close()


if __name__ == "__main__":
    main()
