"""Issue 10: the board by time in stage (oldest stage_since first) from a ceiling through the range
index on Account.stage_since (`qualification/board_oldest_stage`), both engines. Every answer equals
the full read's (`qualification/board_ascending`), also after the real write paths create accounts
and move their stages, and while an account has no stage_since (it counts as 0 and sorts first; the
look, `qualification/accounts_lacking_sort_keys`, finds it and the full read answers, within
`BoardFloors.look_every_s` of its write). The one-time backfill
(`graphsvc.store.backfill`) derives the true stage_since from the stage history, is batched and
idempotent, and leaves an account it cannot derive without one."""

from __future__ import annotations

import logging
import random

from conftest import NOW
from plans import falkordb_plan, leaves, neo4j_plan, records
from test_board_floor import BASE, Counting, _page, _put, _reference

from graphsvc.qualification.board import _OPEN, BoardFloors
from graphsvc.store.backfill import backfill_sort_keys, backfill_stage_since
from graphsvc.store.sort_keys import TIE, since_key, with_name_keys

FLOOR = "qualification/board_oldest_stage"
FULL = "qualification/board_ascending"
SORT = "stage_since"
DAY = 86400.0


def _same(store, floors, counted, **query) -> None:
    """The page, twice (the second from the floor the first left), equals the full read's."""
    for _ in range(2):
        assert _page(counted, floors, sort=SORT, **query) == _reference(store, SORT, **dict(query)), query


def _upsert(store, ids: list[str], now: float) -> None:
    """Accounts created the way ingest creates them (stage target, stage_since = created_at = now)."""
    store.write("ingest/upsert_accounts", rows=with_name_keys([{"id": i, "props": {"name": i.upper(), "segment": "mid"}} for i in ids]),
                parents=[], now=now, batch=f"b{now}")


def _move(store, account: str, to: str, at: float, n: int) -> None:
    stage = store.executor.read("MATCH (a:Account {id: $id}) RETURN a.stage AS s", {"id": account})[0]["s"]
    assert store.write("qualification/transition", id=account, to=to, at=at, actor="test", action="test",
                       reason="test", change_id=f"{account}-{n}", **{"from": stage})


def test_time_in_stage_answers_from_the_floor_after_the_write_paths_move_stages(store):
    """Accounts created through ingest and moved through the transition statement (both set
    stage_since): every answer is the full read's, and once a floor exists the floor statement
    answers on its own."""
    rng = random.Random(3)
    ids = [f"w{i:03}" for i in range(80)]
    for k in range(4):  # four creation times: ties on stage_since, broken by creation number
        _upsert(store, ids[k * 20:(k + 1) * 20], NOW + k * DAY)
    floors, counted = BoardFloors(), Counting(store)
    queries_ = [{"limit": 5}, {"limit": 10, "stage": "target"}, {"limit": 5, "skip": 5}, {"limit": 5, "stage": "mqa"},
                {"limit": 3, "q": "w0"}]
    n = 0
    for step in range(12):
        for query in queries_:
            _same(store, floors, counted, **query)
        for account in rng.sample(ids, 6):  # stages move: the oldest leave the first pages
            n += 1
            _move(store, account, rng.choice(["engaged", "mqa", "target"]), NOW + (10 + step) * DAY, n)
        if step % 4 == 3:
            new = [f"w{len(ids) + i:03}" for i in range(3)]
            ids += new
            _upsert(store, new, NOW + step * DAY)
    assert counted.names.count(FLOOR) >= 30, counted.names
    answered = [b for a, b in zip(counted.names, counted.names[1:] + [None], strict=True) if a == FLOOR and b != FULL]
    assert len(answered) >= 20, counted.names  # the floor statement answered, not only fell back


