"""Issue 10: the board's sort keys (graphsvc/store/sort_keys.py). Every write that creates an account or
writes what a key sorts (ingest, requalification, a person's transition, a merge, the lab's replay)
leaves exactly the keys the Python mirror computes; ties by fit and by time in stage go by creation
number (the newest first by fit, the oldest first by time in stage), whatever the ids; names keep
their code point order through the name key, from a floor or not; the store's start numbers older
accounts in id order and keys them, once. Both engines, through the API where there is one."""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path

import pytest
from conftest import NOW
from test_board_floor import Counting as _Counting
from test_board_floor import _page, _put, _reference
from test_events_outbox import make_sql

from graphsvc.qualification.board import BoardFloors
from graphsvc.store.backfill import backfill_sort_keys
from graphsvc.store.sort_keys import FIT_KEY, SINCE_KEY, fit_key, name_key, since_key

CYPHER = Path(__file__).resolve().parents[1] / "cypher"
NAMES = ["Acme", "Acme Corp", "Acme Corporation", "Acme Co", "acme", "Ärger GmbH", "Zebra", "", "😀 Emoji Inc",
         "\ufffd Replacement", "Ωmega", "Ω", "Acme Corp", "Бета", "β", "a", "AcmeCorp", "Acme\tTab", "ZZ", "zz top"]


def _accounts(store) -> list[dict]:
    return store.executor.read(
        "MATCH (a:Account) RETURN a.id AS id, a.seq AS seq, a.fit AS fit, a.stage_since AS since, a.name AS name, "
        "a.fit_key AS fit_key, a.since_key AS since_key, a.name_key AS name_key ORDER BY a.id", {})


def _assert_keys_kept(store) -> None:
    """Every account's keys are the mirror's of its values, and the look finds none lacking."""
    for a in _accounts(store):
        assert isinstance(a["seq"], int) and a["seq"] > 0, a
        assert a["fit_key"] == fit_key(a["fit"], a["seq"]), a
        assert a["since_key"] == since_key(a["since"], a["seq"]), a
        assert a["name_key"] == name_key(a["name"]), a
    assert store.read("qualification/accounts_lacking_sort_keys")[0] == {"unnumbered": 0, "without_since": 0}


def test_every_write_path_keeps_the_keys(client, store, clock):
    named = [n for n in NAMES if n]  # the API wants a name
    r = client.post("/v1/accounts", json={"accounts": [{"id": f"k{i:02}", "name": n, "segment": "mid_market"}
                                                       for i, n in enumerate(named)]})
    assert r.status_code == 200, r.text
    seqs = {a["id"]: a["seq"] for a in _accounts(store)}
    assert [seqs[f"k{i:02}"] for i in range(len(named))] == list(range(1, len(named) + 1))  # in the batch's order
    _assert_keys_kept(store)

    clock.advance(60)  # renamed, and one new: no number taken for the updated ones
    r = client.post("/v1/accounts", json={"accounts": [{"id": "k00", "name": "Zulu"}, {"id": "k01", "name": "ärger"},
                                                       {"id": "k-new", "name": "New"}]})
    assert r.status_code == 200, r.text
    assert {a["id"]: a["seq"] for a in _accounts(store)} == {**seqs, "k-new": len(named) + 1}
    _assert_keys_kept(store)
    # one written from outside the service without a name (the API never leaves one so): numbered and
    # keyed by the store's start
    store.executor.write("CREATE (:Account {id: 'k-none', stage: 'target', stage_since: $now})", {"now": clock()})
    assert backfill_sort_keys(store) == (1, 1)

    clock.advance(60)
    make_sql(client)  # ingest, requalification: acme gets a fit and moves target -> mqa -> sql
    clock.advance(60)
    assert client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"}).status_code == 200
    acme = next(a for a in _accounts(store) if a["id"] == "acme")
    assert acme["fit"] and acme["since"] == clock() and acme["fit_key"] > fit_key(0, 10**6)
    _assert_keys_kept(store)

    # a merge: the survivor without a name takes the merged one's name and key
    r = client.post("/v1/merges/accounts", json={"survivor": "k-none", "merged": ["k05"], "actor": "sam"})
    assert r.status_code == 200, r.text
    survivor = next(a for a in _accounts(store) if a["id"] == "k-none")
    assert survivor["name"] == NAMES[5] and survivor["name_key"] == name_key(NAMES[5])
    _assert_keys_kept(store)

    # the rules lab's replay writes stage_since (and may remove it)
    store.write("lab/replay_write", finals=[{"id": "k02", "stage": "engaged", "since": NOW - 86400.5, "qualified_at": None},
                                            {"id": "k03", "stage": "target", "since": None, "qualified_at": None}],
                changes=[])
    by_id = {a["id"]: a for a in _accounts(store)}
    assert by_id["k02"]["since_key"] == since_key(NOW - 86400.5, by_id["k02"]["seq"]) and by_id["k03"]["since_key"] is None
    assert store.read("qualification/accounts_lacking_sort_keys")[0] == {"unnumbered": 0, "without_since": 1}  # k03
    floors = BoardFloors(look_every_s=0)  # k03 turns the keys off by time in stage only
    counted = _Counting(store)
    for sort in ("fit", "name", "stage_since"):
        assert _page(counted, floors, sort=sort, limit=5) == _reference(store, sort, limit=5)
    assert counted.names == ["qualification/board_top_fit", "qualification/board_first_name",
                             "qualification/board_ascending"], counted.names


