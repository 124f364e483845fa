"""Ingest benchmark: the generated dataset through the HTTP API vs straight into FalkorDB.

Both sides run in the same process run, on the same machine, each on its own embedded FalkorDB
with the same durability settings (AOF, appendfsync always) and the same indexes:

* raw:  the rows, already converted to stored form, written with one `UNWIND` statement per batch
        (cypher/bench/raw_*.cypher) through the falkordb client: no validation, no matching,
        no idempotency bookkeeping, no requalification.
* api:  the same rows as JSON through `POST /v1/{accounts,contacts,leads,activities}` of a
        `graphsvc serve` child process: validation, domain matching, idempotency, and the
        requalification of the touched accounts that every activity batch triggers.

    python bench/ingest.py --accounts 10000            # 100k contacts, 1M activities
    python bench/ingest.py --accounts 500 --batch 2000 # a quick look

Prints rows/s for each side and kind, and the ratio api / raw.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Server, progress, say  # noqa: E402

from graphsvc.store import queries  # noqa: E402
from graphsvc.store.embedded import EmbeddedFalkorDB  # noqa: E402
from graphsvc.store.falkordb_executor import FalkorDBExecutor  # noqa: E402
from graphsvc.store.graph_store import GraphStore  # noqa: E402
from seeds.generator import generate  # noqa: E402

KINDS = ("accounts", "contacts", "leads", "activities")


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


def run_raw(data: dict[str, list[dict]], batch: int, workdir: Path) -> dict[str, float]:
    server = EmbeddedFalkorDB(workdir / "raw").start()
    try:
        executor = FalkorDBExecutor("127.0.0.1", server.port, "graphsvc")
        GraphStore(executor).apply_schema()
        server.compact()
        out = {}
        for kind in KINDS:
            stored = raw_rows(kind, data[kind])
            text = queries.get(f"bench/raw_{kind}").text
            started = time.perf_counter()
            done = 0
            for chunk in batches(stored, batch):
                executor.write(text, {"rows": chunk})
                done += len(chunk)
                progress(f"raw {kind}", done, len(stored), started)
            out[kind] = time.perf_counter() - started
        return out
    finally:
        server.stop()


def run_api(data: dict[str, list[dict]], batch: int, workdir: Path, clients: int, workers: int) -> dict[str, float]:
    """`clients` batches in flight at once (kinds stay in order: contacts only after accounts)."""
    server = Server(workdir / f"api-{clients}", workers=workers)
    out = {}
    try:
        with httpx.Client(base_url=server.url, timeout=600, limits=httpx.Limits(max_connections=clients)) as client:

            def send(kind: str, chunk: list[dict]) -> int:
                body = orjson.dumps({kind: chunk})
                r = client.post(f"/v1/{kind}", content=body, headers={"Content-Type": "application/json"})
                if r.status_code != 200:
                    raise SystemExit(f"{kind}: HTTP {r.status_code}: {r.text[:2000]}")
                return len(chunk)

            with ThreadPoolExecutor(max_workers=clients) as pool:
                for kind in KINDS:
                    rows = data[kind]
                    started = time.perf_counter()
                    done = 0
                    # contacts name managers from earlier batches: send those in order, one at a time
                    width = 1 if kind == "contacts" else clients
                    chunks = list(batches(rows, batch))
                    for i in range(0, len(chunks), width):
                        for n in pool.map(lambda c: send(kind, c), chunks[i:i + width]):
                            done += n
                        progress(f"api x{clients} {kind}", done, len(rows), started)
                    out[kind] = time.perf_counter() - started
    finally:
        server.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=5_000, help="rows per batch, both sides")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 2],
                    help="API runs with this many batches in flight (default: 1 and 2)")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of the API server")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the data here (default: a temp dir)")
    args = ap.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    say(f"generating {args.accounts:,} accounts (seed {args.seed}) ...")
    started = time.perf_counter()
    # as_of = now, so no activity is "in the future" for the API and decay is realistic
    ds = generate(accounts=args.accounts, seed=args.seed, as_of=datetime.now(timezone.utc))
    data = {k: list(getattr(ds, k)) for k in KINDS}
    say(f"  {', '.join(f'{len(v):,} {k}' for k, v in data.items())} in {time.perf_counter() - started:.1f} s")

    raw = run_raw(data, args.batch, workdir)
    apis = {c: run_api(data, args.batch, workdir, c, args.workers) for c in args.clients}

    total_rows = sum(len(v) for v in data.values())
    raw_t = sum(raw.values())
    for clients, api in apis.items():
        say(f"\nAPI ({args.workers} worker(s)) with {clients} batch(es) in flight vs raw (one UNWIND per batch, "
            f"sequential); batch {args.batch:,}")
        say(f"{'kind':<12}{'rows':>12}{'raw rows/s':>14}{'api rows/s':>14}{'api/raw':>10}")
        for kind in KINDS:
            n = len(data[kind])
            say(f"{kind:<12}{n:>12,}{n / raw[kind]:>14,.0f}{n / api[kind]:>14,.0f}{raw[kind] / api[kind]:>10.2f}")
        api_t = sum(api.values())
        say(f"{'all':<12}{total_rows:>12,}{total_rows / raw_t:>14,.0f}{total_rows / api_t:>14,.0f}{raw_t / api_t:>10.2f}")
        say(f"raw {raw_t:.1f} s, api {api_t:.1f} s")
    say(f"\ndata in {workdir}")


if __name__ == "__main__":
    main()
