"""Rules-lab benchmark: a what-if simulation of every account vs a full requalification, per engine.

For each engine: loads the generated dataset (bench/qualification.py's loader), times a full
requalification twice (the second is the steady state), then a simulation of a candidate ruleset
(intent window 30 -> 60 days) at now over every account, which reads the same snapshots and runs
the engine twice per account (candidate and active ruleset, for the deciding checks) but writes
nothing. Prints seconds, accounts/s and the ratio simulation / requalification.

    python bench/lab_simulate.py --accounts 2000 --engine falkordb neo4j
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import ENGINES, KINDS, Engine, note, say, table
from qualification import load_dataset

from graphsvc.lab.simulate import Simulator
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import default_ruleset_text, load_ruleset
from seeds.generator import generate

CANDIDATE = default_ruleset_text().replace("intent_window_days = 30.0", "intent_window_days = 60.0")


def measure(engine: Engine) -> dict[str, float]:
    opened = engine.open()
    try:
        store = opened.store
        active = active_ruleset_for(store)
        service = QualificationService(store, active)
        service.ensure_engagement()
        out: dict[str, float] = {}
        for run in (1, 2):
            started = time.perf_counter()
            result = service.requalify_all(time.time())
            out[f"requalify{run}"] = time.perf_counter() - started
            note(f"  {engine.name} requalification #{run}: {result['accounts']:,} accounts, {out[f'requalify{run}']:.1f} s")
        out["accounts"] = result["accounts"]
        started = time.perf_counter()
        at = time.time()  # as_of == now: a simulation of now, as POST /v1/rules/simulate does (an as_of even a
        # microsecond before now is a past as_of, replayed from every activity's history)
        sim = Simulator(store, active, load_ruleset(CANDIDATE)).run(at, at, max_moves=0)
        out["simulate"] = time.perf_counter() - started
        out["moves"] = sim.moves_total
        note(f"  {engine.name} simulation: {sim.accounts:,} accounts, {sim.moves_total:,} would move, "
             f"{out['simulate']:.1f} s")
        return out
    finally:
        opened.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=2_000)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-page-cache", default="1g")
    args = ap.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="graphsvc-labbench-"))
    as_of = datetime.now(UTC).replace(microsecond=0)

    def dataset() -> dict:
        ds = generate(accounts=args.accounts, seed=args.seed, as_of=as_of)
        return {k: getattr(ds, k) for k in KINDS}

    rows = []
    for name in [e for e in ENGINES if e in args.engine]:
        with Engine(name, data_dir / name, args.neo4j_heap, args.neo4j_page_cache) as engine:
            load_dataset(engine, dataset)
            note(f"  load average before measuring {name}: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
            r = measure(engine)
            note(f"  load average after measuring {name}: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        rows.append([name, f"{r['accounts']:,.0f}", f"{r['requalify2']:.1f}", f"{r['accounts'] / r['requalify2']:,.0f}",
                     f"{r['simulate']:.1f}", f"{r['accounts'] / r['simulate']:,.0f}",
                     f"{r['simulate'] / r['requalify2']:.2f}", f"{r['moves']:,.0f}"])
    table(f"Simulation vs full requalification ({args.accounts:,} generated accounts)",
          ["engine", "accounts", "requalify s", "requalify acc/s", "simulate s", "simulate acc/s",
           "simulate / requalify", "would move"], rows)
    say("simulate / requalify: below 1 = the simulation is faster than the requalification it previews")


if __name__ == "__main__":
    main()
