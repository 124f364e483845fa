"""Ingest latency with and without webhooks whose receivers are dead, failing or hanging (issue 12).

A `graphsvc serve` child on each engine. Phase A: no webhook. Phase B: the same requests with one
webhook to a healthy receiver (the cost of delivering at all). Phase C: plus three webhooks whose
receivers never answer (hang), answer 500, or do not exist (nothing listens on the port). Every request writes events (an owner change: one
owner_assigned event each) or is ingest (a batch of account upserts); the script prints the median
and p95 latency of both phases and their ratio, and how far the healthy receiver lagged behind.

    python bench/events_dead_receiver.py [--engine falkordb neo4j] [--requests 300]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from _common import ENGINES, Engine, note, table


class Healthy(BaseHTTPRequestHandler):
    ids: list[int] = []
    lags: list[float] = []

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Healthy.ids.append(int(self.headers["X-Graphsvc-Event-Id"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Failing(Healthy):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()


def serve(handler) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/hook"


def hanging() -> tuple[socket.socket, str]:
    """Accepts connections (the kernel's backlog) and never reads or answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1024)
    return s, f"http://127.0.0.1:{s.getsockname()[1]}/hook"


def closed_port() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/hook"


def measure(http: httpx.Client, n: int, offset: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"owner change (1 event)": [], "ingest 50 accounts": []}
    for i in range(n):
        t = time.perf_counter()
        r = http.put(f"/v1/accounts/a{i % 50}/owner", json={"owner": f"rep{offset + i}", "actor": "bench"})
        out["owner change (1 event)"].append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
        t = time.perf_counter()
        r = http.post("/v1/accounts", json={"accounts": [
            {"id": f"x{offset + i}-{k}", "name": f"X {offset + i} {k}"} for k in range(50)]})
        out["ingest 50 accounts"].append(time.perf_counter() - t)
        assert r.status_code == 200, r.text
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


def run(engine: str, n: int, home: Path) -> list[list[str]]:
    rows = []
    with Engine(engine, home) as eng:
        server = eng.serve()
        try:
            http = httpx.Client(base_url=server.url, timeout=60)
            http.post("/v1/accounts", json={"accounts": [{"id": f"a{i}", "name": f"A{i}"} for i in range(50)]})
            note(f"{engine}: phase A, no webhook, {n} x 2 requests")
            before = measure(http, n, 0)
            healthy, healthy_url = serve(Healthy)
            assert http.post("/v1/webhooks", json={"url": healthy_url}).status_code == 201
            note(f"{engine}: phase B, one webhook to a healthy receiver")
            one = measure(http, n, 100_000)
            hang_sock, hang_url = hanging()
            failing, failing_url = serve(Failing)
            for url in (hang_url, failing_url, closed_port()):
                assert http.post("/v1/webhooks", json={"url": url}).status_code == 201
            note(f"{engine}: phase C, plus webhooks to a hanging, a failing and a dead receiver")
            after = measure(http, n, 200_000)
            last = http.get("/v1/events", params={"limit": 1}).json()["last_id"]
            started = time.perf_counter()
            while (max(Healthy.ids) if Healthy.ids else 0) < last and time.perf_counter() - started < 60:
                time.sleep(0.05)
            lag = time.perf_counter() - started
            note(f"{engine}: healthy receiver got {len(set(Healthy.ids))} events; caught up {lag:.2f} s after "
                 f"the last request")
            for kind in before:
                a, b, c = before[kind], one[kind], after[kind]
                rows.append([engine, kind, *(f"{statistics.median(x) * 1000:.1f} / {p95(x) * 1000:.0f}" for x in (a, b, c)),
                             f"{statistics.median(c) / statistics.median(b):.2f}"])
            rows.append([engine, "healthy receiver caught up after the last request (ms)", "", "", f"{lag * 1000:.0f}",
                         ""])
            hang_sock.close()
            failing.shutdown()
            healthy.shutdown()
            Healthy.ids.clear()
        finally:
            server.stop()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=["falkordb"])
    ap.add_argument("--requests", type=int, default=300, help="requests of each kind per phase")
    args = ap.parse_args()
    rows = []
    for engine in args.engine:
        with tempfile.TemporaryDirectory(prefix=f"bench-events-{engine}-") as tmp:
            rows += run(engine, args.requests, Path(tmp) / "home")
    table("Request latency, median / p95 (ms): no webhook; one healthy webhook; plus a hanging, a failing (500) and a "
          "dead receiver. Ratio: the last over the healthy-only median",
          ["engine", "request", "no webhook", "healthy webhook", "+ 3 bad receivers", "ratio"], rows)


if __name__ == "__main__":
    main()
