"""What the activity write statement costs the engine, next to the raw benchmark's statement and any
variants you give: engine CPU per row, on FalkorDB and on Neo4j.

One database per engine: the accounts and contacts are loaded with the raw statements, the engagement
index is built (as `graphsvc serve` does on an empty graph), then the activity batches go, in turn,
to `ingest/create_activities`, `bench/raw_activities` and each `--variant` (batch i to statement
i mod n, so every statement sees the same graph growing). Engine CPU is the engine process's user +
system time around each call (the embedded FalkorDB's redis-server, Neo4j's JVM), which a shared
machine disturbs far less than wall time.

    python bench/ingest_statements.py --accounts 1000
    python bench/ingest_statements.py --accounts 1000 --split       # + the statement without its aggregates
    python bench/ingest_statements.py --accounts 1000 --engine neo4j --variant mine=/tmp/mine.cypher --profile
    python bench/ingest_statements.py --accounts 1000 --batch 5000 --batches 14 --every --variant before=/tmp/old.cypher

A variant is a statement text taking the same parameters as ingest/create_activities (`rows`,
`batch`, `now`); `--profile` prints the engine's profile of one more batch per statement.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from _common import ENGINES, Engine, cpu_seconds, generate_dataset, note, say, table
from ingest import raw_rows

from graphsvc.qualification.registry import active_ruleset_for
from graphsvc.qualification.service import QualificationService
from graphsvc.store import queries


def split_variants(text: str) -> dict[str, str]:
    """ingest/create_activities without its engagement aggregates ("no aggregates": the pending
    marks and the counts stay), and with them computed but not written ("aggregates not written")."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    start = body.index("WITH ix_h, c, row.type AS type")
    write = body.index("FOREACH (_ IN CASE WHEN size(adds) > 0")
    tail = "WITH c, n_new, n_rows\nOPTIONAL MATCH"
    end = body.index(tail)
    return {"no aggregates": body[:start] + "WITH c, sum(CASE WHEN is_new THEN 1 ELSE 0 END) AS n_new, count(*) AS n_rows\n"
            + body[end + len("WITH c, n_new, n_rows\n"):],
            "aggregates not written": body[:write] + body[end:]}


def params(name: str, chunk: list[dict]) -> dict:
    return {"rows": chunk} if name == "raw" else {"rows": chunk, "batch": uuid.uuid4().hex, "now": time.time()}


def profile(engine: Engine, opened, text: str, p: dict) -> str:
    """The engine's profile of one execution, as text."""
    executor = opened.store.executor
    if engine.name == "falkordb":
        from graphsvc.store.falkordb_executor import params_header

        reply = executor._db.connection.execute_command("GRAPH.PROFILE", executor.graph_name,
                                                        params_header(p) + text)
        return "\n".join(x if isinstance(x, str) else x.decode() for x in reply)
    lines: list[str] = []

    def walk(op: dict, depth: int = 0) -> None:
        details = " ".join(str(op.get("args", {}).get("Details", "")).split())[:140]
        lines.append(f"{'  ' * depth}{op['operatorType']} rows={op.get('rows')} dbHits={op.get('dbHits')} {details}")
        for child in op.get("children", []):
            walk(child, depth + 1)

    with executor._driver.session() as session:
        walk(session.run("PROFILE " + text, p).consume().profile)
    return "\n".join(lines)


def run(engine: Engine, data: dict[str, list[dict]], texts: dict[str, str], batch: int, show_profile: bool,
        every: bool = False, limit: int | None = None) -> dict:
    with engine:
        opened = engine.open()
        try:
            pid = engine.neo4j.process.pid if engine.neo4j is not None else opened.server.pid
            executor = opened.store.executor
            for kind in ("accounts", "contacts"):
                executor.write(queries.get(f"bench/raw_{kind}").text, {"rows": raw_rows(kind, data[kind])})
            QualificationService(opened.store, active_ruleset_for(opened.store)).ensure_engagement()
            names = list(texts)
            rows = raw_rows("activities", data["activities"])
            chunks = [rows[i:i + batch] for i in range(0, len(rows), batch)][:limit]
            warm_up = 2 if every else 0  # --every: the first two rounds warm the engine up, uncounted
            spare = chunks[-len(names):] if show_profile else []
            chunks = chunks[:len(chunks) - len(spare)]
            out = {n: {"rows": 0, "wall": 0.0, "cpu": 0.0} for n in names}
            for i, chunk in enumerate(chunks):
                if every:  # each batch to each statement (ids suffixed), in rotating order
                    turn = [(n, [{**r, "id": f"{r['id']}~{n}"} for r in chunk])
                            for n in names[i % len(names):] + names[:i % len(names)]]
                else:
                    turn = [(names[i % len(names)], chunk)]
                for name, sent in turn:
                    cpu, wall = cpu_seconds(pid), time.perf_counter()
                    executor.write(texts[name], params(name, sent))
                    if i >= warm_up:
                        out[name]["wall"] += time.perf_counter() - wall
                        out[name]["cpu"] += cpu_seconds(pid) - cpu
                        out[name]["rows"] += len(sent)
            for name, chunk in zip(names, spare):
                say(f"\n{engine.name}: profile of {name} ({len(chunk):,} rows)\n```\n"
                    f"{profile(engine, opened, texts[name], params(name, chunk))}\n```")
            return out
        finally:
            opened.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=1_000)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--batch", type=int, default=2_500, help="activity rows per statement")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=FILE",
                    help="another statement text to compare (same parameters as ingest/create_activities)")
    ap.add_argument("--split", action="store_true",
                    help="also create_activities without its engagement aggregates, and with them computed but not written")
    ap.add_argument("--profile", action="store_true", help="print the engine's profile of one batch per statement")
    ap.add_argument("--every", action="store_true",
                    help="send every batch to every statement (ids suffixed per statement, order rotating, the "
                         "first two rounds uncounted): all statements see the same rows, far less noise than "
                         "batch i to statement i mod n")
    ap.add_argument("--batches", type=int, default=None, help="only the first N batches")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    texts = {"create_activities": queries.get("ingest/create_activities").text,
             "raw": queries.get("bench/raw_activities").text}
    if args.split:
        texts.update(split_variants(texts["create_activities"]))
    for v in args.variant:
        name, _, path = v.partition("=")
        texts[name] = Path(path).read_text()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="graphsvc-bench-"))
    data = generate_dataset(args.accounts, args.seed)
    results = {e: run(Engine(e, workdir / e), data, texts, args.batch, args.profile, args.every, args.batches)
               for e in ENGINES if e in args.engine}
    lines = []
    for e, out in results.items():
        base = out["raw"]["cpu"] / max(out["raw"]["rows"], 1)
        for name, r in out.items():
            per_row = r["cpu"] / max(r["rows"], 1)
            lines.append([e, name, f"{r['rows']:,}", f"{r['wall']:.2f}", f"{r['cpu']:.2f}",
                          f"{1e6 * per_row:.0f}", f"{per_row / base:.2f}" if base else "–"])
    table(f"Activity statements, {args.accounts:,} accounts, batches of {args.batch:,} "
          + ("each to every statement" if args.every else "in turn"),
          ["engine", "statement", "rows", "wall s", "engine CPU s", "engine CPU us/row", "vs raw"], lines)
    note(f"\ndata in {workdir}")


if __name__ == "__main__":
    main()
