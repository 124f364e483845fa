"""Where an API ingest batch spends its time, per kind and phase, in one process (no HTTP server):
JSON decode, request validation, the ingest service (and each statement it runs), the
requalification of the touched accounts, the response; wall time, this process's CPU time per
phase, and the engine's CPU per kind.

    python bench/ingest_phases.py --accounts 1000                    # FalkorDB
    python bench/ingest_phases.py --accounts 1000 --engine neo4j
    python bench/ingest_phases.py --accounts 1000 --no-index         # as before branch ingest3: no engagement index

The graph starts empty with the engagement index created as `graphsvc serve` does on an empty
graph (ingest/engagement_from_start); `--no-index` leaves it out, so every requalification also
replays history, as a service did before its first full requalification. `--cprofile` adds the
top functions by own time (slows everything down: compare phases only without it).

`--raw` then writes the same rows with bench/ingest.py's raw statements into a second fresh graph of
the same engine, in this run, and prints per kind the raw seconds next to the API's phases with
and without the requalification: how close the API's write alone (decode, validation, lookups, the
write statement; no HTTP) comes to raw, i.e. the ceiling of api/raw if requalifying cost nothing.

    python bench/ingest_phases.py --accounts 1000 --raw
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import ENGINES, KINDS, Engine, cpu_seconds, generate_dataset, say, table
from ingest import run_raw

from graphsvc.gc_tuning import tune_collector
from graphsvc.ingest import models as m
from graphsvc.ingest.repository import IngestRepository
from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService

REQUALIFY = "requalify touched accounts"
BATCH_MODELS = {"accounts": m.AccountBatch, "contacts": m.ContactBatch, "leads": m.LeadBatch,
                "activities": m.ActivityBatch}


class Timed:
    """Wall and CPU seconds per statement name, by wrapping the store's read/write calls."""

    def __init__(self, store) -> None:
        self.by_name: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for method in ("read", "write", "read_one"):
            original = getattr(store, method)

            def timed(name, *a, _original=original, **kw):
                wall, cpu = time.perf_counter(), time.process_time()
                try:
                    return _original(name, *a, **kw)
                finally:
                    entry = self.by_name[name]
                    entry[0] += time.perf_counter() - wall
                    entry[1] += time.process_time() - cpu
                    entry[2] += 1

            setattr(store, method, timed)


