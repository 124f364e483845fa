"""Qualification benchmark: full requalification and readiness latency, on FalkorDB and on Neo4j,
side by side.

For each engine (one after the other, each on its own database):

1. Loads the generated dataset (the same rows for every engine) into a fresh database through the
   ingest service in this process, or reuses a directory that already holds it (--data-dir, e.g.
   bench/ingest.py's api-2 directory: <dir>/falkordb, <dir>/neo4j).
2. Times a full requalification of every account (snapshot query, pure engine, outcome write),
   twice: the first run moves most accounts out of `target`, the second is the steady state.
   Baseline in the same run: the snapshot query alone, i.e. what reading the data costs.
3. Starts `graphsvc serve` on that engine and measures GET /v1/accounts/{id}/readiness latency
   with N concurrent clients over random accounts: p50, p90, p99 as the client sees them and as
   the server reports them (Server-Timing), and requests/s.

    python bench/qualification.py --accounts 10000 --clients 8 --requests 4000
    python bench/qualification.py --accounts 3000 --engine falkordb neo4j --workers 2
    python bench/qualification.py --accounts 30000 --activities-per-contact 30 --engine falkordb --workers

Prints a Markdown table with a column per engine and the ratio FalkorDB / Neo4j (stdout);
progress goes to stderr.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from _common import (
    ENGINES,
    KINDS,
    CpuMeter,
    Engine,
    account_ids,
    cpu_seconds,
    descendants,
    note,
    ratio,
    run_wrk,
    say,
    server_timing,
    table,
    wrk_script,
)

from graphsvc.ingest.service import IngestService, ingest_rules_from
from graphsvc.loader import load
from graphsvc.qualification.parallel import requalify_all
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import PAGE, QualificationService
from seeds.generator import generate
from seeds.progress import LoadProgress


def load_dataset(engine: Engine, dataset) -> float | None:
    """Seconds to load the dataset through the ingest service; None when the data was there."""
    opened = engine.open()
    try:
        if opened.store.counts()["accounts"]:
            note(f"  {engine.home} already holds {opened.store.counts()}")
            return None
        data = dataset()
        rules = ingest_rules_from(active_ruleset_for(opened.store))
        progress = LoadProgress()  # a bar on a terminal; in a log, a line every few seconds, not one per batch
        try:
            report = load(IngestService(opened.store, rules), data, time.time(), batch_size=5_000,
                          progress=lambda kind, done, s: progress(f"{engine.name} {kind}", done, s))
        finally:
            progress.close()
        note(f"  loaded {report.rows} in {report.seconds:.1f} s")
        if opened.server is not None:
            # The load's writes are a tail of the append-only file that every later start would
            # replay statement by statement (~10 minutes at 100k): rewrite it into the base now,
            # outside any measurement.
            started = time.perf_counter()
            opened.server.compact(timeout_s=3600)
            note(f"  append-only file rewritten into its base in {time.perf_counter() - started:.1f} s")
        return report.seconds
    finally:
        opened.close()


def cpu_s(pid: int | None) -> float:
    """CPU seconds a process has used so far (0 when unknown). On a shared 2-core machine wall
    time measures the neighbours too: CPU time per account does not."""
    return cpu_seconds(pid) if pid is not None else 0.0


def client_cpu_s() -> float:
    """CPU seconds of this process plus its finished children: a full pass with --processes runs in
    worker processes that have exited (been waited for) when it returns. The embedded FalkorDB is a
    child too but still running, so it is not counted here (cpu_s(engine pid) is)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def rss_mib(pids: list[int]) -> float:
    """Resident memory of these processes, MiB (VmRSS)."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))
    return total / 1024


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the API's uvicorn workers)."""
    return [pid, *(p for p, _ in descendants(pid))]


def engine_pid(engine: Engine, opened) -> int | None:
    if opened.server is not None:
        return opened.server.pid
    return engine.neo4j.process.pid if engine.neo4j is not None else None