def test_time_in_stage_with_accounts_lacking_stage_since(store):
    """An account without stage_since counts as 0 and sorts first in the full read; it is in no
    index, so while the look finds one (among all accounts, whatever the filters) the full read
    answers and the page is the same, also where the filters leave it out. The look runs at most
    every `look_every_s` (30 s in the service), timed by the page's `now`: an account written
    without stage_since from outside the service is found at the next look. Backfilled, the floor
    answers again from the next look."""
    _put(store, [{"id": f"s{i:03}", "name": f"S{i}", "stage": "engaged", "segment": "mid", "since": NOW + i}
                 for i in range(40)])
    floors, counted = BoardFloors(look_every_s=30), Counting(store)
    _same(store, floors, counted, limit=5)
    _same(store, floors, counted, limit=5, segment="smb")  # none: fewer rows than the page, full read
    # from the open bound, then the floor it left; smb: the open bound, then the full read, twice
    assert counted.names == [FLOOR, FLOOR, FLOOR, FULL, FLOOR, FULL], counted.names
    sixth = store.executor.read("MATCH (a:Account {id: 's005'}) RETURN a.since_key AS k", {})[0]["k"]
    assert counted.floors[:2] == [_OPEN[SORT], sixth] and counted.looks == 1  # the 6th row's key (a page and one more)

    # An account with no stage_since (a raw write: nothing in the service writes one), in segment smb.
    store.executor.write("CREATE (:Account {id: 'zz-none', name: 'None', stage: 'target', segment: 'smb', "
                         "created_at: $at})", {"at": NOW - 5 * DAY})
    counted.names.clear()
    for now in (30.0, 45.0):  # found by the look at 30; 45 keeps what it found
        for query in ({"limit": 5}, {"limit": 5, "segment": "smb"}, {"limit": 3, "skip": 2}, {"limit": 5, "stage": "target"},
                      {"limit": 5, "segment": "mid"}):  # the filters leave it out: still the full read
            for _ in range(2):
                assert _page(counted, floors, now, sort=SORT, **query) == _reference(store, SORT, **dict(query)), query
    assert set(counted.names) == {FULL} and counted.looks == 2, counted.names
    assert _page(store, BoardFloors(), sort=SORT, limit=1) == ["zz-none"]  # first: it counts as 0

    assert backfill_stage_since(store) == (1, 1)  # in target, never moved: since its creation
    assert backfill_sort_keys(store) == (1, 1)  # numbered and keyed (the store's start runs both)
    counted.names.clear()
    _same(store, floors, counted, limit=5)  # at 0: 45 s after the last look, so it looks again
    assert counted.names == [FLOOR, FLOOR] and counted.looks == 3, counted.names
    assert _page(store, BoardFloors(), sort=SORT, limit=1) == ["zz-none"]  # its derived stage_since is the oldest


def test_a_floor_from_a_time_with_microseconds_is_used(store):
    """Epoch times as the service writes them (time.time(): 16-17 significant digits, which FalkorDB
    replies with 15 of; before the keys the ceiling was that reply, raised by 1e-14 of itself): the
    floor a page leaves, now the last row's since_key (an integer, exact on both engines), still
    holds its last row, so the next read of the same page comes from the floor statement alone."""
    rng = random.Random(11)
    _put(store, [{"id": f"u{i:03}", "name": f"U{i}", "stage": "mqa", "segment": "mid",
                  "since": NOW - rng.uniform(0, 365) * DAY} for i in range(60)])
    floors, counted = BoardFloors(), Counting(store)
    for query in ({"limit": 5}, {"limit": 7}, {"limit": 4, "skip": 3}, {"limit": 9}, {"limit": 11}):
        counted.names.clear(), counted.floors.clear()
        _same(store, floors, counted, **query)
        assert counted.names == [FLOOR, FLOOR], (query, counted.names)  # the open bound, then the floor it left
        assert counted.floors[0] == _OPEN[SORT] and counted.floors[1] < since_key(NOW, 0), (query, counted.floors)


