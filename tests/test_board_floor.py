"""Issue 10: the board by MQA score, engagement, fit, name and time in stage reads from the floor the
previous answer to the same query left (`board_top_score`, `board_top_engagement`, `board_top_fit`,
`board_first_name`, `board_oldest_stage`, through a range index; FalkorDB has no name index, see its
schema file) and gives exactly the full read's rows, whatever happened in between: values rising,
falling below the floor or going missing, ties, missing values, filters, pages, new accounts, stage
changes. A query with no floor remembered (or a stale one) reads from the sort's open bound first. By
time in stage a missing stage_since sorts first and is in no index: while the look
(`qualification/accounts_lacking_sort_keys`) finds such an account the full read answers; the
backfill derives it where it can. Both engines; the full statements are the reference, run on the
same data."""

from __future__ import annotations

import random

import pytest
from conftest import NOW
from plans import assert_index_read, neo4j_plan

from graphsvc.qualification.board import _OPEN, ASCENDING, STORED, BoardFloors, board_page
from graphsvc.store.backfill import backfill_sort_keys
from graphsvc.store.sort_keys import fit_key, name_key

STAGES = ("target", "engaged", "mqa", "sql")
SORTS = ("mqa_score", "engagement", "fit", "stage_since", "name")
FLOORED = {"mqa_score": "qualification/board_top_score", "engagement": "qualification/board_top_engagement",
           "fit": "qualification/board_top_fit", "name": "qualification/board_first_name",
           "stage_since": "qualification/board_oldest_stage"}
STAGED = {"mqa_score": "qualification/board_stage_top_score", "engagement": "qualification/board_stage_top_engagement",
          "fit": "qualification/board_stage_top_fit", "name": "qualification/board_stage_first_name",
          "stage_since": "qualification/board_stage_oldest_stage"}  # with a stage given: test_board_stage.py
FULL = ("qualification/board", "qualification/board_ascending")


def _put(store, rows: list[dict]) -> None:
    """Accounts as a requalification leaves them (test set-up: the sort values are the subject here).
    A row without a key leaves that property as it was; a None value removes it. The board's sort keys
    are then made again for these accounts by the store's own backfill (graphsvc/store/backfill.py:
    new accounts numbered in id order, keys from the values written), as every service write keeps
    them (tests/test_board_keys.py)."""
    store.executor.write(
        "UNWIND $rows AS r MERGE (a:Account {id: r.id}) "
        "SET a.name = CASE WHEN 'name' IN keys(r) THEN r.name ELSE a.name END, "
        "a.stage = coalesce(r.stage, a.stage), a.segment = coalesce(r.segment, a.segment), "
        "a.mqa_score = CASE WHEN 'score' IN keys(r) THEN r.score ELSE a.mqa_score END, "
        "a.engagement = CASE WHEN 'engagement' IN keys(r) THEN r.engagement ELSE a.engagement END, "
        "a.fit = CASE WHEN 'fit' IN keys(r) THEN r.fit ELSE a.fit END, "
        "a.stage_since = CASE WHEN 'since' IN keys(r) THEN r.since ELSE a.stage_since END",
        {"rows": rows})
    for key in ("fit_key", "since_key", "name_key"):  # one removal per update (FalkorDB 4.16)
        store.executor.write(f"MATCH (a:Account) WHERE a.id IN $ids REMOVE a.{key}", {"ids": [r["id"] for r in rows]})
    backfill_sort_keys(store)


def _reference(store, sort: str = "mqa_score", **filters) -> list[str]:
    limit = filters.pop("limit", 50) + 1
    params = {"stage": filters.get("stage"), "segment": filters.get("segment"), "industry": None, "owner": None,
              "missing_role": None, "q": filters.get("q"), "min_score": filters.get("min_score"),
              "skip": filters.get("skip", 0), "limit": limit}
    if sort in ASCENDING:
        rows = store.read("qualification/board_ascending", sort=STORED[sort], missing=ASCENDING[sort], **params)
    else:
        rows = store.read("qualification/board", sort=STORED[sort], **params)
    return [r["id"] for r in rows[:limit - 1]]


LOOK = "qualification/accounts_lacking_sort_keys"


class Counting:
    """The real store, counting which board statement answered (`names`, with the floor each read from
    in `floors`) and, apart, how often the look for accounts without stage_since ran (`looks`)."""

    def __init__(self, store) -> None:
        self.store, self.names, self.floors, self.looks = store, [], [], 0

    def read(self, name: str, **params):
        if name == LOOK:
            self.looks += 1
        else:
            self.names.append(name)
            self.floors.append(params.get("floor"))
        return self.store.read(name, **params)


def _page(store, floors, now: float = 0.0, **filters) -> list[str]:
    items, _ = board_page(store, now, floors=floors, **filters)
    return [i["id"] for i in items]


