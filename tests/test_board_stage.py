"""Issue 10: the board of one stage (the commonest filter) reads through statements that seek the
stage (`board_stage_top_score`, `_top_engagement`, `_top_fit`, `_first_name`, `_oldest_stage`: `a.stage
= $stage`, not `$stage IS NULL OR ...`), from the floor the previous answer left or, with none, from an
open bound. Every answer equals the full read's (`board`, `board_ascending`) for every sort, stage,
page and other filter, also after writes that move accounts between stages and scores; the plans read
the stage through an index on both engines (Neo4j: the composite (stage, sort, id) index, in the
sort's order with ties by id, so a page costs its size; FalkorDB: its one Account index, both
predicates in one scan)."""

from __future__ import annotations

import random

import pytest
from conftest import NOW
from plans import falkordb_plan, leaves, neo4j_plan, records
from test_board_floor import BASE, STAGED, STAGES, Counting, _account, _page, _put, _reference, _value

from graphsvc.qualification.board import BoardFloors
from graphsvc.store.sort_keys import TIE, fit_key, name_key, since_key

SORTS = ("mqa_score", "engagement", "fit", "stage_since", "name")
FULL = ("qualification/board", "qualification/board_ascending")
KEY = {"mqa_score": "score", "stage_since": "since"}  # _put's names


