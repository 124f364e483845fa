"""A/B of two revisions of the API under the same load, both running at once.

Sequential A/B runs mislead on a shared 2-core machine: within half an hour the same build served
221 to 474 readiness requests/s, and the engine's CPU for the same work varied 0.58-1.16 ms per
request (docs/benchmarks.md, "Where a request's CPU goes"). This script starts the base revision
and the working tree side by side, each on its own copy of the same embedded FalkorDB data, and
runs wrk against one and then the other, flipping the order every round, so whatever the machine
does hits both alike. It prints every round and then the medians: req/s, p50, p99 (wrk's), and the
CPU per request of the API processes and of the engine.

    python bench/serve_ab.py --base HEAD~1 --data /work/bdata10k/falkordb --paths readiness --rounds 8
    python bench/serve_ab.py --base main --data /work/bdata10k/falkordb --paths board --rounds 8 --clients 1

`--data` is a `graphsvc serve --data-dir` of the embedded FalkorDB (e.g. bench/qualification.py's
`<data-dir>/falkordb`); it is copied, never served itself. The base revision runs from a temporary
git worktree with this environment's packages (a virtual environment whose only entries are the
worktree and this one's site-packages), so both sides run the same dependencies. Needs wrk
(`apt-get install wrk`).

`--engine neo4j`: `--data` is bench/qualification.py's `<data-dir>/neo4j`; it is copied once and
one Neo4j serves both sides (their runs alternate, so each run's engine CPU is its side's alone;
two JVMs would need twice the memory for no gain in fairness).

    python bench/serve_ab.py --base HEAD~1 --engine neo4j --data /work/bdata10k/neo4j --paths readiness
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import httpx
from _common import Engine, Server, account_ids, cpu_seconds, descendants, note, run_wrk, say, table, wrk_script
from qualification import BOARD_SORTS, BOARD_STAGES

ROOT = Path(__file__).resolve().parent.parent


def base_python(rev: str, tmp: Path) -> Path:
    """A Python that imports graphsvc from `rev` (a worktree) and everything else from this venv."""
    tree = tmp / "base"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
    venv = tmp / "venv-base"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    # .pth lines are added in order and the .pth files of a directory added this way are not read,
    # so graphsvc comes from the worktree and not from this venv's editable install.
    (site / "base.pth").write_text(f"{tree}\n{sysconfig.get_paths()['purelib']}\n")
    python = venv / "bin" / "python"
    found = subprocess.run([str(python), "-c", "import graphsvc; print(graphsvc.__file__)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    if not found.startswith(str(tree)):
        raise SystemExit(f"the base revision's Python imports graphsvc from {found}, not from {tree}")
    return python


def plan(url: str, kind: str) -> list[str]:
    if kind == "readiness":
        return [f"/v1/accounts/{i}/readiness" for i in account_ids(url)]
    rng = random.Random(7)
    return [f"/v1/accounts?sort={rng.choice(BOARD_SORTS)}" + (f"&stage={s}" if (s := rng.choice(BOARD_STAGES)) else "")
            for _ in range(1000)]


def wrk(server: Server, script: Path, paths: list[str], clients: int, seconds: int,
        engine_pids: list[int] | None = None) -> dict[str, float]:
    """One wrk run; the engine is the side's embedded FalkorDB (its redis-server) unless `engine_pids`."""
    below = descendants(server.proc.pid)
    engine = engine_pids or [p for p, name in below if "redis" in name]
    service = [server.proc.pid, *(p for p, name in below if "redis" not in name)]

    def cpu() -> tuple[float, float]:
        return sum(map(cpu_seconds, service)), sum(map(cpu_seconds, engine))

    before = cpu()
    run = run_wrk(server.url, script, clients, seconds)
    after = cpu()
    if run["non-2xx"]:
        sample = httpx.get(server.url + paths[0], timeout=60)
        raise SystemExit(f"{run['non-2xx']} answers were not 2xx (one now: {sample.status_code} {sample.text[:300]}); "
                         f"see {server.log.name}:\n{run['text']}")
    if "p99 ms" not in run:
        raise SystemExit(f"wrk printed no latency distribution (every request past its timeout?):\n{run['text']}")
    n = run["requests"]
    return {"req/s": run["req/s"], "p50": run["p50 ms"], "p99": run["p99 ms"],
            "service cpu": 1000 * (after[0] - before[0]) / n, "engine cpu": 1000 * (after[1] - before[1]) / n}