class Phases:
    """Wall and CPU seconds per phase name; `cProfile` on while a phase runs, when given."""

    def __init__(self, prof: cProfile.Profile | None) -> None:
        self.prof = prof
        self.by_name: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])

    def __call__(self, name: str, fn, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        if self.prof:
            self.prof.enable()
        try:
            return fn(*args)
        finally:
            if self.prof:
                self.prof.disable()
            self.by_name[name][0] += time.perf_counter() - wall
            self.by_name[name][1] += time.process_time() - cpu


def one_batch(store, kind: str, chunk: list[dict], phase: Phases) -> None:
    import orjson

    obj = phase("JSON decode (stdlib json, as FastAPI)", json.loads, orjson.dumps({kind: chunk}))
    parsed = phase("request validation (pydantic)", BATCH_MODELS[kind].model_validate, obj)
    now = time.time()
    rs = active_ruleset_for(store)
    result = phase("ingest service", getattr(IngestService(store, ingest_rules_from(rs)), kind), getattr(parsed, kind), now)
    if kind in ("contacts", "activities"):
        changes = phase(REQUALIFY, QualificationService(store, rs).requalify,
                        result.accounts_touched, now)
        result.stage_changes = [m.StageChangeOut.model_validate(c) for c in changes]
    phase("response encode", result.model_dump_json)


def run(engine: Engine, data: dict[str, list[dict]], batch: int, index: bool,
        prof: cProfile.Profile | None) -> dict[str, tuple[float, float]]:
    """Per kind: (wall seconds of every batch, wall seconds of their requalifications). The batches'
    time includes this script's encoding of each body (orjson, ~1 % of it), which a client does."""
    totals: dict[str, tuple[float, float]] = {}
    with engine:
        opened = engine.open()
        try:
            store = opened.store
            pid = engine.neo4j.process.pid if engine.neo4j is not None else opened.server.pid
            if index:
                rs = active_ruleset_for(store)
                IngestRepository(store).engagement_from_start(QualificationService(store, rs).half_life_s)
            timed = Timed(store)
            for kind in KINDS:
                rows = data[kind]
                phase = Phases(prof)
                timed.by_name.clear()
                engine_cpu, started = cpu_seconds(pid), time.perf_counter()
                for i in range(0, len(rows), batch):
                    one_batch(store, kind, rows[i:i + batch], phase)
                wall = time.perf_counter() - started
                totals[kind] = (wall, phase.by_name.get(REQUALIFY, [0.0])[0])
                say(f"\n**{engine.name} {kind}**: {len(rows):,} rows in {wall:.2f} s ({len(rows) / wall:,.0f} rows/s), "
                    f"engine CPU {cpu_seconds(pid) - engine_cpu:.2f} s")
                lines = [[name, f"{w:.3f}", f"{c:.3f}"] for name, (w, c) in phase.by_name.items()]
                lines += [[f"statement {name}" + (f" (x{n})" if n > 1 else ""), f"{w:.3f}", f"{c:.3f}"]
                          for name, (w, c, n) in sorted(timed.by_name.items(), key=lambda x: -x[1][0])]
                table(f"{engine.name} {kind}: seconds per phase (statements are inside the phases above)",
                      ["phase", "wall s", "this process CPU s"], lines)
        finally:
            opened.close()
    return totals


def floor_table(name: str, api: dict[str, tuple[float, float]], raw: dict[str, float]) -> None:
    """The API's phases against raw, with and without requalifying (the ceiling of api/raw)."""
    lines = []
    for kind in [*KINDS, "all"]:
        r = sum(raw.values()) if kind == "all" else raw[kind]
        wall, requalify = (sum(a for a, _ in api.values()), sum(b for _, b in api.values())) if kind == "all" else api[kind]
        lines.append([kind, f"{r:.2f}", f"{wall:.2f}", f"{wall - requalify:.2f}", f"{r / wall:.2f}",
                      f"{r / (wall - requalify):.2f}"])
    table(f"{name}: raw vs the API's phases in this process (no HTTP), seconds",
          ["kind", "raw", "API phases", "API phases without requalifying", "raw / API",
           "raw / API without requalifying"], lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=1_000)
    ap.add_argument("--engine", choices=ENGINES, default="falkordb")
    ap.add_argument("--batch", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-index", action="store_true", help="no engagement index: requalification replays history")
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--raw", action="store_true", help="also the raw statements on a second graph, and the ratios")
    args = ap.parse_args()
    if args.raw and args.cprofile:
        ap.error("--raw compares times, which --cprofile inflates on the API's side only")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    raw_home = workdir / f"raw-{args.engine}"
    if args.raw and raw_home.exists():
        ap.error(f"{raw_home} exists: the raw side needs a fresh graph (another --workdir)")
    data = generate_dataset(args.accounts, args.seed)
    # As graphsvc's processes run (the CLI, each API worker): with the collector's defaults every
    # older-generation pass would re-scan the dataset this process holds and the service does not.
    tune_collector()
    prof = cProfile.Profile() if args.cprofile else None
    api = run(Engine(args.engine, workdir / args.engine), data, args.batch, not args.no_index, prof)
    if args.raw:  # after the API side, on its own fresh graph
        raw, _cpu = run_raw(Engine(args.engine, raw_home), data, args.batch)
        floor_table(args.engine, api, raw)
    if prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(30)
        say(out.getvalue())


if __name__ == "__main__":
    main()
