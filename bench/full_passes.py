"""Full requalification passes back to back on an existing embedded FalkorDB, counting the passes that
crashed the engine (issue 10: FalkorDB 4.16 died of signal 11 in GraphBLAS, FalkorDB #1240, in three
of about eleven 100k passes over two processes with two engine threads; docs/benchmarks.md).

This process owns the engine (as `graphsvc serve` does) and its watchdog restarts a crashed one; a
pass during which the engine's pid changed counts as a crash, and the next pass waits until the
restarted engine answers. Per pass: wall time, the pass's outcome, crashed or not.

    cd bench && python full_passes.py --data-dir /work/bdata100k --processes 2 --passes 8

`--data-dir` is a directory bench/qualification.py loaded (the engine's files in `<dir>/falkordb`).
Lines on stdout as the passes go, the tally last.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from _common import Engine, note

from graphsvc.errors import GraphsvcError, StoreUnavailable
from graphsvc.qualification.parallel import requalify_all
from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService


def _wait_for_engine(store, timeout_s: float = 1800) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            store.ping()
            return
        except StoreUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(5)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True, help="a directory bench/qualification.py loaded")
    ap.add_argument("--processes", type=int, default=2, help="worker processes per pass (default 2)")
    ap.add_argument("--passes", type=int, default=8, help="passes to run (default 8)")
    args = ap.parse_args()
    engine = Engine("falkordb", args.data_dir / "falkordb")
    started = time.monotonic()
    opened = engine.open()
    server = opened.server
    assert server is not None, "an embedded FalkorDB: this process must own the engine"
    print(f"engine up in {time.monotonic() - started:.1f} s (threads: "
          f"{os.environ.get('GRAPHSVC_EMBEDDED_THREADS', 'one per core')})", flush=True)
    crashes = 0
    try:
        for n in range(1, args.passes + 1):
            pid = server.pid
            t0 = time.monotonic()
            try:
                service = QualificationService(opened.store, active_ruleset_for(opened.store))
                outcome = f"ok, {requalify_all(service, time.time(), processes=args.processes)['accounts']:,} accounts"
            except GraphsvcError as exc:
                outcome = f"failed: {exc.message}"
            crashed = server.pid != pid
            crashes += crashed
            print(f"pass {n}: {time.monotonic() - t0:.1f} s, {outcome}, engine crashed: {'yes' if crashed else 'no'}",
                  flush=True)
            if crashed:
                note("  waiting for the restarted engine ...")
                _wait_for_engine(opened.store)
    finally:
        opened.close()
    print(f"{crashes} of {args.passes} passes crashed the engine ({args.processes} processes)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
