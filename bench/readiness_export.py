"""The readiness export in this process vs over worker processes, on a database an earlier run
loaded, alternating in one engine session; the files are compared (one `now` for all runs).

    cd bench && python readiness_export.py --engine falkordb --home /work/bdata100k/falkordb --order 1,2,1,2
    cd bench && python readiness_export.py --engine neo4j --home /work/bdata10k/neo4j

`--home` is an engine's directory as bench/qualification.py leaves it (`<data dir>/<engine>`).
Per run: wall time, this process's CPU, the workers' CPU (children that ended); last, whether every
run wrote the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import tempfile
import time
from pathlib import Path

from _common import ENGINES, Engine

from graphsvc.gc_tuning import tune_collector
from graphsvc.imports import export
from graphsvc.qualification.registry import active_ruleset_for


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", choices=ENGINES, default="falkordb")
    ap.add_argument("--home", type=Path, required=True, help="the engine's directory of a loaded database")
    ap.add_argument("--order", default="1,2,1,2", help="processes per run, in order (default 1,2,1,2)")
    ap.add_argument("--format", choices=export.FORMATS, default="csv")
    args = ap.parse_args()
    engine = Engine(args.engine, args.home).start()
    opened = engine.open()
    digests = set()
    try:
        tune_collector()  # as the CLI and the service do: without it the collector distorts the timing
        ruleset, now = active_ruleset_for(opened.store), time.time()
        with tempfile.TemporaryDirectory() as tmp:
            for n, processes in enumerate(int(p) for p in args.order.split(",")):
                path = Path(tmp) / f"readiness-{n}.{args.format}"
                wall, cpu, kids = time.perf_counter(), time.process_time(), _children_cpu()
                with path.open("wb") as out:
                    rows = export.write(opened.store, "readiness", args.format, out, ruleset=ruleset, now=now,
                                        processes=processes)
                print(f"readiness {args.format}, processes={processes}: {rows:,} rows in "
                      f"{time.perf_counter() - wall:.1f} s; CPU here {time.process_time() - cpu:.1f} s, "
                      f"workers {_children_cpu() - kids:.1f} s", flush=True)
                if args.format == "csv":  # an XLSX carries its writing time: compare CSVs only
                    digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    finally:
        opened.close()
        engine.stop()
    if digests:
        print("every run wrote the same file:", "yes" if len(digests) == 1 else f"NO ({len(digests)} different)")


if __name__ == "__main__":
    main()