def test_ties_go_by_creation_not_by_id(client, store):
    """Four accounts created in three requests, ids out of order, all with the same fit and the
    same stage_since: by fit the newest first, by time in stage the oldest first; from the open
    bound, from the floor it left, with a stage given, and in the full read."""
    for batch in (["m"], ["z", "a"], ["q"]):
        assert client.post("/v1/accounts", json={"accounts": [{"id": i, "name": "Same"} for i in batch]}).status_code == 200
    store.executor.write("MATCH (a:Account) SET a.stage_since = $now", {"now": NOW})
    store.write("qualification/record_outcomes", rows=[
        {"id": i, "from": "target", "stage": "target", "changed": False, "reason": None, "fit": 50.0, "engagement": 0.0,
         "mqa_score": 0.0, "qualified_at": None, "requalify_at": None, "qualified_until": None, "missing_roles": [],
         "change_id": None, "pending": None, "group": None, "event": None, "route": None} for i in "mzaq"],
        now=NOW, actor="rules@test", ruleset="test")
    store.executor.write("MATCH (a:Account) REMOVE a.since_key", {})  # stage_since written raw: key it again
    backfill_sort_keys(store)
    for sort, expected in (("fit", ["q", "a", "z", "m"]), ("stage_since", ["m", "z", "a", "q"])):
        for stage in (None, "target"):
            floors = BoardFloors()
            for _ in range(2):
                assert _page(store, floors, sort=sort, stage=stage, limit=3) == expected[:3], (sort, stage)
            assert _page(store, floors, sort=sort, stage=stage, limit=3, skip=1) == expected[1:4], (sort, stage)
            assert _reference(store, sort, stage=stage, limit=4) == expected, (sort, stage)


def test_names_keep_their_code_point_order(store):
    """Names sharing their first 6 bytes, differing in case, accents, scripts, emoji, the empty name
    and none: every page, read twice (the second from the floor the first left), is the full read's
    and the order Python gives by code points then id; a stage too."""
    rng = random.Random(7)
    rows = [{"id": f"n{i:03}", "name": rng.choice([*NAMES, None]), "stage": rng.choice(["mqa", "sql"]), "segment": "mid"}
            for i in range(80)]
    _put(store, rows)
    for stage in (None, "mqa"):
        named = sorted((r["name"], r["id"]) for r in rows if r["name"] is not None and stage in (None, r["stage"]))
        unnamed = sorted(r["id"] for r in rows if r["name"] is None and stage in (None, r["stage"]))
        expected = [i for _, i in named] + unnamed
        floors = BoardFloors()
        for skip in range(0, len(expected), 7):
            for _ in range(2):
                page = _page(store, floors, sort="name", stage=stage, limit=7, skip=skip)
                assert page == expected[skip:skip + 7] == _reference(store, "name", stage=stage, limit=7, skip=skip), skip


def test_the_start_numbers_older_accounts_in_id_order_once(store, caplog):
    """Accounts written before the keys (no seq, no keys): numbered in id order in batches, keyed, and a
    second run finds nothing; numbers already taken are never reused."""
    store.executor.write("UNWIND $rows AS r CREATE (a:Account {id: r.id, name: r.name, fit: r.fit, stage_since: r.since})",
                         {"rows": [{"id": i, "name": f"Old {i}", "fit": 10.0 * k, "since": NOW - k}
                                   for k, i in enumerate(["c", "a", "e", "b", "d"])]})
    store.executor.write("MERGE (q:AccountSeq {id: 'accounts'}) SET q.seq = 40", {})  # 40 numbers already given
    with caplog.at_level(logging.INFO, logger="graphsvc.store"):
        assert backfill_sort_keys(store, batch=2) == (5, 5)
    assert {a["id"]: a["seq"] for a in _accounts(store)} == {"a": 41, "b": 42, "c": 43, "d": 44, "e": 45}
    _assert_keys_kept(store)
    assert any("5 accounts numbered and 5 keyed" in r.getMessage() for r in caplog.records), caplog.records
    assert backfill_sort_keys(store) == (0, 0)
    assert store.executor.read("MATCH (q:AccountSeq) RETURN q.seq AS n", {}) == [{"n": 45}]