def ready(server: Server, path: str, timeout_s: float = 120) -> None:
    """Until the side answers `path` with 200: a freshly started engine may still be loading."""
    deadline = time.monotonic() + timeout_s
    while (r := httpx.get(server.url + path, timeout=60)).status_code != 200:
        if time.monotonic() > deadline:
            raise SystemExit(f"{server.url}{path} answered {r.status_code} for {timeout_s:g} s: {r.text[:300]}")
        time.sleep(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="git revision of side A (side B is the working tree)")
    ap.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb")
    ap.add_argument("--data", type=Path, required=True,
                    help="falkordb: an embedded FalkorDB data dir, copied for each side; neo4j: a "
                         "qualification.py <data-dir>/neo4j, copied once and shared")
    ap.add_argument("--neo4j-heap", default="2g")
    ap.add_argument("--neo4j-page-cache", default="2g")
    ap.add_argument("--paths", choices=("readiness", "board"), default="readiness",
                    help="readiness of random accounts, or the board's first pages over its sorts and stages")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--seconds", type=int, default=10, help="of each wrk run")
    ap.add_argument("--clients", type=int, default=8, help="wrk connections (closed loop)")
    ap.add_argument("--workers", type=int, default=2, help="API worker processes of each side")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    inner = "falkordb" if args.engine == "falkordb" else "graph"
    if not (args.data / inner).is_dir():
        raise SystemExit(f"{args.data} is not a {args.engine} data dir (no {args.data / inner})")
    tmp = Path(tempfile.mkdtemp(prefix="graphsvc-ab-"))
    servers: dict[str, Server] = {}
    neo4j: Engine | None = None
    engine_pids: list[int] | None = None
    try:
        note(f"side A: {args.base} (worktree in {tmp / 'base'}); side B: the working tree of {ROOT}")
        pythons = {"A": base_python(args.base, tmp), "B": Path(sys.executable)}
        if args.engine == "neo4j":
            note(f"copying {args.data} for the shared Neo4j ...")
            shutil.copytree(args.data, tmp / "neo4j")
            neo4j = Engine("neo4j", tmp / "neo4j", args.neo4j_heap, args.neo4j_page_cache).start()
            assert neo4j.neo4j is not None and neo4j.neo4j.process is not None
            engine_pids = [neo4j.neo4j.process.pid, *(p for p, _ in descendants(neo4j.neo4j.process.pid))]
        for side in "AB":
            if neo4j is None:
                note(f"copying {args.data} for side {side} ...")
                shutil.copytree(args.data, tmp / side / "falkordb")
                servers[side] = Server(tmp / side / "falkordb", None, args.workers, python=str(pythons[side]))
            else:
                (tmp / side / "data").mkdir(parents=True)
                servers[side] = Server(tmp / side / "data", {"GRAPHSVC_STORE": neo4j.store_url or ""}, args.workers,
                                       python=str(pythons[side]))
        paths = plan(servers["B"].url, args.paths)
        script = wrk_script(paths, tmp)
        for side in "AB":  # warm-up, not counted: caches, the board's floors, the thread pools
            ready(servers[side], paths[0])
            for path in sorted(set(paths))[:100]:  # each statement once (Neo4j compiles on first use)
                httpx.get(servers[side].url + path, timeout=120)
            wrk(servers[side], script, paths, args.clients, 5, engine_pids)
        runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
        for r in range(args.rounds):
            for side in ("AB" if r % 2 == 0 else "BA"):
                runs[side].append(wrk(servers[side], script, paths, args.clients, args.seconds, engine_pids))
                x = runs[side][-1]
                note(f"  round {r + 1} {side}: {x['req/s']:.0f} req/s, p50 {x['p50']:.1f} ms, p99 {x['p99']:.1f} ms, "
                     f"CPU ms/request service {x['service cpu']:.2f}, engine {x['engine cpu']:.2f}")
        keys = ("req/s", "p50", "p99", "service cpu", "engine cpu")
        labels = ("req/s", "p50, ms", "p99, ms", "service CPU ms per request", "engine CPU ms per request")
        rows = [[label, *(f"{statistics.median(x[k] for x in runs[s]):.2f}" for s in "AB"),
                 f"{statistics.median(x[k] for x in runs['B']) / statistics.median(x[k] for x in runs['A']):.2f}"]
                for k, label in zip(keys, labels)]
        table(f"{args.engine}, {args.paths}, {args.clients} wrk connections, {args.workers} workers, medians of {args.rounds} "
              f"runs of {args.seconds} s per side", ["measurement", f"A ({args.base})", "B (working tree)", "B / A"], rows)
        say(f"\nevery run: {runs}")
    finally:
        for s in servers.values():
            s.stop()
        if neo4j is not None:
            neo4j.stop()
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tmp / "base")], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
