"""Shared bits of the benchmark scripts: the engines under test, a graphsvc server in a child
process, timing, output (progress on stderr, results on stdout)."""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools" / "neo4j"))

from graphsvc.config import Settings  # noqa: E402
from graphsvc.store.factory import OpenStore, open_store  # noqa: E402
from seeds.progress import LOG_INTERVAL_S, is_terminal  # noqa: E402

ENGINES = ("falkordb", "neo4j")
KINDS = ("accounts", "contacts", "leads", "activities")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """One engine's database for one benchmark side, owning the directory `home`.

    falkordb: the embedded FalkorDB (AOF, appendfsync always) in `home`, started by whoever opens
              it (`open()` in this process, or the `graphsvc serve` child).
    neo4j:    a Neo4j 5.26 from tools/neo4j with its files in `home/graph`, running from `start()`
              to `stop()`; the store and the server reach it over Bolt.
    A new `home` is a new, empty database; an existing one is reused as it is.
    """

    def __init__(self, name: str, home: Path, neo4j_heap: str = "2g", neo4j_page_cache: str = "1g",
                 jvm_options: list[str] | None = None) -> None:
        if name not in ENGINES:
            raise SystemExit(f"unknown engine {name!r}: expected one of {', '.join(ENGINES)}")
        self.name, self.home = name, home
        self.heap, self.page_cache, self.jvm_options = neo4j_heap, neo4j_page_cache, jvm_options
        self.neo4j = None

    def start(self) -> Engine:
        self.home.mkdir(parents=True, exist_ok=True)
        if self.name == "neo4j":
            from launcher import Neo4jServer

            note(f"  starting Neo4j in {self.home / 'graph'} (heap {self.heap}, page cache {self.page_cache}) ...")
            self.neo4j = Neo4jServer(self.home / "graph", heap=self.heap, page_cache=self.page_cache,
                                     jvm_options=self.jvm_options).start()
        return self

    def stop(self) -> None:
        if self.neo4j is not None:
            self.neo4j.stop()
            self.neo4j = None

    def __enter__(self) -> Engine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def store_url(self) -> str | None:
        """GRAPHSVC_STORE for this engine (None: the embedded FalkorDB in `home`)."""
        return self.neo4j.uri if self.neo4j is not None else None

    def open(self) -> OpenStore:
        """A GraphStore on this engine in this process, schema applied."""
        return open_store(Settings(data_dir=self.home, store=self.store_url))

    def serve(self, workers: int = 1, env: dict[str, str] | None = None) -> Server:
        return Server(self.home, {"GRAPHSVC_STORE": self.store_url or "", **(env or {})}, workers)


