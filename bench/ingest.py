"""Ingest benchmark: the generated dataset through the HTTP API vs straight into the engine, on
FalkorDB and on Neo4j, side by side.

Every side of every engine runs in the same invocation, on the same machine, on its own fresh,
empty database with the same indexes (an embedded FalkorDB with AOF and appendfsync always; a
Neo4j 5.26 from tools/neo4j, which fsyncs its transaction log on every commit):

* raw:  the rows, already converted to stored form, written with one `UNWIND` statement per batch
        (cypher/bench/raw_*.cypher) straight through the engine's executor: no validation, no
        matching, no idempotency bookkeeping, no requalification.
* api:  the same rows as JSON through `POST /v1/{accounts,contacts,leads,activities}` of a
        `graphsvc serve` child process on that engine: validation, domain matching, idempotency,
        and the requalification of the touched accounts that every activity batch triggers.
        `--requalify later` sends the activities with `?requalify=later` instead: each batch only
        marks its accounts and the service's pending drain (every `--drain-every` s) requalifies
        them; the activities' clock stops when `GET /v1/requalification` says nothing is pending,
        so the time includes every requalification the load implied (the "drain tail" after the
        last batch is printed apart).

    python bench/ingest.py --accounts 10000                          # both engines
    python bench/ingest.py --accounts 3000 --engine neo4j --clients 2
    python bench/ingest.py --accounts 500 --batch 2000               # a quick look
    python bench/ingest.py --accounts 3000 --clients 1 --requalify now later --order time

Prints rows/s for each engine, side and kind, the ratio api / raw per engine and the ratio
FalkorDB / Neo4j per side, then CPU seconds per engine, side and kind of the bench process
(client), the API server's processes (service) and the engine (the embedded FalkorDB, or Neo4j's
JVM) next to the wall time, since on a shared machine wall time alone says little (Markdown tables
on stdout; progress on stderr). The API side starts on an empty graph, so `graphsvc serve` keeps the
engagement aggregates from the first activity (ingest/engagement_from_start) and each batch's
requalification reads them, as a production service started empty does.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import orjson
from _common import ENGINES, KINDS, CpuMeter, Engine, generate_dataset, note, progress, ratio, say, table

from graphsvc.store import queries


def epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def raw_rows(kind: str, rows: list[dict]) -> list[dict]:
    """The stored form of the rows (done before the clock starts: the baseline does no work)."""
    if kind == "accounts":
        return [{"id": r["id"], "props": {k: v for k, v in r.items() if k not in ("id", "parent_id") and v is not None}}
                for r in rows]
    if kind == "contacts":
        skip = ("id", "account_id", "reports_to", "roles")
        return [{"id": r["id"], "account_id": r["account_id"],
                 "props": {k: v for k, v in r.items() if k not in skip and v is not None}} for r in rows]
    if kind == "leads":
        return [{"id": r["id"], "props": {**{k: v for k, v in r.items() if k not in ("id", "created_at") and v is not None},
                                           "created_at": epoch(r["created_at"])}} for r in rows]
    return [{**r, "at": epoch(r["at"])} for r in rows]


def batches(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def run_raw(engine: Engine, data: dict[str, list[dict]], batch: int) -> tuple[dict[str, float], dict[str, dict]]:
    """Seconds and CPU seconds per kind, one UNWIND statement per batch through the engine's executor."""
    with engine:
        opened = engine.open()
        try:
            executor = opened.store.executor
            meter = CpuMeter(engine, opened=opened)
            out, cpu = {}, {}
            for kind in KINDS:
                stored = raw_rows(kind, data[kind])
                text = queries.get(f"bench/raw_{kind}").text
                before = meter.read()
                started = time.perf_counter()
                done = 0
                for chunk in batches(stored, batch):
                    executor.write(text, {"rows": chunk})
                    done += len(chunk)
                    progress(f"{engine.name} raw {kind}", done, len(stored), started)
                out[kind] = time.perf_counter() - started
                cpu[kind] = meter.since(before, meter.read())
            return out, cpu
        finally:
            opened.close()