def test_the_mirror_orders_as_the_values_do():
    """Pure: a key orders by its value first, then by seq; the name key never orders two names
    against their string order (it may tie them)."""
    assert fit_key(50.0, 9) < fit_key(50.0001, 1) < fit_key(100.0, 0)
    assert since_key(NOW, 9) < since_key(NOW + 0.002, 1) and since_key(None, 1) is None
    assert since_key(5e8, 1) < since_key(1e9, 1)  # 1985 and 2001
    # before 1985 (and after 2054) the milliseconds are clamped: such times tie, by seq, below (above) the rest
    assert since_key(-1e12, 1) < since_key(0.0, 2) < since_key(5e8, 1) and since_key(9e9, 1) > since_key(2.6e9, 1)
    assert abs(since_key(1e12, 2**22 - 1)) < 2**62 and abs(since_key(-1e12, 2**22 - 1)) < 2**62
    names = sorted(n for n in NAMES)
    keys = [name_key(n) for n in names]
    assert keys == sorted(keys) and name_key(None) is None and name_key(5) is None


SET_CLAUSE = re.compile(r"\bSET\s(.*?)(?=\b(?:WITH|MATCH|CREATE|RETURN|FOREACH|UNWIND|MERGE|REMOVE|OPTIONAL|WHERE|ON)\b|\)|$)",
                        re.S)
ASSIGN = re.compile(r"\b(\w+)\.(fit|stage_since|name)\s*=(?!=)")


@pytest.mark.parametrize("path", sorted(p for p in CYPHER.rglob("*.cypher") if "schema" not in p.parts),
                         ids=lambda p: str(p.relative_to(CYPHER)))
def test_every_statement_writing_a_sorted_property_writes_its_key(path):
    """Static: a statement that sets an account's fit, stage_since or name also sets fit_key,
    since_key or name_key (or is the backfill of stage_since, whose keys the key backfill makes
    right after it at the store's start). Buying groups and other labels' names are not keyed."""
    text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
    accounts = set(re.findall(r"\((\w+):Account\b", text))
    written = [(m.group(1), m.group(2)) for clause in SET_CLAUSE.finditer(text) for m in ASSIGN.finditer(clause.group(1))]
    written += [(None, "stage_since") for _ in re.finditer(r"\{stage_since:", text)]  # SET a += {stage_since: ...}
    for var, prop in written:
        if var is not None and var not in accounts:
            continue
        if path.name == "backfill_stage_since.cypher" or "bench" in path.parts:
            continue
        key = {"fit": "fit_key", "stage_since": "since_key", "name": "name_key"}[prop]
        assert key in text, f"{path.name} writes {prop} without {key}"


def _expression(template: str) -> re.Pattern[str]:
    """A sort_keys template as a pattern: each {name} any operand, the same one at each repeat."""
    out, seen = "", set()
    for part in re.split(r"(\{\w+\})", template):
        if re.fullmatch(r"\{\w+\}", part):
            name = part[1:-1]
            out += f"(?P={name})" if name in seen else f"(?P<{name}>[$\\w.]+|\\(base \\+ 1 \\+ i\\))"
            seen.add(name)
        else:
            out += re.escape(part)
    return re.compile(out)


def test_every_key_is_written_with_the_one_expression():
    """Static: every `fit_key =` / `since_key =` / `since_key:` in cypher/ is sort_keys.FIT_KEY /
    SINCE_KEY (the expression the Python mirror computes, tested above), whatever its operands."""
    found = 0
    for path in sorted(CYPHER.rglob("*.cypher")):
        text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
        for key, template in (("fit_key", FIT_KEY), ("since_key", SINCE_KEY)):
            pattern = _expression(template)
            for m in re.finditer(rf"\b{key}\s*(?:=|:)\s*(?![<>=])", text):
                found += 1
                assert pattern.match(text, m.end()), f"{path.name}: {text[m.end():m.end() + 120]!r}"
    assert found >= 8  # upsert 2, outcomes 2, transition, replay, sort_keys_set 2