class Server:
    """`graphsvc serve` as a child process: on the embedded store in `data_dir`, or on the engine
    that `GRAPHSVC_STORE` in `extra_env` names; run by `python` (another revision's: serve_ab.py)."""

    def __init__(self, data_dir: Path, extra_env: dict | None = None, workers: int = 1, *args: str,
                 python: str = sys.executable) -> None:
        self.port = free_port()
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w")  # noqa: SIM115
        env = {**os.environ, "GRAPHSVC_STORE": "", **(extra_env or {})}
        self.proc = subprocess.Popen(
            [python, "-m", "graphsvc.cli", "serve", "--port", str(self.port), "--data-dir", str(data_dir),
             "--workers", str(workers), *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited; see {self.log.name}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit("server did not become healthy")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, stat: str | None = None) -> float:
    """User + system CPU seconds of a process, all its threads, also those that ended (0 when it is
    gone); of one thread with `stat` = /proc/<pid>/task/<tid>/stat."""
    try:
        with open(stat or f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def main_thread_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process's main thread alone (an API worker's: uvicorn's event
    loop, where HTTP parsing, middleware, routing, FastAPI's dependency solving and sending run; the
    routes themselves run in its other threads)."""
    return cpu_seconds(pid, f"/proc/{pid}/task/{pid}/stat")


def account_ids(url: str) -> list[str]:
    """Every account id a running service holds, paged through the board."""
    ids: list[str] = []
    cursor = None
    with httpx.Client(base_url=url, timeout=60) as c:
        while True:
            page = c.get("/v1/accounts", params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
            ids += [i["id"] for i in page["items"]]
            if not (cursor := page["next_cursor"]):
                return ids


def server_timing(header: str | None) -> dict[str, float]:
    """`Server-Timing: app;dur=12.30, engine;dur=4.10` as {"app": 12.3, "engine": 4.1} (ms); a
    metric the server did not send is absent."""
    out: dict[str, float] = {}
    for metric in (header or "").split(","):
        name, _, rest = metric.strip().partition(";")
        if rest.startswith("dur="):
            out[name] = float(rest[4:])
    return out


def wrk_script(paths: list[str], directory: Path) -> Path:
    """wrk's Lua script: each request takes a random path of `paths` (seeded, so runs repeat)."""
    script = directory / "paths.lua"
    script.write_text("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\nmath.randomseed(7)\n"
                      'request = function()\n  return wrk.format("GET", paths[math.random(#paths)])\nend\n')
    return script


def run_wrk(url: str, script: Path, clients: int, seconds: int) -> dict:
    """wrk (C, 2 threads) with `clients` connections in a closed loop (each sends its next request
    when answered): its text and the numbers in it. Latencies as wrk prints them (`p50` ...) and in
    ms (`p50 ms` ...)."""
    out = subprocess.run(["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script),
                          url], capture_output=True, text=True, check=True).stdout
    dist = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"text": out, "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "req/s": float(re.search(r"Requests/sec:\s+(\S+)", out).group(1)),
            "non-2xx": int(errors.group(1)) if errors else 0,
            **{f"p{q}": dist.get(q) for q in ("50", "90", "99")},
            **{f"p{q} ms": _ms(v) for q, v in dist.items()}}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of every process below `pid`."""
    parent: dict[int, list[tuple[int, str]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    text = f.read()
            except OSError:
                continue
            name = text[text.index("(") + 1:text.rindex(")")]
            parent.setdefault(int(text.rsplit(")", 1)[1].split()[1]), []).append((int(entry), name))
    out, todo = [], [pid]
    while todo:
        for child in parent.get(todo.pop(), []):
            out.append(child)
            todo.append(child[0])
    return out


class CpuMeter:
    """CPU seconds of the bench process ("client"), of the service's processes ("service": a
    `graphsvc serve` child and its workers) and of the engine ("engine": the embedded FalkorDB,
    wherever it runs, or Neo4j's JVM), so a shared machine's wall time can be told from work."""

    def __init__(self, engine: Engine, server: Server | None = None, opened: OpenStore | None = None) -> None:
        self.engine, self.server, self.opened = engine, server, opened

    def _pids(self) -> dict[str, list[int]]:
        engine: list[int] = []
        service: list[int] = []
        if self.engine.neo4j is not None and self.engine.neo4j.process is not None:
            engine.append(self.engine.neo4j.process.pid)
        if self.opened is not None and self.opened.server is not None and self.opened.server.pid:
            engine.append(self.opened.server.pid)
        if self.server is not None:
            service.append(self.server.proc.pid)
            for pid, name in descendants(self.server.proc.pid):
                (engine if "redis" in name or "falkor" in name else service).append(pid)
        return {"engine": engine, "service": service}

    def read(self) -> dict[str, float]:
        pids = self._pids()
        return {"client": time.process_time(), **{k: sum(map(cpu_seconds, v)) for k, v in pids.items()},
                "service event loops": sum(map(main_thread_cpu_seconds, pids["service"]))}

    @staticmethod
    def since(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {k: after[k] - before.get(k, 0.0) for k in after}


def generate_dataset(accounts: int, seed: int) -> dict[str, list[dict]]:
    """The seeds generator's dataset, once per invocation, so every engine gets the same rows."""
    from seeds.generator import generate

    note(f"generating {accounts:,} accounts (seed {seed}) ...")
    started = time.perf_counter()
    # as_of = now, so no activity is "in the future" for the API and decay is realistic
    ds = generate(accounts=accounts, seed=seed, as_of=datetime.now(UTC))
    data = {k: list(getattr(ds, k)) for k in KINDS}
    note(f"  {', '.join(f'{len(v):,} {k}' for k, v in data.items())} in {time.perf_counter() - started:.1f} s")
    return data


def say(*parts: object) -> None:
    """A result line (stdout)."""
    print(*parts, flush=True)


def note(*parts: object) -> None:
    """A progress line (stderr)."""
    print(*parts, file=sys.stderr, flush=True)


_last_line: dict[str, float] = {}  # label -> when progress last wrote a line (not a terminal)


def progress(label: str, done: int, total: int, started: float) -> None:
    """Rows done of `total`: one line rewritten in place on a terminal; into a log, a line every
    LOG_INTERVAL_S seconds and the last one (not every update run together into one line)."""
    rate = done / max(time.perf_counter() - started, 1e-9)
    text = f"  {label:<24} {done:>10,}/{total:<10,} {rate:>10,.0f} rows/s"
    if is_terminal(sys.stderr):
        print("\r" + text, end="\n" if done >= total else "", file=sys.stderr, flush=True)
        return
    now = time.monotonic()
    if done >= total or now - _last_line.get(label, 0.0) >= LOG_INTERVAL_S:
        _last_line[label] = now
        print(text, file=sys.stderr, flush=True)


def median_ms(call: Callable[[], Any], n: int) -> tuple[float, Any]:
    """`call()` n times: the median wall time in ms, and the last answer."""
    times, out = [], None
    for _ in range(n):
        start = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, out


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """A Markdown table on stdout (pastes straight into docs/benchmarks.md)."""
    say(f"\n{title}\n")
    say("| " + " | ".join(header) + " |")
    say("| --- |" + " ---: |" * (len(header) - 1))
    for row in rows:
        say("| " + " | ".join(row) + " |")


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "–"