def requalify(engine: Engine, processes: int = 1) -> dict[str, float]:
    opened = engine.open()
    try:
        store = opened.store
        pid = engine_pid(engine, opened)
        service = QualificationService(store, active_ruleset_for(store))
        note(f"  graph: {store.counts()}")
        # the engagement aggregates: built once (a no-op when ingest kept them already)
        started = time.perf_counter()
        built = service.ensure_engagement(
            progress=lambda done, acts: note(f"  {engine.name} engagement rebuild: {done:,} contacts, {acts:,} activities"))
        out = {"rebuild": time.perf_counter() - started if built["rebuilt"] else None}
        note(f"  {engine.name} engagement aggregates: {built}")
        # baseline: reading every snapshot (the service's snapshot query), no engine, no write
        now = time.time()
        started, client0, engine0 = time.perf_counter(), time.process_time(), cpu_s(pid)
        after, n = "", 0
        while page := [r["id"] for r in store.read("qualification/account_ids", after=after, limit=PAGE)]:
            service.snapshots(page, now)
            after, n = page[-1], n + len(page)
        out |= {"accounts": n, "reads": time.perf_counter() - started,
                "reads_client_cpu": 1000 * (time.process_time() - client0) / max(1, n),
                "reads_engine_cpu": 1000 * (cpu_s(pid) - engine0) / max(1, n)}
        note(f"  {engine.name} snapshot reads alone: {n:,} accounts in {out['reads']:.1f} s")
        for run in (1, 2):
            started, client0, engine0 = time.perf_counter(), client_cpu_s(), cpu_s(pid)
            result = requalify_all(service, time.time(), processes=processes)
            out[f"requalify{run}"] = time.perf_counter() - started
            out[f"changed{run}"] = result["changed"]
            out[f"per_account{run}"] = 1000 * out[f"requalify{run}"] / max(1, result["accounts"])
            out[f"client_cpu{run}"] = 1000 * (client_cpu_s() - client0) / max(1, result["accounts"])
            out[f"engine_cpu{run}"] = 1000 * (cpu_s(pid) - engine0) / max(1, result["accounts"])
            note(f"  {engine.name} full requalification #{run}: {result['accounts']:,} accounts, "
                 f"{result['changed']:,} changed stage, {out[f'requalify{run}']:.1f} s")
        # Issue 10: what the periodic decay pass would requalify, instead of every account: the
        # accounts whose requalify_at falls within the next hour / day / week (read through the index).
        now = time.time()
        for label, ahead in (("hour", 3600.0), ("day", 86400.0), ("week", 7 * 86400.0)):
            started = time.perf_counter()
            out[f"due_{label}"] = len(service.due_accounts(now + ahead, limit=10**9))
            out[f"due_{label}_read_ms"] = 1000 * (time.perf_counter() - started)
        note(f"  {engine.name} due within an hour / day / week: {out['due_hour']:,} / {out['due_day']:,} / {out['due_week']:,}")
        out["bench_rss"] = rss_mib([os.getpid()])
        out["worker_rss"] = result.get("worker_peak_rss_mib")  # the pass's largest worker, when it had workers
        return out
    finally:
        opened.close()


def _client(url: str, paths: list[str]) -> tuple[list[float], list[tuple[float, float]], int]:
    """Each request's latency (s), the server's own time and its engine time (ms), errors."""
    latencies, server_ms, errors = [], [], 0
    with httpx.Client(base_url=url, timeout=60) as c:
        for path in paths:
            t = time.perf_counter()
            r = c.get(path)
            latencies.append(time.perf_counter() - t)
            timing = server_timing(r.headers.get("server-timing"))
            server_ms.append((timing.get("app", 0.0), timing.get("engine", 0.0)))
            errors += r.status_code != 200
    return latencies, server_ms, errors


def _wrk(url: str, paths: list[str], clients: int, meter: CpuMeter, seconds: int = 20) -> dict[str, str]:
    """The same load from wrk (C, 2 threads): a Python load generator on a 2-core machine takes
    CPU from the server it measures; wrk takes far less. Each request takes a random path of
    `paths` (closed loop: `clients` connections, each sends its next request when answered).
    Also where each request's CPU went: the API workers' event loops (uvicorn, middleware,
    routing, dependencies, sending), their other threads (the routes) and the engine."""
    script = wrk_script(paths, Path(tempfile.mkdtemp()))
    before = meter.read()
    run = run_wrk(url, script, clients, seconds)
    cpu = CpuMeter.since(before, meter.read())
    loops, routes = cpu["service event loops"], cpu["service"] - cpu["service event loops"]
    return {"wrk p50 / p90 / p99": f"{run['p50']} / {run['p90']} / {run['p99']}",
            "wrk req/s": f"{run['req/s']:.2f}",
            "wrk non-2xx": str(run["non-2xx"]),
            "wrk CPU ms per request: event loops / other threads (routes) / engine":
                " / ".join(f"{1000 * x / max(run['requests'], 1):.2f}" for x in (loops, routes, cpu["engine"]))}


