"""Neo4j's JVM flags against readiness latency: one Neo4j database served under each variant's flags,
in interleaved rounds, with the JVM's own pauses (gc.log) counted in the measured window.

Per round and variant: start Neo4j on the data with the variant's flags, `graphsvc serve` on it,
call every distinct path once and run wrk for a warm-up (not counted), then wrk for `--seconds`
(closed loop, `--clients` connections, random readiness paths). Printed per variant, medians over
the rounds: req/s, wrk p50 and p99, and the JVM's stop-the-world time in the window from its
safepoint log (every pause: collections and others), with the longest pause.

    python bench/neo4j_jvm.py --data /work/bdata10k/neo4j --rounds 3 --seconds 15
    python bench/neo4j_jvm.py --data DIR --variant default= --variant fixed-heap="-Xms2g -XX:+AlwaysPreTouch"

`--data` is a directory bench/qualification.py loaded (<dir> holding `graph`). Each variant's flags
come after the launcher's (`-Xmx<heap> -XX:+UseG1GC`), so a later flag wins.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import httpx
from _common import CpuMeter, Engine, Server, account_ids, note, run_wrk, say, table, wrk_script

DEFAULT_VARIANTS = {
    "default": "",
    "fixed-heap": "-Xms{heap} -XX:+AlwaysPreTouch",  # Neo4j's advice: initial heap = max heap
}
_SAFEPOINT = re.compile(r'Safepoint "([^"]+)".*Total: (\d+) ns')


def pauses(log: Path, offset: int) -> tuple[list[tuple[str, float]], int]:
    """The safepoints (name, ms) logged after byte `offset` of gc.log, and the new offset."""
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
        end = f.tell()
    return [(m.group(1), int(m.group(2)) / 1e6) for m in _SAFEPOINT.finditer(text)], end


def one_run(home: Path, flags: list[str], args: argparse.Namespace) -> dict[str, float]:
    engine = Engine("neo4j", home, args.heap, args.page_cache, jvm_options=flags)
    scratch = Path(tempfile.mkdtemp(prefix="graphsvc-jvm-"))  # the API's own data dir and its log
    with engine:
        server = Server(scratch / "serve", {"GRAPHSVC_STORE": engine.store_url or ""}, args.workers)
        try:
            ids = account_ids(server.url)
            paths = [f"/v1/accounts/{i}/readiness" for i in ids]
            for path in paths[:50]:  # the statements compiled once (Neo4j plans on first use)
                httpx.get(server.url + path, timeout=120).raise_for_status()
            script = wrk_script(paths, scratch)
            run_wrk(server.url, script, args.clients, args.warm)  # warm-up, not counted
            log = home / "graph" / "gc.log"
            _, offset = pauses(log, 0)
            meter = CpuMeter(engine, server)
            before = meter.read()
            run = run_wrk(server.url, script, args.clients, args.seconds)
            cpu = CpuMeter.since(before, meter.read())
            stops, _ = pauses(log, offset)
        finally:
            server.stop()
            shutil.rmtree(scratch, ignore_errors=True)
    ms = [p for _, p in stops]
    return {"req/s": run["req/s"], "p50": run["p50 ms"], "p99": run["p99 ms"], "non-2xx": run["non-2xx"],
            "pauses": len(ms), "paused ms": sum(ms), "longest ms": max(ms, default=0.0),
            "engine cpu": 1000 * cpu["engine"] / max(run["requests"], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="a loaded Neo4j bench directory (holding `graph`)")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=FLAGS",
                    help="JVM flags to compare ({heap} is replaced by --heap); default: "
                         + "; ".join(f"{k}: {v or '(none)'}" for k, v in DEFAULT_VARIANTS.items()))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--warm", type=int, default=10, help="seconds of wrk before each measured run")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--page-cache", default="1g")
    args = ap.parse_args()
    if not (args.data / "graph").is_dir():
        sys.exit(f"error: {args.data} holds no Neo4j database (expected {args.data / 'graph'})")
    variants = dict(v.split("=", 1) for v in args.variant) if args.variant else DEFAULT_VARIANTS
    flags = {k: shlex.split(v.format(heap=args.heap)) for k, v in variants.items()}
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in flags}
    for r in range(args.rounds):
        for name in (list(flags) if r % 2 == 0 else list(reversed(flags))):
            x = one_run(args.data, flags[name], args)
            runs[name].append(x)
            note(f"  round {r + 1} {name}: {x['req/s']:.0f} req/s, p50 {x['p50']:.1f} ms, p99 {x['p99']:.1f} ms, "
                 f"{x['pauses']:.0f} pauses, {x['paused ms']:.0f} ms paused, longest {x['longest ms']:.1f} ms, "
                 f"non-2xx {x['non-2xx']:.0f}")
    keys = ("req/s", "p50", "p99", "pauses", "paused ms", "longest ms", "engine cpu")
    labels = ("req/s", "wrk p50, ms", "wrk p99, ms", "JVM pauses in the window", "JVM paused, ms", "longest pause, ms",
              "engine CPU ms per request")
    table(f"Neo4j readiness, {args.clients} wrk connections, {args.workers} workers, heap {args.heap}, medians of "
          f"{args.rounds} runs of {args.seconds} s", ["measurement", *flags],
          [[label, *(f"{statistics.median(x[k] for x in runs[n]):.2f}" for n in flags)] for k, label in zip(keys, labels)])
    say("\nflags: " + "; ".join(f"{n}: {' '.join(f) or '(none)'}" for n, f in flags.items()))
    say(f"every run: {runs}")


if __name__ == "__main__":
    main()
