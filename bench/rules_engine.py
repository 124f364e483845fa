"""The Python side of a requalification, alone: join the three snapshot reads, build the snapshots,
evaluate them, on the stored rows of real accounts (issue 10: the rules engine and the snapshot
objects were the largest part of a full pass's CPU on both engines).

Reads the first N accounts of an existing dataset once (bench/qualification.py's --data-dir layout,
<dir>/<engine>), then times each step over those rows in this process, best of --rounds, with the
collector tuned as graphsvc's processes tune it. `evaluate` is timed as a store write runs it
(explain=False) and as readiness runs it (explain=True). Prints CPU ms per account and a digest of
what a write records, so two versions of the code can be compared on the same rows:

    python bench/rules_engine.py --data-dir /tmp/bench --engine neo4j --accounts 2000
    cp bench/rules_engine.py /other/checkout/bench/ && python /other/checkout/bench/rules_engine.py ...  # other code

Progress on stderr, results on stdout. No engine time is measured here (bench/qualification.py does).
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import time
from pathlib import Path

from _common import ENGINES, Engine, note

from graphsvc.gc_tuning import tune_collector
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService
from graphsvc.qualification.snapshots import account_snapshot, join_current
from graphsvc.rules import evaluate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="a dataset directory (<dir>/<engine>)")
    parser.add_argument("--engine", choices=ENGINES, default="falkordb")
    parser.add_argument("--accounts", type=int, default=2_000, help="the first N accounts by id")
    parser.add_argument("--rounds", type=int, default=7, help="best of this many timings per step")
    parser.add_argument("--as-of", type=float, default=None, help="evaluate at this epoch second (default: now); "
                        "give two runs the same one to compare their digests")
    args = parser.parse_args()

    with Engine(args.engine, args.data_dir / args.engine) as engine:
        opened = engine.open()
        try:
            service = QualificationService(opened.store, active_ruleset_for(opened.store))
            ids: list[str] = []
            for page in service.page_ids():
                ids.extend(page)
                if len(ids) >= args.accounts:
                    break
            ids, h, now = ids[:args.accounts], service.half_life_s, args.as_of or time.time()
            read = opened.store.read
            raw = (read("qualification/snapshot_accounts", ids=ids, half_life_s=h),
                   read("qualification/snapshot_contacts", ids=ids), read("qualification/snapshot_roles", ids=ids))
            ruleset = service.ruleset
        finally:
            opened.close()
    note(f"  {len(ids):,} accounts read from {args.data_dir / args.engine}; as of {now:.0f}")
    tune_collector()
    lean = {"explain": False} if "explain" in inspect.signature(evaluate).parameters else {}  # older code: none

    def best(step):  # CPU seconds of the fastest round, and the step's answer
        fastest, out = float("inf"), None
        for _ in range(args.rounds):
            t = time.process_time()
            out = step()
            fastest = min(fastest, time.process_time() - t)
        return fastest, out

    t_join, rows = best(lambda: join_current(*raw, as_of=now, half_life_s=h))
    t_build, snaps = best(lambda: [account_snapshot(r) for r in rows])
    t_write, outs = best(lambda: [evaluate(s, ruleset, now, **lean) for s in snaps])
    t_read, _ = best(lambda: [evaluate(s, ruleset, now) for s in snaps])
    recorded = [(q.stage, q.changed, q.reason, q.scores, q.requalify_at, q.qualified_at, q.buying_center,
                 q.next_action, q.groups, q.mqa, q.sql, q.hierarchy) for q in outs]
    n = len(snaps)
    print(f"| {args.engine}, {n:,} accounts, best of {args.rounds} | CPU ms per account |")
    print("| --- | ---: |")
    for label, t in (("join the three reads", t_join), ("build the snapshots", t_build),
                     ("evaluate, as a write (explain=False)", t_write), ("evaluate, as readiness (explain=True)", t_read),
                     ("a write's Python: join + build + evaluate", t_join + t_build + t_write)):
        print(f"| {label} | {t / n * 1e3:.3f} |")
    print(f"\nrecorded outcomes digest: {hashlib.sha256(repr(recorded).encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
