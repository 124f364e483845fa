"""A full requalification the engine fails midway goes on: a page (or a read of the account ids) the
engine could not take is requalified again, from a fresh read, for up to `retry_for_s`, and the pass
ends with every account holding the outcome the pure engine gives and one stage change (and one
event) per account that moved, none twice. Before, one such moment failed the whole pass: at 100k
accounts the embedded FalkorDB has crashed under a two-process pass (docs/benchmarks.md, FalkorDB
#1240) and a `graphsvc seed` / `requalify --all` of an hour ended with an error.

- The engine killed (FalkorDB, kill -9 after the first page): its watchdog restarts it from the
  append-only file, and the pass, in this process or over two worker processes, waits for it.
- Both engines, the first and the third call of each statement failing: before the engine sees it
  (`refused`), or after the engine stored a write (`lost`: the page is read again and finds its
  stages already moved).
"""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from test_requalify_processes import _loaded, _stored

from graphsvc.errors import StoreUnavailable
from graphsvc.qualification.parallel import requalify_all
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import evaluate
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.falkordb_executor import FalkorDBExecutor
from graphsvc.store.graph_store import GraphStore


def _expected(service: QualificationService, now: float) -> dict:
    ids = sorted(_stored(service.store))
    return {s.id: evaluate(s, service.ruleset, now) for s in service.snapshots(ids, now)}


def _assert_recorded(store: GraphStore, expected: dict, out: dict) -> None:
    """Every account holds the engine's outcome; each account that moved has one stage change and one
    stage_changed event (a page requalified again did not move anything twice)."""
    moving = {i for i, q in expected.items() if q.changed}
    assert len(moving) > 5, "the generated accounts leave `target` on their first pass"
    assert out["accounts"] == len(expected)
    assert out["changed"] <= len(moving)  # a change stored whose answer was lost is not counted again
    stored = _stored(store)
    for i, q in expected.items():
        a = stored[i]
        assert (a["stage"], a["mqa_score"], a["engagement"]) == (q.stage, q.scores.mqa_score, q.scores.engagement), i
    events = store.read("events/feed", after=0, types=["stage_changed"], account=None, limit=10_000)
    assert Counter(e["account"] for e in events) == Counter(moving)
    changes = store.executor.read("MATCH (a:Account)-[:TRANSITIONED]->(s:StageChange) WHERE s.actor STARTS WITH "
                                  "'rules@' RETURN a.id AS id", {})
    assert Counter(r["id"] for r in changes) == Counter(moving)


@pytest.fixture
def falkordb(tmp_path):
    server = EmbeddedFalkorDB(tmp_path / "data").start()
    yield server
    server.stop()


@pytest.mark.falkordb
@pytest.mark.parametrize("processes", [1, 2])
def test_a_full_pass_waits_for_an_engine_that_was_killed(falkordb, monkeypatch, caplog, processes):
    store = GraphStore(FalkorDBExecutor("127.0.0.1", falkordb.port, "killed", password=falkordb.password))
    store.apply_schema()
    try:
        service, now = _loaded(store, monkeypatch)
        expected = _expected(service, now)
        killed: list[int] = []

        def kill_after_first_page(done: int, changed: int) -> None:
            if not killed:
                killed.append(falkordb.pid)
                falkordb.process.kill()  # SIGKILL: what a crash of the engine looks like to the pass

        with caplog.at_level(logging.WARNING, logger="graphsvc.requalify"):
            out = requalify_all(service, now, processes=processes, progress=kill_after_first_page, retry_for_s=60)
        assert killed and falkordb.restarts >= 1 and falkordb.pid != killed[0]
        if processes == 1:  # the workers' warnings go to their own stderr
            again = [r.getMessage() for r in caplog.records if "sending it again" in r.getMessage()]
            assert again and "not answering" in again[0], again
        _assert_recorded(store, expected, out)
    finally:
        store.close()


