"""Routing benchmark (issue 12): what owner routing adds to the requalification's write statement
(`qualification/record_outcomes`), on FalkorDB and on Neo4j.

For each engine, on a fresh database: N accounts are created (stage target), then moved to MQA by
`record_outcomes` in pages of PAGE rows, once per variant, each on its own N accounts:

* `warmup`: as `none`, first and not reported;
* `none`: no route (today's default ruleset),
* `owner`: every row routed to a rule's owner,
* `round_robin`: every row routed to a three-member round-robin team (the turn node locked and
  updated by the statement).

Prints accounts/s per variant and engine (stdout, Markdown); progress on stderr. Rates are wall time
on whatever else the machine runs: compare the variants of one run, not runs.

    python bench/routing.py --accounts 5000 --engine falkordb neo4j
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _common import ENGINES, Engine, note, table

from graphsvc.qualification.service import PAGE
from graphsvc.store.sort_keys import with_name_keys

VARIANTS = ("none", "owner", "round_robin")


def route(variant: str, i: int) -> dict | None:
    if variant in ("none", "warmup"):
        return None
    members = ["anna"] if variant == "owner" else ["anna", "ben", "cem"]
    payloads = [json.dumps({"to": m, "rule": "bench", "source": "routing"}) for m in members]
    return {"from": None, "team": "dach" if variant == "round_robin" else None, "members": members,
            "payloads": payloads}


def row(aid: str, variant: str, i: int) -> dict:
    return {"id": aid, "from": "target", "stage": "mqa", "changed": True, "reason": "bench", "fit": 70.0,
            "engagement": 100.0, "mqa_score": 100.0, "qualified_at": 1.0, "missing_roles": [],
            "change_id": f"{aid}-c", "pending": None, "event": "{}", "route": route(variant, i)}


def run(engine: Engine, accounts: int, variants: list[str]) -> dict[str, float]:
    opened = engine.open()
    store, out = opened.store, {}
    try:
        now = time.time()
        for variant in ["warmup", *variants]:  # warmup: the same work, not measured (a cold JVM, caches)
            ids = [f"{variant}-{i:07d}" for i in range(accounts)]
            for start in range(0, accounts, 5_000):
                store.write("ingest/upsert_accounts", rows=with_name_keys([{"id": a, "props": {"name": a}} for a in ids[start:start + 5_000]]), parents=[],
                            now=now, batch="bench")
            started = time.perf_counter()
            for start in range(0, accounts, PAGE):
                store.write("qualification/record_outcomes", rows=[row(a, variant, i) for i, a in
                                                                   enumerate(ids[start:start + PAGE], start)],
                            now=now, actor="rules@bench", ruleset="bench")
            seconds = time.perf_counter() - started
            if variant == "warmup":
                continue
            out[variant] = accounts / seconds
            note(f"  {engine.name} {variant}: {accounts} accounts in {seconds:.2f} s")
        return out
    finally:
        opened.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=5_000)
    ap.add_argument("--engine", nargs="+", default=list(ENGINES), choices=ENGINES)
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-routing-") as tmp:
        for name in args.engine:
            with Engine(name, Path(tmp) / name) as engine:
                results[name] = run(engine, args.accounts, args.variants)
    table(f"Routing in record_outcomes: accounts moved to MQA per second ({args.accounts} per variant, pages "
          f"of {PAGE})", ["variant", *args.engine],
          [[v, *(f"{results[e][v]:,.0f}" for e in args.engine)] for v in args.variants])


if __name__ == "__main__":
    main()