def wait_drained(client: httpx.Client, timeout_s: float = 3600.0) -> float:
    """Poll `GET /v1/requalification` until no account is pending; the seconds it took."""
    started = time.perf_counter()
    while True:
        r = client.get("/v1/requalification")
        if r.status_code != 200:
            raise SystemExit(f"requalification: HTTP {r.status_code}: {r.text[:2000]}")
        if r.json()["pending"] == 0:
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout_s:
            raise SystemExit(f"{r.json()['pending']} accounts still pending after {timeout_s:.0f} s")
        time.sleep(0.05)


def run_api(engine: Engine, data: dict[str, list[dict]], batch: int, clients: int,
            workers: int, requalify: str = "now", drain_every: float = 1.0) -> tuple[dict[str, float], dict[str, dict]]:
    """Seconds and CPU seconds per kind, `clients` batches in flight at once (kinds stay in order:
    contacts only after accounts). With `requalify="later"`, activities until the drain caught up."""
    with engine:
        # `now` runs keep the service's own drain interval, as every run before --requalify did
        server = engine.serve(workers, {"GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S": str(drain_every)}
                              if requalify == "later" else None)
        meter = CpuMeter(engine, server=server)
        out, cpu = {}, {}
        try:
            with httpx.Client(base_url=server.url, timeout=600, limits=httpx.Limits(max_connections=clients)) as client:

                params = {"requalify": requalify} if requalify != "now" else {}

                def send(kind: str, chunk: list[dict]) -> int:
                    body = orjson.dumps({kind: chunk})
                    r = client.post(f"/v1/{kind}", content=body, headers={"Content-Type": "application/json"},
                                    params=params if kind == "activities" else {})
                    if r.status_code != 200:
                        raise SystemExit(f"{kind}: HTTP {r.status_code}: {r.text[:2000]}")
                    return len(chunk)

                with ThreadPoolExecutor(max_workers=clients) as pool:
                    for kind in KINDS:
                        rows = data[kind]
                        before = meter.read()
                        started = time.perf_counter()
                        done = 0
                        # contacts name managers from earlier batches: send those in order, one at a time
                        width = 1 if kind == "contacts" else clients
                        chunks = list(batches(rows, batch))
                        for i in range(0, len(chunks), width):
                            for n in pool.map(lambda c, k=kind: send(k, c), chunks[i:i + width]):
                                done += n
                            progress(f"{engine.name} api x{clients} {kind}", done, len(rows), started)
                        if kind == "activities" and requalify == "later":
                            tail = wait_drained(client)
                            note(f"  {engine.name} api x{clients} requalify=later: drained {tail:.1f} s after the last batch")
                        out[kind] = time.perf_counter() - started
                        cpu[kind] = meter.since(before, meter.read())
        finally:
            server.stop()
        return out, cpu


def rate(rows: int, seconds: float, with_time: bool) -> str:
    return f"{rows / seconds:,.0f}" + (f" ({seconds:.1f} s)" if with_time else "")


def report(data: dict[str, list[dict]], engines: list[str], raw: dict, api: dict, clients: int,
           workers: int, batch: int, requalify: str = "now") -> None:
    """One table per API concurrency: rows/s per engine and side, api/raw, FalkorDB/Neo4j."""
    both = len(engines) == 2
    header = ["kind", "rows"]
    for e in engines:
        header += [f"{e} raw", f"{e} api", f"{e} api/raw"]
    if both:
        header += ["raw falkordb/neo4j", "api falkordb/neo4j"]
    lines = []
    for kind in (*KINDS, "all"):
        n = sum(len(v) for v in data.values()) if kind == "all" else len(data[kind])
        secs = {e: (sum(raw[e][k] for k in KINDS), sum(api[e][k] for k in KINDS)) if kind == "all"
                else (raw[e][kind], api[e][kind])
                for e in engines}
        line = [f"**{kind}**" if kind == "all" else kind, f"{n:,}"]
        for e in engines:
            r, a = secs[e]
            line += [rate(n, r, kind == "all"), rate(n, a, kind == "all"), ratio(r, a)]  # api/raw of rates
        if both:
            (fr, fa), (nr, na) = secs["falkordb"], secs["neo4j"]
            line += [ratio(nr, fr), ratio(na, fa)]  # rates: falkordb rows/s over neo4j rows/s
        lines.append(line)
    table(f"Ingest, rows/s: API ({workers} worker(s), {clients} batch(es) in flight, requalify={requalify}) vs raw "
          f"(one UNWIND per batch, sequential); batch {batch:,}", header, lines)


