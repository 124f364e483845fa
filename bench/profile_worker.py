"""Where an API worker's time goes under load: py-spy on every worker while wrk runs the board or
readiness (the loads of serve_ab.py), then the functions by share of the samples.

py-spy samples each worker's threads `--rate` times a second; with `--gil` (the default) only the
thread holding the GIL, i.e. the Python work, without the threads waiting on the engine or a lock.
A thread that wakes another (a lock's release, a socket write) and is then descheduled still holds
the GIL, so those frames count waiting as well as work on a saturated machine. The service's CPU per
request is serve_ab.py's to measure; this says which functions to look at.

    python bench/profile_worker.py --data /work/bdata100k/falkordb --paths board
    python bench/profile_worker.py --data /work/bdata10k/falkordb --paths readiness --workers 2 --top 60
    python bench/profile_worker.py --engine neo4j --data /work/bdata10k/neo4j --paths board

One worker by default (serve_ab.py serves two): its samples are the whole service's. `--data` is a
`graphsvc serve --data-dir` of the embedded FalkorDB, or with `--engine neo4j`
bench/qualification.py's `<data-dir>/neo4j` (served by a Neo4j of tools/neo4j); it is copied, never
served itself. Needs wrk (`apt-get install wrk`) and py-spy (`pip install py-spy`, not a dependency of
graphsvc); as root or with ptrace allowed. The raw samples stay in `--out` (flamegraph.pl reads
them; by default bench-out/, which git ignores).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import Engine, Server, descendants, note, run_wrk, say, wrk_script
from serve_ab import plan, ready, wrk


def frame(text: str) -> str:
    """`function (file.py:line)` without the line: one entry per function."""
    name, _, where = text.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


def shares(raw_files: list[Path]) -> tuple[int, collections.Counter[str], collections.Counter[str]]:
    """Samples, and per function its samples anywhere in the stack (inclusive) and at its top (self)."""
    total, inclusive, own = 0, collections.Counter[str](), collections.Counter[str]()
    for path in raw_files:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            n = int(count)
            frames = [frame(f) for f in stack.split(";")]
            total += n
            inclusive.update(dict.fromkeys(set(frames), n))
            own[frames[-1]] += n
    return total, inclusive, own


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("falkordb", "neo4j"), default="falkordb")
    ap.add_argument("--data", type=Path, required=True,
                    help="falkordb: an embedded FalkorDB data dir; neo4j: a qualification.py <data-dir>/neo4j (copied)")
    ap.add_argument("--paths", choices=("readiness", "board"), default="board")
    ap.add_argument("--workers", type=int, default=1, help="API worker processes (each profiled)")
    ap.add_argument("--clients", type=int, default=8, help="wrk connections (closed loop)")
    ap.add_argument("--seconds", type=int, default=20, help="of the profiled wrk run")
    ap.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    ap.add_argument("--all-threads", action="store_true", help="sample every thread, not only the GIL's holder")
    ap.add_argument("--top", type=int, default=45, help="functions listed per table")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "bench-out" / "profile-worker",
                    help="directory for py-spy's raw samples")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    beside = Path(sys.executable).with_name("py-spy")  # installed in this venv, not activated
    py_spy = shutil.which("py-spy") or (str(beside) if beside.exists() else None)
    if py_spy is None:
        raise SystemExit("py-spy is needed (pip install py-spy)")
    inner = "falkordb" if args.engine == "falkordb" else "graph"
    if not (args.data / inner).is_dir():
        raise SystemExit(f"{args.data} is not a {args.engine} data dir (no {args.data / inner})")
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="graphsvc-profile-"))
    server, neo4j, spies = None, None, []
    try:
        note(f"copying {args.data} ...")
        shutil.copytree(args.data, tmp / args.engine)
        if args.engine == "neo4j":
            neo4j = Engine("neo4j", tmp / "neo4j", "2g", "2g").start()  # serve_ab.py's sizes
            (tmp / "data").mkdir()
            server = Server(tmp / "data", {"GRAPHSVC_STORE": neo4j.store_url or ""}, args.workers)
        else:
            server = Server(tmp / "falkordb", None, args.workers)
        paths = plan(server.url, args.paths)
        script = wrk_script(paths, tmp)
        for path in sorted(set(paths))[:100]:  # warm (caches, floors, statements), each answering 200
            ready(server, path)
        run_wrk(server.url, script, args.clients, 5)
        below = [p for p, name in descendants(server.proc.pid) if "redis" not in name]
        workers = below or [server.proc.pid]  # one worker: the server process serves itself
        note(f"profiling workers {workers} for {args.seconds} s under {args.clients} connections ...")
        raws = [args.out / f"{args.paths}-{pid}.txt" for pid in workers]
        spies = [subprocess.Popen([py_spy, "record", "-p", str(pid), "-d", str(args.seconds), "-r", str(args.rate),
                                   "-f", "raw", "-o", str(raw), "--nonblocking",
                                   *([] if args.all_threads else ["--gil"])],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for pid, raw in zip(workers, raws)]
        run = wrk(server, script, paths, args.clients, args.seconds)  # exits on an answer that is not 2xx
        for spy in spies:
            spy.wait(timeout=args.seconds + 60)
        say(f"{args.paths}: {run['req/s']:.0f} req/s, p50 {run['p50']:.1f} ms, p99 {run['p99']:.1f} ms "
            f"(py-spy attached: slower than unprofiled)")
        total, inclusive, own = shares([r for r in raws if r.exists()])
        if not total:
            raise SystemExit("py-spy wrote no samples (ptrace not allowed?)")
        for title, counts in (("in the stack (inclusive)", inclusive), ("at the top of the stack (self)", own)):
            say(f"\n{total} samples; functions by share {title}:")
            for name, n in counts.most_common(args.top):
                say(f"  {100 * n / total:5.1f} %  {name}")
        say(f"\nraw samples: {', '.join(map(str, raws))}")
    finally:
        for spy in spies:
            if spy.poll() is None:
                spy.kill()
        if server is not None:
            server.stop()
        if neo4j is not None:
            neo4j.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
