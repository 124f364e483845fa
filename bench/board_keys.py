"""Would a sort key that carries its tie-breaker make the board's tie-heavy first pages cheap on
FalkorDB? An experiment on a COPY of a loaded graph (it adds properties and indexes to the copy):
today's floor statements against

* fit_key   = the fit in hundredths, zero-padded, '|', the id: one string whose order is (fit, id),
              read highest first from a lower bound, the one string range FalkorDB's index honours;
* since_key = (a constant - stage_since in ms), zero-padded, '|', the id: highest first is the oldest
              stage first, ties by id from the highest (today: from the lowest);
* name_key  = the first 6 bytes of the name as a number: a ceiling on it is an index range (FalkorDB
              ignores an upper bound on a string), the name compared exactly on what it reads.

    cd bench && python board_keys.py --source /work/bdata100k/falkordb --copy /work/bdata100k-keys

`--copy` is made from `--source` when it does not exist (the engine must not be running on either).
Prints medians of 9 of each first page (51 rows, as the board reads), all stages and per stage.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from typing import Any

from _common import Engine, median_ms

from graphsvc.store import queries

COLUMNS = ("RETURN a.id AS id, a.name AS name, a.domain AS domain, a.segment AS segment, a.industry AS industry, "
           "a.stage AS stage, a.stage_since AS stage_since, a.fit AS fit, a.engagement AS engagement, "
           "a.mqa_score AS mqa_score, coalesce(a.missing_roles, []) AS missing_roles, a.owner AS owner")
STAGES = ("target", "engaged", "mqa", "sql")
FILTERS = {"stage": None, "segment": None, "industry": None, "owner": None, "missing_role": None, "q": None,
           "min_score": None, "skip": 0, "limit": 51}
SET_KEYS = """MATCH (a:Account)
SET a.fit_key = right('00000' + toString(toInteger(round(coalesce(a.fit, 0) * 100))), 5) + '|' + a.id,
    a.since_key = right('0000000000000' + toString(toInteger(9999999999999 - round(a.stage_since * 1000))), 13)
                  + '|' + a.id"""


def name_key(name: str | None) -> float | None:
    return None if name is None else float(int.from_bytes(name.encode("utf-8")[:6].ljust(6, b"\0"), "big"))


def add_keys(ex: Any) -> None:
    if ex.read("MATCH (a:Account) WHERE a.fit_key IS NOT NULL RETURN count(a) AS n", {})[0]["n"]:
        return
    start = time.perf_counter()
    ex.write(SET_KEYS, {})
    names = ex.read("MATCH (a:Account) RETURN a.id AS id, a.name AS name", {})
    for i in range(0, len(names), 5000):
        ex.write("UNWIND $rows AS r MATCH (a:Account {id: r.id}) SET a.name_key = r.k",
                 {"rows": [{"id": r["id"], "k": name_key(r["name"])} for r in names[i:i + 5000]]})
    for key in ("fit_key", "since_key", "name_key"):
        ex.write(f"CREATE INDEX FOR (a:Account) ON (a.{key})", {})
    time.sleep(10)  # FalkorDB builds an index in the background
    print(f"keys and their indexes on {len(names):,} accounts in {time.perf_counter() - start:.1f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="a loaded embedded FalkorDB's directory")
    ap.add_argument("--copy", type=Path, required=True, help="where the experiment's copy is (made if missing)")
    args = ap.parse_args()
    if not args.copy.exists():
        shutil.copytree(args.source, args.copy)
    opened = Engine("falkordb", args.copy).open()
    try:
        ex = opened.store.executor
        counts = {r["stage"]: r["n"] for r in ex.read("MATCH (a:Account) RETURN a.stage AS stage, count(a) AS n", {})}
        if short := [s for s in STAGES if counts.get(s, 0) < 51]:  # a first page is 51 rows of each
            raise SystemExit(f"board_keys needs 51 accounts or more in each of {', '.join(STAGES)}; "
                             f"{', '.join(short)} have fewer (a graph bench/qualification.py loaded has them)")
        add_keys(ex)

        def line(label: str, today: tuple[str, dict[str, Any]], keyed: tuple[str, dict[str, Any]]) -> None:
            ms_today, rows_today = median_ms(lambda: ex.read(*today), 9)
            ms_key, rows_key = median_ms(lambda: ex.read(*keyed), 9)
            print(f"| {label} | {ms_today:.1f} | {ms_key:.1f} | {len(rows_today)} / {len(rows_key)} |", flush=True)

        print("| first page (51 rows) | today's floor statement, ms | the key's, ms | rows |\n| --- | ---: | ---: | --- |")
        for sort, key, order, today_name, stage_name in (
                ("fit", "fit_key", "coalesce(a.fit, 0) DESC, a.id DESC", "board_top_fit", "board_stage_top_fit"),
                ("stage_since", "since_key", "a.stage_since, a.id", "board_oldest_stage", "board_stage_oldest_stage")):
            for stage in (None, *STAGES):
                where = "" if stage is None else "WHERE a.stage = $stage "
                last = ex.read(f"MATCH (a:Account) {where}WITH a ORDER BY {order} SKIP 50 LIMIT 1 "
                               f"RETURN a.{sort} AS v", {"stage": stage})[0]["v"]
                floor = last if sort == "fit" else last * (1 + 1e-14)  # the board's own ceiling (board.py)
                bound = ex.read(f"MATCH (a:Account) {where}WITH a ORDER BY a.{key} DESC SKIP 50 LIMIT 1 "
                                f"RETURN a.{key} AS k", {"stage": stage})[0]["k"]
                keyed = (f"MATCH (a:Account) WHERE a.{key} >= $bound {'AND a.stage = $stage ' if stage else ''}"
                         f"WITH a ORDER BY a.{key} DESC LIMIT 51 " + COLUMNS)
                today = queries.get(f"qualification/{today_name if stage is None else stage_name}").text
                line(f"{sort}, {stage or 'all stages'}", (today, {**FILTERS, "stage": stage, "floor": floor}),
                     (keyed, {"bound": bound, "stage": stage}))
        first = ex.read("MATCH (a:Account) WITH a ORDER BY a.name, a.id SKIP 50 LIMIT 1 RETURN a.name AS n", {})[0]["n"]
        keyed = ("MATCH (a:Account) WHERE a.name_key <= $ceiling AND a.name <= $floor "
                 "WITH a ORDER BY a.name, a.id LIMIT 51 " + COLUMNS)
        line("name, all stages", (queries.get("qualification/board_first_name").text, {**FILTERS, "floor": first}),
             (keyed, {"ceiling": name_key(first), "floor": first}))
    finally:
        opened.close()


if __name__ == "__main__":
    main()