def cpu_report(data: dict[str, list[dict]], engines: list[str], sides: dict[str, dict]) -> None:
    """CPU seconds per engine, side and kind: the bench process (client), the API server's
    processes (service) and the engine, next to the wall time."""
    header = ["engine", "side", *[f"{k} wall / client / service / engine" for k in (*KINDS, "all")]]
    lines = []
    for e in engines:
        for side, (secs, cpu) in sides.items():
            if e not in secs:
                continue
            cells = []
            for kind in (*KINDS, "all"):
                wall = sum(secs[e][k] for k in KINDS) if kind == "all" else secs[e][kind]
                c = ({k: sum(cpu[e][x][k] for x in KINDS) for k in cpu[e][KINDS[0]]} if kind == "all"
                     else cpu[e][kind])
                cells.append(f"{wall:.1f} / {c['client']:.1f} / " + (f"{c['service']:.1f}" if side != "raw" else "–")
                             + f" / {c['engine']:.1f}")
            lines.append([e, side, *cells])
    table("CPU seconds (wall / client / service / engine)", header, lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES),
                    help="engines to run, one after the other (default: both)")
    ap.add_argument("--batch", type=int, default=5_000, help="rows per batch, both sides")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 2],
                    help="API runs with this many batches in flight (default: 1 and 2)")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of the API server")
    ap.add_argument("--requalify", nargs="+", choices=("now", "later"), default=["now"],
                    help="API runs with activities requalified in each request (now, the default) and/or left to "
                         "the pending drain (later; timed until it caught up)")
    ap.add_argument("--order", choices=("account", "time"), default="account",
                    help="activities in the generator's order (account: each batch touches ~50 accounts), or "
                         "sorted by time, as a live stream or a time-sorted export arrives (each batch touches "
                         "most accounts); both sides get the same order")
    ap.add_argument("--drain-every", type=float, default=1.0,
                    help="GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S of the API server in `later` runs (default 1 s; "
                         "`now` runs keep the service's default)")
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-page-cache", default="1g")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="keep the data here, in raw/<engine> and api-<clients>[-later]/<engine> (default: a temp dir)")
    args = ap.parse_args()
    engines = [e for e in ENGINES if e in args.engine]

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    data = generate_dataset(args.accounts, args.seed)
    if args.order == "time":
        data["activities"].sort(key=lambda r: r["at"])  # one ISO format throughout: text order is time order

    def engine(side: str, name: str) -> Engine:
        home = workdir / side / name
        if home.exists():
            raise SystemExit(f"{home} exists: every side needs a fresh, empty database (use a new --workdir)")
        return Engine(name, home, args.neo4j_heap, args.neo4j_page_cache)

    sides = [(c, mode) for c in args.clients for mode in args.requalify]
    name_of = {(c, mode): f"api x{c}" + ("" if mode == "now" else " later") for c, mode in sides}
    raw, apis = {}, {side: {} for side in sides}
    raw_cpu, api_cpu = {}, {side: {} for side in sides}
    for name in engines:
        raw[name], raw_cpu[name] = run_raw(engine("raw", name), data, args.batch)
        for c, mode in sides:
            home = engine(name_of[c, mode].replace("api x", "api-").replace(" ", "-"), name)
            apis[c, mode][name], api_cpu[c, mode][name] = run_api(home, data, args.batch, c, args.workers, mode,
                                                                  args.drain_every)

    say(f"{args.accounts:,} accounts: " + ", ".join(f"{len(v):,} {k}" for k, v in data.items())
        + f"; activities in {args.order} order")
    for c, mode in sides:
        report(data, engines, raw, apis[c, mode], c, args.workers, args.batch, mode)
    cpu_report(data, engines, {"raw": (raw, raw_cpu), **{name_of[side]: (apis[side], api_cpu[side]) for side in sides}})
    if len(engines) == 2:
        say("\nfalkordb/neo4j: FalkorDB's rows/s over Neo4j's (above 1: FalkorDB faster)")
    note(f"\ndata in {workdir}")


if __name__ == "__main__":
    main()