def readiness_latency(engine: Engine, clients: int, requests: int, seed: int, workers: int) -> dict:
    server = engine.serve(workers)
    try:
        ids = account_ids(server.url)
        rng = random.Random(seed)
        out = {"readiness": _load(engine.name, "readiness", server.url, clients,
                                  [f"/v1/accounts/{rng.choice(ids)}/readiness" for _ in range(requests)])}
        # The board as sales use it: the first page of each sort, filtered by stage or not.
        board = [f"/v1/accounts?sort={rng.choice(BOARD_SORTS)}" + (f"&stage={s}" if (s := rng.choice(BOARD_STAGES)) else "")
                 for _ in range(requests // 4)]
        out["board"] = _load(engine.name, "board", server.url, clients, board)
        # The board's default order alone (MQA score: what the API and the web board open with), which
        # reads from the floor the previous answer left (qualification/board.py, ScoreFloors).
        by_score = ["/v1/accounts?sort=mqa_score" + (f"&stage={s}" if (s := rng.choice(BOARD_STAGES)) else "")
                    for _ in range(requests // 4)]
        out["board by MQA score"] = _load(engine.name, "board by MQA score", server.url, clients, by_score)
        if shutil.which("wrk"):
            meter = CpuMeter(engine, server)
            out["readiness"] |= _wrk(server.url, [f"/v1/accounts/{i}/readiness" for i in ids], clients, meter)
            out["board"] |= _wrk(server.url, board, clients, meter)
            out["board by MQA score"] |= _wrk(server.url, by_score, clients, meter)
        out["service_rss"] = rss_mib(process_tree(server.proc.pid))
        return out
    finally:
        server.stop()


BOARD_SORTS = ("mqa_score", "engagement", "fit", "stage_since", "name")
BOARD_STAGES = (None, None, "mqa", "engaged", "sql", "target")


def _load(engine: str, label: str, url: str, clients: int, plan: list[str]) -> dict[str, float]:
    """`plan` (GET paths) over `clients` closed-loop client processes: latency as the client sees
    it and as the server reports it (Server-Timing), requests/s. One process per client: a thread
    per client would add the load generator's own GIL waits to every latency."""
    # Warm-up, not timed: each distinct path of the plan (up to 64), four times, each on a new
    # connection (the API workers share the listening socket, so a kept-alive connection would stay
    # with one worker). A freshly started Neo4j compiles a statement on its first use (0.2-0.8 s at
    # 100k for a board statement) and a worker remembers a board query's floor from its first
    # answer: start-up costs a running service pays once, which made the mixed board's p99 in a
    # 500-request run (25 distinct paths, 2 workers) a measure of the start, not of the service.
    for path in [*dict.fromkeys(plan)][:64] * 4:
        httpx.get(url + path, timeout=60)
    note(f"  {engine} {label}: {len(plan):,} requests, {clients} clients ...")
    started = time.perf_counter()
    with multiprocessing.Pool(clients) as pool:
        parts = pool.starmap(_client, [(url, plan[k::clients]) for k in range(clients)])
    wall = time.perf_counter() - started
    latencies = [x * 1000 for p in parts for x in p[0]]
    qs = statistics.quantiles(latencies, n=100)
    timings = [x for p in parts for x in p[1]]
    ss = statistics.quantiles([app for app, _ in timings], n=100)
    es = statistics.quantiles([engine for _, engine in timings], n=100)
    # Where the slowest 1 % of the server's answers spent their time: in the engine or in Python.
    slow = [(app, engine) for app, engine in timings if app >= ss[98]]
    return {"p50": qs[49], "p90": qs[89], "p99": qs[98], "max": max(latencies), "server p50": ss[49],
            "server p90": ss[89], "server p99": ss[98], "engine p50": es[49], "engine p99": es[98],
            "engine share of the slowest 1 %": sum(e for _, e in slow) / max(sum(a for a, _ in slow), 1e-9),
            "req/s": len(latencies) / wall, "errors": sum(p[2] for p in parts)}


def report(results: dict[str, dict], engines: list[str], args) -> None:
    both = len(engines) == 2

    def row(label: str, values: dict[str, float | None], fmt: str, compare: bool = True) -> list[str]:
        cells = [format(values[e], fmt) if values.get(e) is not None else "–" for e in engines]
        r = ratio(values.get("falkordb"), values.get("neo4j")) if compare else ""
        return [label, *cells, *([r] if both else [])]

    def get(key: str) -> dict[str, float | None]:
        return {e: results[e].get(key) for e in engines}

    lines = [row("load through the ingest service, s", get("load"), ".1f"),
             row("engagement aggregates rebuilt from history, s", get("rebuild"), ".1f"),
             row("snapshot reads alone, s", get("reads"), ".1f"),
             row("full requalification #1, s", get("requalify1"), ".1f"),
             row("full requalification #2 (steady state), s", get("requalify2"), ".1f"),
             row("full requalification #1, ms per account", get("per_account1"), ".3f"),
             row("full requalification #2, ms per account", get("per_account2"), ".3f"),
             row("snapshot reads, CPU ms per account: bench process", get("reads_client_cpu"), ".3f"),
             row("snapshot reads, CPU ms per account: engine", get("reads_engine_cpu"), ".3f"),
             row("requalification #2, CPU ms per account: bench process", get("client_cpu2"), ".3f"),
             row("requalification #2, CPU ms per account: engine", get("engine_cpu2"), ".3f"),
             row("bench process RSS after requalification, MiB", get("bench_rss"), ",.0f"),
             row("largest worker process RSS (peak), MiB", get("worker_rss"), ",.0f"),
             row("accounts that changed stage in #1", get("changed1"), ",", compare=False),
             row("accounts the decay pass would requalify within an hour", get("due_hour"), ",", compare=False),
             row("... within a day", get("due_day"), ",", compare=False),
             row("... within a week", get("due_week"), ",", compare=False),
             row("reading a week's due accounts (index), ms", get("due_week_read_ms"), ".1f")]
    for w in args.workers:
        for what in ("readiness", "board", "board by MQA score"):
            if any(what not in results[e][f"latency{w}"] for e in engines):
                continue
            lat = {e: results[e][f"latency{w}"][what] for e in engines}
            for key, label in (*((k, k) for k in ("p50", "p90", "p99", "max", "server p50", "server p90", "server p99")),
                               ("engine p50", "server engine p50"), ("engine p99", "server engine p99")):
                lines.append(row(f"{what} {label}, ms ({w} worker(s))", {e: lat[e].get(key) for e in engines}, ".1f"))
            lines.append(row(f"{what}: engine's share of the slowest 1 % of server times ({w} worker(s))",
                             {e: lat[e].get("engine share of the slowest 1 %") for e in engines}, ".2f", False))
            lines.append(row(f"{what} req/s ({w} worker(s))", {e: lat[e]["req/s"] for e in engines}, ",.0f"))
            lines.append(row(f"{what} errors ({w} worker(s))", {e: lat[e]["errors"] for e in engines}, ",", False))
            for key in ("wrk p50 / p90 / p99", "wrk req/s", "wrk non-2xx",
                        "wrk CPU ms per request: event loops / other threads (routes) / engine"):
                if key in lat[engines[0]]:
                    lines.append([f"{what} {key} ({w} worker(s))", *(lat[e][key] for e in engines), *([""] if both else [])])
        lines.append(row(f"service RSS after the load, MiB ({w} worker(s), all processes)",
                         {e: results[e][f"latency{w}"]["service_rss"] for e in engines}, ",.0f"))
    accounts = results[engines[0]].get("accounts", 0)
    table(f"Qualification: {accounts:,} accounts; readiness with {args.clients} concurrent clients, "
          f"{args.requests:,} requests", ["measurement", *engines, *(["falkordb/neo4j"] if both else [])], lines)
    if both:
        say("\nfalkordb/neo4j: FalkorDB's figure over Neo4j's (times and latencies: below 1 = FalkorDB faster; "
            "req/s: above 1 = FalkorDB faster)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES),
                    help="engines to run, one after the other (default: both)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--activities-per-contact", type=float, default=10.0,
                    help="mean activities per contact (10: 1x; 30: 3x history)")
    ap.add_argument("--data-dir", type=Path, default=None,
                    help="keep (or reuse) each engine's loaded data in <dir>/<engine> (default: a temp dir)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=4_000)
    ap.add_argument("--processes", type=int, default=1,
                    help="worker processes of the full requalification (QualificationService.requalify_all)")
    ap.add_argument("--latency-only", action="store_true", help="skip the requalification timings")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2],
                    help="API worker processes (one readiness run each; none: skip readiness)")
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-page-cache", default="1g")
    args = ap.parse_args()
    engines = [e for e in ENGINES if e in args.engine]
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="graphsvc-qbench-"))
    note(f"data: {data_dir}")

    # as_of = now, once: no activity is "in the future" for the API, decay is realistic, and every
    # engine gets the same rows. Streamed: the generator is lazy and deterministic, so nothing holds
    # the dataset in memory (issue 10: 10M activities do not fit in lists).
    as_of = datetime.now(UTC).replace(microsecond=0)

    def dataset() -> dict:
        ds = generate(accounts=args.accounts, seed=args.seed, as_of=as_of,
                      activities_per_contact=args.activities_per_contact)
        return {k: getattr(ds, k) for k in KINDS}

    results: dict[str, dict] = {}
    for name in engines:
        with Engine(name, data_dir / name, args.neo4j_heap, args.neo4j_page_cache) as engine:
            out = results[name] = {"load": load_dataset(engine, dataset)}
            if not args.latency_only:
                out |= requalify(engine, args.processes)
            for workers in args.workers:
                out[f"latency{workers}"] = readiness_latency(engine, args.clients, args.requests, args.seed, workers)
    say(f"{args.accounts:,} accounts, {args.activities_per_contact:g} activities per contact (mean), "
        f"full requalification in {args.processes} process(es)")
    report(results, engines, args)


if __name__ == "__main__":
    main()
