"""Readiness latency while analysts run heavy queries: the analysts' lane on and off, both engines.

A `graphsvc serve --demo` child process per engine and setting; one client asks for the readiness
of the demo accounts in a loop (sequential requests), first alone, then while `--analysts`
threads keep heavy ad-hoc queries running (each one runs until its 10 s timeout). Two settings:

* lane:    GRAPHSVC_ANALYST_CONCURRENCY=1 (the default): one analyst query at a time; the others
           wait within their own timeout.
* no lane: GRAPHSVC_ANALYST_CONCURRENCY=64: every analyst query goes straight to the engine (how
           the service behaved before the lane).

    python bench/analyst_lane.py                          # both engines, 4 analysts, 20 s each
    python bench/analyst_lane.py --engine falkordb --seconds 10

Prints readiness p50 / p99 / max (client time; server time from Server-Timing) per case, and the
analysts' answers (408 after their timeout is what they should get).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools" / "neo4j"))

from _common import ENGINES, Engine, Server, note, server_timing, table  # noqa: E402

HEAVY = "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*) AS n"
ACCOUNTS = ("acc-brenner", "acc-lumetra", "acc-castellan", "acc-nordwerk")


def _readiness(url: str, seconds: float) -> tuple[list[float], list[float], int]:
    client_ms, server_ms, errors = [], [], 0
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=120) as c:
        i = 0
        while time.monotonic() < deadline:
            t = time.perf_counter()
            r = c.get(f"/v1/accounts/{ACCOUNTS[i % len(ACCOUNTS)]}/readiness")
            client_ms.append((time.perf_counter() - t) * 1000)
            server_ms.append(server_timing(r.headers.get("server-timing")).get("app", 0.0))
            errors += r.status_code != 200
            i += 1
    return client_ms, server_ms, errors


def _analysts(url: str, n: int, stop: threading.Event, answers: list) -> list[threading.Thread]:
    def loop() -> None:
        with httpx.Client(base_url=url, timeout=120) as c:
            while not stop.is_set():
                answers.append(c.post("/v1/cypher", json={"query": HEAVY}).status_code)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def _row(engine: str, case: str, sample: tuple[list[float], list[float], int], analyst_answers: str) -> list[str]:
    client, server, errors = sample
    # With the analysts starving it, readiness may answer only once or twice in the whole sample.
    q = statistics.quantiles(client, n=100) if len(client) > 1 else client * 99
    s = statistics.quantiles(server, n=100) if len(server) > 1 else server * 99
    return [engine, case, f"{len(client):,}", f"{q[49]:.1f}", f"{q[98]:.1f}", f"{max(client):.1f}",
            f"{s[49]:.1f}", f"{s[98]:.1f}", str(errors), analyst_answers]


def run(engine_name: str, home: Path, analysts: int, seconds: float) -> list[list[str]]:
    rows = []
    with Engine(engine_name, home) as engine:
        for case, width in (("lane (1 at a time)", "1"), ("no lane", "64")):
            env = {"GRAPHSVC_STORE": engine.store_url or "", "GRAPHSVC_ANALYST_CONCURRENCY": width,
                   "GRAPHSVC_QUERY_TIMEOUT_S": "10", "GRAPHSVC_REQUALIFY_INTERVAL_S": "0"}
            server = Server(home, env, 1, "--demo", "--no-access-log")
            try:
                if not rows:
                    note(f"{engine_name}: readiness alone for {seconds:g} s ...")
                    rows.append(_row(engine_name, "alone", _readiness(server.url, seconds), "–"))
                stop, answers = threading.Event(), []
                threads = _analysts(server.url, analysts, stop, answers)
                time.sleep(1.0)  # let them reach the engine
                note(f"{engine_name}, {case}: readiness with {analysts} heavy analyst queries for {seconds:g} s ...")
                sample = _readiness(server.url, seconds)
                stop.set()
                for t in threads:
                    t.join(60)
                counts = {code: answers.count(code) for code in sorted(set(answers))}
                rows.append(_row(engine_name, f"{analysts} analysts, {case}", sample,
                                 ", ".join(f"{n}×{code}" for code, n in counts.items())))
            finally:
                server.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--analysts", type=int, default=4, help="threads running heavy ad-hoc queries")
    ap.add_argument("--seconds", type=float, default=20.0, help="readiness sampling time per case")
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="graphsvc-lane-"))
    rows = []
    for name in args.engine:
        rows += run(name, workdir / name, args.analysts, args.seconds)
    table(f"Readiness (demo accounts, one sequential client) while {args.analysts} analysts run heavy queries "
          "(10 s timeout); ms",
          ["engine", "case", "requests", "p50", "p99", "max", "server p50", "server p99", "errors",
           "analyst answers"], rows)


if __name__ == "__main__":
    main()