def test_the_second_read_starts_at_the_floor_and_a_stale_floor_falls_back(store):
    rng = random.Random(5)
    _put(store, [{"id": f"a{i:03}", "name": f"A{i}", "stage": rng.choice(STAGES), "segment": "mid",
                  "score": float(rng.randint(0, 120))} for i in range(120)])
    floors, counted = BoardFloors(), Counting(store)
    first = _page(counted, floors, limit=10)
    assert first == _reference(store, limit=10)
    assert counted.names == ["qualification/board_top_score"] and counted.floors == [_OPEN["mqa_score"]]
    assert _page(counted, floors, limit=10) == first
    assert counted.names[-1] == "qualification/board_top_score"  # read from the floor this time
    floor = counted.floors[-1]
    assert floor == store.read("qualification/board", **{**BASE, "limit": 11})[-1]["mqa_score"]  # the 11th row's

    # Every account at or above the floor drops below it: the floor leaves too few rows, the
    # open bound answers (and leaves a lower floor).
    _put(store, [{"id": i, "score": 1.0} for i in first])
    counted.names.clear(), counted.floors.clear()
    assert _page(counted, floors, limit=10) == _reference(store, limit=10)
    assert counted.names == ["qualification/board_top_score"] * 2 and counted.floors == [floor, _OPEN["mqa_score"]]

    # Fewer scored accounts than the page (a missing or zero score is in no floor): the full read.
    _put(store, [{"id": f"a{i:03}", "score": 0.0 if i % 2 else None} for i in range(115)])
    counted.names.clear(), counted.floors.clear()
    assert _page(counted, floors, limit=10) == _reference(store, limit=10)
    assert counted.names == ["qualification/board_top_score"] * 2 + ["qualification/board"], counted.names
    assert counted.floors[1:] == [_OPEN["mqa_score"], None]


def _value(rng: random.Random, sort: str):
    """A random sort value, with ties and missing ones (names: few distinct, some empty). Time in
    stage: rarely missing (every write that creates an account sets it; a missing one turns the floors
    off, test_time_in_stage_with_accounts_lacking_stage_since), and some
    at or below 0, where a missing one counts as 0."""
    if sort == "name":
        return rng.choice([None, "", "Acme", "acme", "Beta", f"N{rng.randint(0, 40):02}", f"Zeta {rng.randint(0, 9)}"])
    if sort == "stage_since":
        if rng.random() < 0.01:
            return None
        return rng.choice([0.0, -3.0, float(rng.randint(1, 20)), round(rng.uniform(1e9, 1.8e9), 1)])
    return rng.choice([None, 0.0, float(rng.randint(1, 30)), round(rng.uniform(0, 100), 2)])


def _account(rng: random.Random, i: str) -> dict:
    return {"id": i, "name": _value(rng, "name"), "stage": rng.choice(STAGES), "segment": rng.choice(["smb", "mid"]),
            "score": _value(rng, "mqa_score"), "engagement": _value(rng, "engagement"), "fit": _value(rng, "fit"),
            "since": _value(rng, "stage_since")}


@pytest.mark.parametrize("sort", SORTS)
def test_floors_never_change_an_answer(store, sort):
    """Random values of every sort (with ties and missing ones), filters and pages; between reads,
    random accounts change (or lose) their values, and new accounts arrive. Every answer equals the
    full read's, and the floor statement answered a fair share of them. The look for accounts without
    stage_since runs before every page here (`look_every_s=0`): what it found is then always true
    (the service looks at most every 30 s: test_board_stage_since.py)."""
    rng = random.Random(sum(map(ord, sort)))
    ids = [f"acc-{i:03}" for i in range(150)]
    _put(store, [_account(rng, i) for i in ids])
    floors, counted = BoardFloors(look_every_s=0), Counting(store)
    queries = [{"limit": 5}, {"limit": 20}, {"limit": 5, "stage": "mqa"}, {"limit": 10, "segment": "smb"},
               {"limit": 5, "skip": 5}, {"limit": 5, "q": "acc-1"}, {"limit": 5, "min_score": 10.0},
               {"limit": 3}, {"limit": 3, "skip": 60}]
    for step in range(40):
        query = rng.choice(queries)
        assert _page(counted, floors, sort=sort, **query) == _reference(store, sort, **dict(query)), (step, query)
        assert _page(counted, floors, sort=sort, **query) == _reference(store, sort, **dict(query)), (step, query)
        if rng.random() < 0.7:
            changed = rng.sample(ids, rng.randint(1, 10))
            _put(store, [{"id": i, ({"mqa_score": "score", "stage_since": "since"}.get(sort, sort)): _value(rng, sort)}
                         for i in changed])
        if rng.random() < 0.1:
            new = f"acc-{len(ids):03}"
            ids.append(new)
            _put(store, [_account(rng, new)])
        if sort == "stage_since" and rng.random() < 0.4:  # as the backfill would: none missing for a while
            lacking = store.executor.read("MATCH (a:Account) WHERE a.stage_since IS NULL RETURN a.id AS id", {})
            _put(store, [{"id": r["id"], "since": float(rng.randint(1, 20))} for r in lacking])
    assert set(counted.names) <= {FLOORED[sort], STAGED[sort], *FULL}, counted.names
    floored = counted.names.count(FLOORED[sort]) + counted.names.count(STAGED[sort])
    assert floored >= 20, counted.names  # the floor was used, not only the full read


