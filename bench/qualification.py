"""Qualification benchmark: full requalification, and readiness latency under concurrent clients.

1. Loads the generated dataset into a fresh embedded store through the ingest service (or reuses
   a data directory that already holds one: --data-dir, e.g. bench/ingest.py's api-2 directory).
2. Times a full requalification of every account (snapshot query, pure engine, outcome write),
   twice: the first run moves most accounts out of `target`, the second is the steady state.
   Baseline in the same run: the snapshot query alone, i.e. what reading the data costs.
3. Starts `graphsvc serve` on that data and measures GET /v1/accounts/{id}/readiness latency
   with N concurrent clients over random accounts: p50, p90, p99, max and requests/s.

    python bench/qualification.py --accounts 10000 --clients 8 --requests 4000
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import shutil
import subprocess
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Server, say  # noqa: E402

from graphsvc.config import Settings  # noqa: E402
from graphsvc.ingest.service import IngestService  # noqa: E402
from graphsvc.loader import load  # noqa: E402
from graphsvc.qualification.registry import active_ruleset_for, ingest_rules_for  # noqa: E402
from graphsvc.qualification.service import PAGE, QualificationService  # noqa: E402
from graphsvc.rules.snapshot import SECONDS_PER_DAY  # noqa: E402
from graphsvc.store.factory import open_store  # noqa: E402
from seeds.generator import generate  # noqa: E402


def load_dataset(data_dir: Path, accounts: int, seed: int) -> None:
    opened = open_store(Settings(data_dir=data_dir, store=None))
    try:
        if opened.store.counts()["accounts"]:
            say(f"  {data_dir} already holds {opened.store.counts()}")
            return
        ds = generate(accounts=accounts, seed=seed, as_of=datetime.now(timezone.utc))
        ingest = IngestService(opened.store, ingest_rules_for(opened.store))
        report = load(ingest, {k: getattr(ds, k) for k in ("accounts", "contacts", "leads", "activities")},
                      time.time(), batch_size=5_000)
        say(f"  loaded {report.rows} in {report.seconds:.1f} s")
    finally:
        opened.close()


def requalify(data_dir: Path) -> None:
    opened = open_store(Settings(data_dir=data_dir, store=None))
    try:
        store = opened.store
        rs = active_ruleset_for(store)
        counts = store.counts()
        say(f"  graph: {counts}")
        # baseline: reading every snapshot, no engine, no write
        now = time.time()
        started = time.perf_counter()
        after, n = "", 0
        while page := [r["id"] for r in store.read("qualification/account_ids", after=after, limit=PAGE)]:
            store.read("qualification/snapshots", ids=page, as_of=now,
                       half_life_s=rs.activities.half_life_days * SECONDS_PER_DAY)
            after, n = page[-1], n + len(page)
        read_s = time.perf_counter() - started
        say(f"  snapshot reads alone: {n:,} accounts in {read_s:.1f} s ({n / read_s:,.0f} accounts/s)")
        for run in (1, 2):
            started = time.perf_counter()
            out = QualificationService(store, rs).requalify_all(time.time())
            took = time.perf_counter() - started
            say(f"  full requalification #{run}: {out['accounts']:,} accounts, {out['changed']:,} changed stage, "
                f"{took:.1f} s ({out['accounts'] / took:,.0f} accounts/s; reads are {read_s / took:.0%} of it)")
    finally:
        opened.close()


def _client(url: str, account_ids: list[str]) -> tuple[list[float], list[float], int]:
    latencies, server_ms, errors = [], [], 0
    with httpx.Client(base_url=url, timeout=60) as c:
        for aid in account_ids:
            t = time.perf_counter()
            r = c.get(f"/v1/accounts/{aid}/readiness")
            latencies.append(time.perf_counter() - t)
            server_ms.append(float(r.headers.get("server-timing", "app;dur=0").split("dur=")[1]))
            errors += r.status_code != 200
    return latencies, server_ms, errors


def _wrk(url: str, ids: list[str], clients: int, workers: int, seconds: int = 20) -> None:
    """The same load from wrk (C, 2 threads): a Python load generator on a 2-core machine takes
    CPU from the server it measures; wrk takes far less. Random account per request."""
    script = Path(tempfile.mkdtemp()) / "readiness.lua"
    script.write_text(
        "local ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n"
        "math.randomseed(7)\n"
        "request = function()\n"
        '  return wrk.format("GET", "/v1/accounts/" .. ids[math.random(#ids)] .. "/readiness")\n'
        "end\n"
    )
    out = subprocess.run(["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    dist = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.M))
    rate = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    say(f"  readiness via wrk, {workers} worker(s), {clients} connections, {seconds} s: p50 {dist.get('50')}, "
        f"p90 {dist.get('90')}, p99 {dist.get('99')}, {rate} req/s, non-2xx {errors.group(1) if errors else 0}")


def readiness_latency(data_dir: Path, clients: int, requests: int, seed: int, workers: int) -> None:
    server = Server(data_dir, workers=workers)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            ids, cursor = [], None
            while True:
                page = c.get("/v1/accounts", params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
                ids += [i["id"] for i in page["items"]]
                cursor = page["next_cursor"]
                if not cursor:
                    break
        rng = random.Random(seed)
        plan = [rng.choice(ids) for _ in range(requests)]
        # One process per client: a thread per client would add the load generator's own GIL
        # waits to every latency. The server's own time comes from its Server-Timing header.
        with httpx.Client(base_url=server.url, timeout=60) as c:  # warm-up
            for aid in plan[:clients]:
                c.get(f"/v1/accounts/{aid}/readiness")
        started = time.perf_counter()
        with multiprocessing.Pool(clients) as pool:
            parts = pool.starmap(_client, [(server.url, plan[k::clients]) for k in range(clients)])
        wall = time.perf_counter() - started
        latencies = [x for p in parts for x in p[0]]
        server_ms = [x for p in parts for x in p[1]]
        errors = sum(p[2] for p in parts)
        if shutil.which("wrk"):
            _wrk(server.url, ids, clients, workers)
        qs = statistics.quantiles(latencies, n=100)
        ss = statistics.quantiles(server_ms, n=100)
        say(f"  readiness, {workers} worker(s), {clients} concurrent clients, {len(latencies):,} requests over "
            f"{len(ids):,} accounts: p50 {qs[49] * 1000:.1f} ms, p90 {qs[89] * 1000:.1f} ms, p99 {qs[98] * 1000:.1f} ms, "
            f"max {max(latencies) * 1000:.1f} ms, {len(latencies) / wall:,.0f} req/s, errors {errors}; "
            f"server time p50 {ss[49]:.1f} ms, p99 {ss[98]:.1f} ms")
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--data-dir", type=Path, default=None, help="reuse a loaded embedded data directory")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=4_000)
    ap.add_argument("--latency-only", action="store_true", help="skip the requalification timings")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="API worker processes (one run each)")
    args = ap.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="graphsvc-qbench-")) / "data"
    say(f"data: {data_dir}")
    load_dataset(data_dir, args.accounts, args.seed)
    if not args.latency_only:
        requalify(data_dir)
    for workers in args.workers:
        readiness_latency(data_dir, args.clients, args.requests, args.seed, workers)


if __name__ == "__main__":
    main()