@pytest.mark.falkordb
def test_a_full_pass_without_retry_time_ends_at_the_first_refusal(falkordb, monkeypatch):
    """retry_for_s=0 (what the API's own passes use): the pass ends with the engine's error, as before."""
    store = GraphStore(FalkorDBExecutor("127.0.0.1", falkordb.port, "spent", password=falkordb.password))
    store.apply_schema()
    try:
        service, now = _loaded(store, monkeypatch)
        with pytest.raises(StoreUnavailable, match="not answering"):
            requalify_all(service, now, progress=lambda done, changed: falkordb.process.kill() if done == 5 else None)
    finally:
        store.close()


class Failing(GraphStore):
    """The test's real store, on the same executor, whose first and third call of each statement fail
    with StoreUnavailable: before the engine sees it (`refused`), or, for a write in `lost` mode, after
    the engine stored it. Counted per statement and not forever: a page's try may call a statement
    more than once, and a fixed period over every call could fail every try (tests/test_import_resend's
    Flaky counts its writes together: fine for an import's units, not here). `failed` names them."""

    def __init__(self, store: GraphStore, mode: str) -> None:
        super().__init__(store.executor)
        self.mode, self.calls, self.failed = mode, Counter[str](), list[str]()

    def _fails(self, name: str) -> bool:
        self.calls[name] += 1
        if self.calls[name] in (1, 3):
            self.failed.append(name)
            return True
        return False

    def read(self, name: str, **params):
        if self._fails(name):
            raise StoreUnavailable(f"refused: {name}")
        return super().read(name, **params)

    def write(self, name: str, **params):
        if self._fails(name):
            if self.mode == "lost":
                super().write(name, **params)
            raise StoreUnavailable(f"{self.mode}: {name}")
        return super().write(name, **params)


@pytest.mark.parametrize("mode", ["refused", "lost"])
def test_a_full_pass_sends_again_what_the_engine_did_not_take(store, monkeypatch, mode):
    service, now = _loaded(store, monkeypatch)
    expected = _expected(service, now)
    failing = Failing(store, mode)
    out = QualificationService(failing, service.ruleset).requalify_all(now, retry_for_s=30)
    # Every kind of unit failed at least once: the ids, the snapshots (read in the prefetch thread
    # and again for a page requalified again), the outcomes.
    assert {"qualification/account_ids", "qualification/record_outcomes"} <= set(failing.failed), failing.failed
    assert any(n.startswith("qualification/snapshot") for n in failing.failed), failing.failed
    _assert_recorded(store, expected, out)


@pytest.mark.parametrize("mode", ["refused", "lost"])
def test_the_pass_over_accounts_due_sends_again_what_the_engine_did_not_take(store, monkeypatch, mode):
    """`graphsvc requalify --due` (and its periodic twin): decay made accounts due months later."""
    service, now = _loaded(store, monkeypatch)
    service.requalify_all(now)
    later = now + 200 * 86_400  # engagement long gone: the accounts that had moved are due to fall back
    due = sorted(r["id"] for r in store.read("qualification/due_accounts", now=later, limit=10_000))
    expected = {s.id: evaluate(s, service.ruleset, later) for s in service.snapshots(due, later)}
    assert sum(q.changed for q in expected.values()) > 5
    failing = Failing(store, mode)
    out = QualificationService(failing, service.ruleset).requalify_due(later, retry_for_s=30)
    assert {"qualification/due_accounts", "qualification/record_outcomes"} <= set(failing.failed), failing.failed
    assert out["accounts"] == len(due)
    stored = _stored(store)
    for i, q in expected.items():
        assert (stored[i]["stage"], stored[i]["mqa_score"]) == (q.stage, q.scores.mqa_score), i
    events = store.read("events/feed", after=0, types=["stage_changed"], account=None, limit=10_000)
    assert Counter(e["account"] for e in events if e["at"] == later) == Counter(i for i, q in expected.items() if q.changed)
    assert service.due_accounts(later) == []