@pytest.mark.parametrize("stage", [None, "mqa"])
def test_ties_go_by_id_from_the_highest_under_a_score_sort_and_from_the_lowest_otherwise(store, stage):
    """Every sort with all accounts tied: under a score (highest first) the ids from the highest, by
    name from the lowest; the same from the open bound, from a floor and in the full read, with and
    without a stage (the order Neo4j's (sort, id) indexes give). By fit and time in stage ties go by
    creation number, which `_put` gives in id order, so the same order here; test_board_keys.py
    tells the two apart."""
    ids = [f"t{i:02}" for i in range(12)]
    _put(store, [{"id": i, "name": "Same", "stage": "mqa", "segment": "mid", "score": 50.0, "engagement": 7.0,
                  "fit": 93, "since": NOW} for i in ids])
    for sort in SORTS:
        expected = sorted(ids, reverse=sort not in ASCENDING)[:5]
        floors = BoardFloors()
        for _ in range(2):  # from the open bound, then from the floor it left
            assert _page(store, floors, sort=sort, stage=stage, limit=5) == expected, sort
        assert _reference(store, sort, stage=stage, limit=5) == expected, sort
        assert _page(store, floors, sort=sort, stage=stage, limit=5, skip=5) == \
            sorted(ids, reverse=sort not in ASCENDING)[5:10], sort


def test_floors_forget_the_least_recently_used():
    floors = BoardFloors(size=2)
    floors.put(("a",), 5.0)
    floors.put(("b",), 6.0)
    assert floors.get(("a",)) == 5.0  # now the most recent
    floors.put(("c",), 7.0)
    assert (floors.get(("a",)), floors.get(("b",)), floors.get(("c",))) == (5.0, None, 7.0)
    floors.put(("a",), None)  # a page reaching values no floor bounds: forgotten
    assert floors.get(("a",)) is None


FILLED = 300


def _fill_for_plans(store) -> None:
    """FILLED accounts with every sort value set."""
    _put(store, [{"id": f"p{i:03}", "name": f"Name {i:03}", "stage": "mqa", "segment": "mid", "score": float(i),
                  "engagement": float(i), "fit": float(i), "since": 1e9 + i}
                 for i in range(FILLED)])


BASE = {"stage": None, "segment": None, "industry": None, "owner": None, "missing_role": None, "q": None,
        "min_score": None, "skip": 0, "limit": 11}


@pytest.mark.parametrize("statement,sort,prop,bounds,rows", [
    ("qualification/board_top_score", "mqa_score", "mqa_score", {"floor": float(FILLED - 20)}, 20),
    ("qualification/board_top_engagement", "engagement", "engagement", {"floor": float(FILLED - 20)}, 20),
    ("qualification/board_top_fit", "fit", "fit_key", {"floor": fit_key(FILLED - 20, 0)}, 20),
    # Neo4j reads the (name, id) index (it has no name_key index); FalkorDB, which has no name index
    # (cypher/schema/falkordb.cypher says why), the name_key index: the names whose first 6 bytes
    # are at most the floor's ("Name 0": all 100 of Name 000-099), the name compared after
    ("qualification/board_first_name", "name", "name", {"floor": "Name 019", "ceiling": name_key("Name 019")}, 100),
])
def test_floor_statements_read_through_their_index(store, statement, sort, prop, bounds, rows):
    """The engines' own plans: the floor statement's only scan is the sort property's index, handing
    over the accounts at or beyond the floor only (FalkorDB: `rows` records; Neo4j: an index operator)."""
    _fill_for_plans(store)
    assert_index_read(store, statement, {**BASE, **bounds}, rows, "name_key" if sort == "name" and store.dialect == "falkordb" else prop)
    if store.dialect == "neo4j":
        # in the (sort, id) index's order, ties by id too: a Limit that stops after a page and sorts
        # nothing, so the open bound (board._OPEN: every account with a value) costs a page too
        ops = neo4j_plan(store, statement, {**BASE, **bounds, "floor": _OPEN[sort]})
        assert not any(op.split("@")[0] in ("Sort", "Top", "PartialSort", "PartialTop") for op, _ in ops), ops
        assert any(op.split("@")[0] == "Limit" for op, _ in ops), ops