def _history(store) -> None:
    """Accounts in every case the backfill tells apart (ids say which)."""
    store.executor.write(
        "UNWIND $rows AS r CREATE (a:Account {id: r.id}) SET a.stage = r.stage, a.created_at = r.created, "
        "a.stage_since = r.since "
        "FOREACH (c IN r.changes | "
        "CREATE (a)-[:TRANSITIONED]->(:StageChange {id: a.id + toString(c.at), from: c.from, to: c.to, at: c.at}))",
        {"rows": [
            # in target since creation: created_at
            {"id": "a-target", "stage": "target", "created": 100.0, "since": None, "changes": []},
            # no stage: target, since creation
            {"id": "b-nostage", "stage": None, "created": 50.0, "since": None, "changes": []},
            # in mqa, entered twice: the newest entry into mqa, not the newest change
            {"id": "c-mqa", "stage": "mqa", "created": 10.0, "since": None, "changes": [
                {"from": "target", "to": "engaged", "at": 200.0}, {"from": "engaged", "to": "mqa", "at": 300.0},
                {"from": "mqa", "to": "engaged", "at": 400.0}, {"from": "engaged", "to": "mqa", "at": 500.0}]},
            # back in target after a move: the newest entry into target, not creation
            {"id": "d-back", "stage": "target", "created": 10.0, "since": None, "changes": [
                {"from": "target", "to": "engaged", "at": 20.0}, {"from": "engaged", "to": "target", "at": 30.0}]},
            # in engaged with no record of entering it: no true value, left without
            {"id": "e-unknown", "stage": "engaged", "created": 10.0, "since": None, "changes": [
                {"from": "target", "to": "mqa", "at": 20.0}]},
            # nothing known at all
            {"id": "f-nothing", "stage": "sql", "created": None, "since": None, "changes": []},
            # already has one: untouched
            {"id": "g-has", "stage": "mqa", "created": 10.0, "since": 999.0, "changes": [
                {"from": "target", "to": "mqa", "at": 20.0}]},
        ]})


def _since(store) -> dict[str, float | None]:
    rows = store.executor.read("MATCH (a:Account) RETURN a.id AS id, a.stage_since AS since", {})
    return {r["id"]: r["since"] for r in rows}


def test_the_backfill_derives_stage_since_from_the_history_in_batches_and_is_idempotent(store, caplog):
    _history(store)
    with caplog.at_level(logging.INFO, logger="graphsvc.store"):
        assert backfill_stage_since(store, batch=2) == (6, 4)  # 4 batches of up to 2
    expected = {"a-target": 100.0, "b-nostage": 50.0, "c-mqa": 500.0, "d-back": 30.0, "e-unknown": None,
                "f-nothing": None, "g-has": 999.0}
    assert _since(store) == expected
    assert any("6 accounts had none, 4 derived" in r.getMessage() for r in caplog.records), caplog.records
    assert backfill_stage_since(store, batch=2) == (2, 0)  # only the two it cannot derive, again
    assert _since(store) == expected
    assert backfill_stage_since(store, batch=1) == (2, 0)  # one per batch: the cursor moves past them
    assert _since(store) == expected


def test_the_backfill_has_nothing_to_do_where_every_account_has_stage_since(store, caplog):
    _upsert(store, ["x1", "x2"], NOW)
    with caplog.at_level(logging.INFO, logger="graphsvc.store"):
        assert backfill_stage_since(store) == (0, 0)
    assert not caplog.records
    assert _since(store) == {"x1": NOW, "x2": NOW}


def test_the_floor_statement_reads_through_the_stage_since_index(store):
    """The engines' own plans: the accounts come from the stage_since index, only those at or below
    the ceiling (FalkorDB: the index scan hands over exactly that many), and nothing else is read (the
    look for accounts without stage_since is a statement of its own, run once in a while)."""
    _put(store, [{"id": f"p{i:03}", "name": f"N{i}", "stage": "mqa", "segment": "mid", "since": 1e9 + i}
                 for i in range(300)])
    params = {**BASE, "floor": since_key(1e9 + 19, TIE - 1)}  # at or before 1e9 + 19, whatever the seq
    if store.dialect == "falkordb":
        lines = falkordb_plan(store, FLOOR, params)
        scans = [line for line in lines if "Scan" in line]
        index = [line for line in scans if "Node By Index Scan | (a:Account)" in line]
        assert len(index) == 1 and records(index[0]) == 20, lines
        assert len(scans) == 1, lines
        return
    ops = neo4j_plan(store, FLOOR, params)
    found = leaves(ops)
    assert len(found) == 1, ops
    assert any("Index" in op and "since_key" in details and " a" in details for op, details in found), ops
    assert not any(op.split("@")[0] in ("Sort", "Top", "PartialSort", "PartialTop") for op, _ in ops), ops
