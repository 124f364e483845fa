"""Board benchmark (issue 10): GET /v1/accounts per sort, 8 concurrent clients, before vs after.

Only the Account properties matter to the board, so the dataset is the seeds generator's accounts
written straight into the graph (cypher/bench/raw_accounts.cypher) with the values a requalification
leaves: stage, stage_since (set for every account, as ingest sets it on create), fit, engagement and
MQA score (a few missing: not yet qualified; one decimal, so there are ties). A --data-dir that
already holds the accounts is reused.

Each side is a `graphsvc serve --workers 2` child on that engine: "after" is this checkout, "before"
the code of --before (a git revision, unpacked with `git archive` into a temporary directory and put
first on the server's PYTHONPATH). The sides alternate (before, after, before, after, ... --rounds
times), each on a fresh server; every side runs the five sorts one after the other, each as --requests
first pages, unfiltered or filtered by stage like bench/qualification.py's board. Per sort: latency as
the client sees it and as the server reports it (Server-Timing), p50 / p90 / p99, and the load
average when the sort's run ended. With --statements N, first the statements alone (full read vs
read from the floor, in this process, one at a time, same ids checked), for the --sorts that have a
floor statement (all five since time in stage has one), per stage filter; with a stage, also the
stage's statements (board_stage_*) from the floor and from the open bound. --stage-by-score makes
new data whose stage follows the MQA score (lowest in target, as a requalification leaves it), the
case where a stage's first page sits deep in the score index.

    cd bench && python board.py --accounts 10000 --engine falkordb neo4j --before 210c506 --rounds 2

Markdown tables on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from _common import ENGINES, REPO, Engine, Server, note, say, table
from qualification import BOARD_SORTS, BOARD_STAGES, _load

STAGES = (("target", 0.35), ("engaged", 0.3), ("mqa", 0.2), ("sql", 0.1), ("disqualified", 0.05))


def _stage_by_score(score: float | None, rng: random.Random) -> str:
    """The stage as a requalification tends to leave it: by MQA score band, lowest in target (the
    bands keep STAGES' shares; disqualified at any score; no score: target)."""
    if score is None:
        return "target"
    if rng.random() < 0.05:
        return "disqualified"
    return "target" if score < 37 else "engaged" if score < 68 else "mqa" if score < 89 else "sql"


def account_rows(accounts: int, seed: int, now: float, stage_by_score: bool = False) -> list[dict]:
    """The generator's accounts with board values (deterministic for `seed`); with `stage_by_score`
    the stage follows the MQA score (`_stage_by_score`) instead of being drawn apart from it."""
    from seeds.generator import generate

    rng = random.Random(seed)
    ds = generate(accounts=accounts, seed=seed, contacts_per_account=1, activities_per_contact=0, leads_per_account=0)
    rows = []
    for a in ds.accounts:
        props = {k: v for k, v in a.items() if k != "id" and v is not None and not isinstance(v, dict | list)}
        scored = rng.random() > 0.03
        props |= {"stage": rng.choices([s for s, _ in STAGES], [w for _, w in STAGES])[0],
                  "stage_since": now - rng.uniform(0, 365) * 86400}
        if scored:
            props |= {"fit": round(rng.uniform(0, 100), 1), "engagement": round(rng.expovariate(1 / 20), 1),
                      "mqa_score": round(rng.uniform(0, 100), 1)}
        if stage_by_score:
            props["stage"] = _stage_by_score(props.get("mqa_score"), rng)
        rows.append({"id": a["id"], "props": props})
    return rows


def load(engine: Engine, accounts: int, seed: int, stage_by_score: bool = False) -> None:
    opened = engine.open()
    try:
        have = opened.store.executor.read("MATCH (a:Account) RETURN count(a) AS n", {})[0]["n"]
        if have >= accounts:
            note(f"  {engine.name}: reusing {have:,} accounts")
            return
        rows = account_rows(accounts, seed, time.time(), stage_by_score)
        started = time.perf_counter()
        for i in range(0, len(rows), 1_000):
            opened.store.write("bench/raw_accounts", rows=rows[i:i + 1_000])
        note(f"  {engine.name}: {len(rows):,} accounts written in {time.perf_counter() - started:.1f} s")
    finally:
        opened.close()


def statements(engine: Engine, repeat: int, seed: int, sorts: list[str]) -> list[list[str]]:
    """The statements alone, in this process, one at a time: per sort with a floor statement and per
    stage filter (none and each of BOARD_STAGES), the full read, the read from the floor its answer
    leaves through the sort's floor statement (`$stage IS NULL OR ...`: what main did with a stage),
    and with a stage also through the stage's statement from that floor and from the open bound
    (`board._STAGED`), alternating in random order over first pages, checking all give the same
    ids. Statement time, ms, of `repeat` pages per sort and stage after six untimed ones (the engine
    plans a statement on its first run)."""
    from graphsvc.qualification import board
    from graphsvc.store.sort_keys import name_key

    rng = random.Random(seed)
    opened = engine.open()
    out = []
    try:
        store = opened.store
        for sort, (statement, floor_of) in board._FLOORED.items():
            if sort not in sorts:
                continue
            for stage in dict.fromkeys(BOARD_STAGES):
                times: dict[str, list[float]] = {}
                filters = {"stage": stage, "segment": None, "industry": None, "owner": None,
                           "missing_role": None, "q": None, "min_score": None, "skip": 0, "limit": 51}
                warm = 6
                for _ in range(repeat + warm):
                    full = board._full(store, sort, filters)
                    floor = floor_of(full[-1]) if len(full) == 51 else None
                    if floor is None:
                        break
                    reads = [("full", None, None), ("floor", statement, floor)]
                    if stage is not None:
                        staged, open_bound = board._STAGED[sort]
                        reads += [("stage floor", staged, floor), ("stage open", staged, open_bound)]
                    rng.shuffle(reads)
                    got = {}
                    for label, name, x in reads:
                        started = time.perf_counter()
                        bounds = {"floor": x, "ceiling": name_key(x)} if sort == "name" else {"floor": x}
                        rows = board._full(store, sort, filters) if name is None else store.read(name, **bounds, **filters)
                        times.setdefault(label, []).append(1000 * (time.perf_counter() - started))
                        got[label] = [r["id"] for r in rows]
                    assert all(ids == got["full"] for ids in got.values()), (sort, filters)
                for label in ("full", "floor", "stage floor", "stage open"):
                    xs = times.get(label, [])[warm:]  # the first pages planned the statements: time the rest
                    if len(xs) < 2:
                        continue
                    q = statistics.quantiles(xs, n=100)
                    out.append([sort, stage or "(any)", label, f"{q[49]:.1f} / {q[89]:.1f} / {q[98]:.1f}",
                                f"{os.getloadavg()[0]:.1f}"])
    finally:
        opened.close()
    return out


def unpack(revision: str) -> Path:
    """The code of `revision`, unpacked (graphsvc/ and cypher/ only: what the server runs)."""
    out = Path(tempfile.mkdtemp(prefix="graphsvc-board-before-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "graphsvc", "cypher"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def side(engine: Engine, label: str, pythonpath: str | None, sorts: list[str], requests: int, clients: int,
         seed: int, workers: int) -> dict[str, dict]:
    env = {"GRAPHSVC_STORE": engine.store_url or ""}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    server = Server(engine.home, env, workers)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as c:
            c.get("/v1/accounts", params={"limit": 1}).raise_for_status()
        out = {}
        rng = random.Random(seed)
        for sort in sorts:
            plan = [f"/v1/accounts?sort={sort}" + (f"&stage={s}" if (s := rng.choice(BOARD_STAGES)) else "")
                    for _ in range(requests)]
            out[sort] = _load(engine.name, f"{label} {sort}", server.url, clients, plan)
            out[sort]["load"] = os.getloadavg()[0]
        return out
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=10_000)
    ap.add_argument("--engine", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--before", default=None, help="git revision of the 'before' side (none: after only)")
    ap.add_argument("--rounds", type=int, default=2, help="before/after pairs, alternating (0: the statements alone only)")
    ap.add_argument("--sorts", nargs="+", choices=BOARD_SORTS, default=list(BOARD_SORTS))
    ap.add_argument("--requests", type=int, default=400, help="first pages per sort and side")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--stage-by-score", action="store_true",
                    help="new data: the stage follows the MQA score (lowest in target), as a requalification leaves it")
    ap.add_argument("--statements", type=int, default=0,
                    help="also time the full and the floor statements alone, in-process, this many first pages per sort")
    args = ap.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="graphsvc-board-"))
    note(f"data: {data_dir}")
    before = str(unpack(args.before)) if args.before else None
    sides = [("before", before), ("after", None)] if before else [("after", None)]
    for name in [e for e in ENGINES if e in args.engine]:
        with Engine(name, data_dir / name) as engine:
            load(engine, args.accounts, args.seed, args.stage_by_score)
            if args.statements:
                table(f"{name}, {args.accounts:,} accounts: board statements alone, one at a time, "
                      f"{args.statements} first pages per sort and stage",
                      ["sort", "stage", "statement", "p50 / p90 / p99, ms", "load avg (1 min)"],
                      statements(engine, args.statements, args.seed, args.sorts))
            runs: list[tuple[str, int, dict]] = []
            for r in range(args.rounds):
                for label, path in sides:
                    runs.append((label, r + 1, side(engine, label, path, args.sorts, args.requests, args.clients,
                                                    args.seed + r, args.workers)))
        if not runs:
            continue
        rows = []
        for sort in args.sorts:
            for label, r, res in runs:
                x = res[sort]
                rows.append([sort, f"{label} #{r}", f"{x['p50']:.1f} / {x['p90']:.1f} / {x['p99']:.1f}",
                             f"{x['server p50']:.1f} / {x['server p90']:.1f} / {x['server p99']:.1f}",
                             f"{x['req/s']:.0f}", f"{x['errors']}", f"{x['load']:.1f}"])
        table(f"{name}, {args.accounts:,} accounts, {args.clients} clients, {args.workers} API workers, "
              f"{args.requests} first pages per sort and run",
              ["sort", "side", "client p50 / p90 / p99, ms", "server p50 / p90 / p99, ms", "req/s", "errors",
               "load avg (1 min)"], rows)
    say("")


if __name__ == "__main__":
    main()