@pytest.mark.parametrize("sort", SORTS)
def test_the_stage_board_equals_the_full_read_while_accounts_move(store, sort):
    """Random values (ties, missing ones), every stage, pages, skips and other filters; between
    reads accounts move between stages and change (or lose) their sort value, and new ones arrive.
    Every answer, read twice (the second from the floor the first left), is the full read's; the
    stage's statement answered most of them and the full read only where it had to. The look for
    accounts without stage_since runs before every page (`look_every_s=0`), and by time in stage
    the missing ones are given a value now and then (as the backfill would)."""
    rng = random.Random(sum(map(ord, sort)) + 1)
    ids = [f"st-{i:03}" for i in range(160)]
    _put(store, [_account(rng, i) for i in ids])
    floors, counted = BoardFloors(look_every_s=0), Counting(store)
    shapes = [{"limit": 5}, {"limit": 20}, {"limit": 5, "skip": 5}, {"limit": 3, "skip": 30}, {"limit": 10, "segment": "smb"},
              {"limit": 5, "q": "st-1"}, {"limit": 5, "min_score": 10.0}, {"limit": 60}]
    for step in range(40):
        query = {**rng.choice(shapes), "stage": rng.choice(STAGES)}
        for _ in range(2):
            assert _page(counted, floors, sort=sort, **query) == _reference(store, sort, **dict(query)), (step, query)
        changed = rng.sample(ids, rng.randint(1, 12))
        _put(store, [{"id": i, "stage": rng.choice(STAGES)} for i in changed[: len(changed) // 2]]
                    + [{"id": i, KEY.get(sort, sort): _value(rng, sort)} for i in changed[len(changed) // 2:]])
        if rng.random() < 0.15:
            ids.append(f"st-{len(ids):03}")
            _put(store, [_account(rng, ids[-1])])
        if sort == "stage_since" and rng.random() < 0.4:
            lacking = store.executor.read("MATCH (a:Account) WHERE a.stage_since IS NULL RETURN a.id AS id", {})
            _put(store, [{"id": r["id"], "since": float(rng.randint(1, 20))} for r in lacking])
    assert set(counted.names) <= {STAGED[sort], *FULL}, counted.names
    answered = [a for a, b in zip(counted.names, [*counted.names[1:], None], strict=True)
                if a == STAGED[sort] and b not in FULL]
    # the stage's statement answered, not only fell back (by time in stage less often: while an
    # account lacks stage_since the full read answers)
    assert len(answered) >= (15 if sort == "stage_since" else 30), counted.names


def test_the_first_page_of_a_stage_needs_no_full_read(store):
    """With no floor remembered the stage's statement reads from the open bound: a first page is
    its answer alone; a stage with fewer scored accounts than the page falls back to the full read.
    By time in stage f-none has no stage_since, so the full read answers until it has one."""
    _put(store, [{"id": f"f{i:03}", "name": f"F{i:03}", "stage": "mqa" if i % 3 else "sql", "segment": "mid",
                  "score": float(i % 50), "engagement": float(i), "fit": 1.0 + i, "since": NOW - i}
                 for i in range(90)])
    _put(store, [{"id": "f-none", "name": "None", "stage": "sql", "segment": "mid"}])  # no values at all
    for sort in SORTS:
        counted = Counting(store)
        assert _page(counted, BoardFloors(), sort=sort, stage="mqa", limit=10) == _reference(store, sort, stage="mqa", limit=10)
        if sort == "stage_since":
            assert counted.names == ["qualification/board_ascending"] and counted.looks == 1, counted.names
            _put(store, [{"id": "f-none", "since": NOW}])
            counted.names.clear()
            assert _page(counted, BoardFloors(), sort=sort, stage="mqa", limit=10) == \
                _reference(store, sort, stage="mqa", limit=10)
            assert counted.names == [STAGED[sort]] and counted.looks == 2, counted.names
            _put(store, [{"id": "f-none", "since": None}])
            continue
        assert counted.names == [STAGED[sort]], (sort, counted.names)
        counted.names.clear()
        query = {"stage": "sql", "limit": 40}  # 30 with values, and f-none (no score: it counts as 0)
        assert _page(counted, BoardFloors(), sort=sort, **query) == _reference(store, sort, **dict(query))
        assert counted.names[0] == STAGED[sort] and counted.names[-1] in FULL, (sort, counted.names)


def test_time_in_stage_of_a_stage_with_an_account_lacking_stage_since(store):
    """An account without stage_since sorts first in its stage (it counts as 0) and is in no index:
    while the look finds one, every stage's board by time in stage is the full read (the look is one
    for all accounts, run at most every `look_every_s`, not per stage and page). Given a value, the
    stage's statement answers again once the look runs again."""
    _put(store, [{"id": f"m{i:03}", "name": f"M{i}", "stage": "engaged" if i % 2 else "mqa", "segment": "mid",
                  "since": NOW + i} for i in range(40)])
    store.executor.write("CREATE (:Account {id: 'zz-none', name: 'None', stage: 'mqa', segment: 'mid'})", {})
    floors, counted = BoardFloors(look_every_s=60), Counting(store)
    for stage in ("mqa", "engaged", "mqa", "engaged"):
        query = {"stage": stage, "limit": 5}
        assert _page(counted, floors, sort="stage_since", **query) == _reference(store, "stage_since", **dict(query))
    staged, full = STAGED["stage_since"], "qualification/board_ascending"
    assert counted.names == [full] * 4 and counted.looks == 1, counted.names
    assert _page(store, BoardFloors(), sort="stage_since", stage="mqa", limit=1) == ["zz-none"]

    _put(store, [{"id": "zz-none", "since": NOW + 100}])
    counted.names.clear()
    for now, stage in ((30.0, "mqa"), (60.0, "mqa"), (70.0, "engaged")):  # the look is 60 s old at 60
        query = {"stage": stage, "limit": 5}
        assert _page(counted, floors, now, sort="stage_since", **query) == _reference(store, "stage_since", **dict(query))
    assert counted.names == [full, staged, staged] and counted.looks == 2, counted.names


PLANNED = 400  # accounts, a quarter per stage; the sort value i in stage STAGES[i % 4]


def _fill_for_plans(store) -> None:
    _put(store, [{"id": f"p{i:03}", "name": f"Name {i:03}", "stage": STAGES[i % 4], "segment": "mid", "score": float(i),
                  "engagement": float(i), "fit": float(i), "since": 1e9 + i} for i in range(PLANNED)])


@pytest.mark.parametrize("sort,prop,bounds,within", [
    ("mqa_score", "mqa_score", {"floor": float(PLANNED - 80)}, 20),  # mqa accounts scoring >= 320: i = 321, 325, ... 397
    ("engagement", "engagement", {"floor": float(PLANNED - 80)}, 20),
    ("fit", "fit_key", {"floor": fit_key(PLANNED - 80, 0)}, 20),
    ("stage_since", "since_key", {"floor": since_key(1e9 + 80, TIE - 1)}, 20),  # i = 1, 5, ... 77
    # FalkorDB: the stage's accounts whose name's first 6 bytes ("Name 0") are at most the floor's
    ("name", "name", {"floor": "Name 080", "ceiling": name_key("Name 080")}, 25),
])
def test_the_stage_statements_seek_the_stage_through_an_index(store, sort, prop, bounds, within):
    """The engines' own plans, stage mqa. Neo4j: the accounts come from a seek of the composite
    (stage, sort, id) index and no operator sorts (the page is a Limit over the index's order, which
    breaks ties by id as the statement does). FalkorDB: the accounts come from one index scan handing
    over the stage's accounts within the bound only (by name, the stage's accounts within the
    name_key's bound, the name compared after)."""
    _fill_for_plans(store)
    params = {**BASE, "stage": "mqa", **bounds}
    statement = STAGED[sort]
    if store.dialect == "falkordb":
        lines = falkordb_plan(store, statement, params)
        scans = [line for line in lines if "Scan" in line]
        assert all("Node By Index Scan" in line for line in scans), lines
        main = [line for line in scans if "(a:Account)" in line]
        assert len(main) == 1 and records(main[0]) == within, lines
        assert len(scans) == 1, lines
        return
    ops = neo4j_plan(store, statement, params)
    found = leaves(ops)
    seek = [(op, d) for op, d in found if f"(stage, {prop}, id)" in d]
    assert len(seek) == 1 and seek[0][0].startswith("NodeIndexSeek"), ops
    assert all(op.startswith("NodeIndexSeek") for op, _ in found) and len(found) == 1, ops
    assert not any(op.split("@")[0] in ("Sort", "Top", "PartialSort", "PartialTop") for op, _ in ops), ops
