"""Issue 10: the drain of pending requalifications reads only the marked accounts, on both engines.

`qualification/pending_accounts` runs every few seconds in every API process; it used to scan every
account (`requalify_pending IS NOT NULL` is not served by an index on FalkorDB). These tests read
the engines' own plans of the committed statement over a graph where few accounts are marked: the
index on `requalify_pending` (cypher/schema/<dialect>.cypher) must be what finds them.
"""

from __future__ import annotations

from conftest import NOW
from plans import assert_index_read

from graphsvc.ingest.repository import IngestRepository
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import default_ruleset

ACCOUNTS, MARKED = 40, 3


def fill(store) -> list[str]:
    """ACCOUNTS accounts with a contact each; MARKED of them get an activity (which marks them)."""
    IngestRepository(store).upsert_accounts([{"id": f"a{i:03d}", "props": {"name": f"A{i}"}} for i in range(ACCOUNTS)], [], NOW)
    IngestRepository(store).upsert_contacts([{"id": f"c{i:03d}", "account_id": f"a{i:03d}", "props": {"title": "Engineer"}}
                           for i in range(ACCOUNTS)], [], [], NOW)
    marked = [f"a{i:03d}" for i in range(0, ACCOUNTS, ACCOUNTS // MARKED)][:MARKED]
    IngestRepository(store).create_activities([{"id": f"x{a}", "contact_id": "c" + a[1:], "type": "page_view", "at": NOW - 60,
                              "channel": None, "asset": None, "campaign": None} for a in marked], batch="b", now=NOW)
    return marked


def test_pending_accounts_answers_the_marked_ones_in_pages(store):
    marked = fill(store)
    assert QualificationService(store, default_ruleset()).pending_accounts() == marked
    assert QualificationService(store, default_ruleset()).pending_accounts(after=marked[0], limit=1) == marked[1:2]


def test_pending_accounts_reads_only_marked_accounts_through_the_index(store):
    marked = fill(store)
    # Through the requalify_pending index. The page used to be ORDER BY a.id, and Neo4j 5.26 then
    # walked the unique id index in order instead (depending on its statistics, which made this
    # flaky); ordered by `a.id + ''`, which no index provides, it has no such choice.
    assert_index_read(store, "qualification/pending_accounts", {}, len(marked), "requalify_pending")


def test_due_accounts_read_only_due_accounts_through_the_requalify_at_index(store):
    """Issue 10: the periodic decay pass reads the accounts whose requalify_at has come through the
    index on requalify_at (no ORDER BY: nothing makes a planner prefer walking the id index)."""
    marked = fill(store)
    service = QualificationService(store, default_ruleset())
    service.requalify(marked, NOW)  # each gets a requalify_at: one page view decays below 0.5 in ~30 days
    assert service.due_accounts(NOW) == []
    later = NOW + 365 * 86400.0
    assert sorted(service.due_accounts(later)) == marked
    assert_index_read(store, "qualification/due_accounts", {"now": later}, len(marked), "requalify_at")


def test_the_pending_drain_requalifies_every_marked_account_once_across_id_pages(store, monkeypatch):
    """The drain reads marked ids a large page at a time (ID_PAGE) and requalifies them PAGE at a
    time: with 2 ids per read and 1 per page every marked account is requalified once, in id
    order, and nothing stays marked."""
    from graphsvc.qualification import service as qualification

    marked = fill(store)
    monkeypatch.setattr(qualification, "ID_PAGE", 2)
    monkeypatch.setattr(qualification, "PAGE", 1)
    seen: list[str] = []
    real = QualificationService._snapshot_rows

    def snapshot_rows(self, ids, *args, **kwargs):
        seen.extend(ids)
        return real(self, ids, *args, **kwargs)

    monkeypatch.setattr(QualificationService, "_snapshot_rows", snapshot_rows)
    out = QualificationService(store, default_ruleset()).requalify_pending(NOW)
    assert out["accounts"] == len(marked) and seen == marked
    assert QualificationService(store, default_ruleset()).pending_accounts() == []


def test_sla_candidates_are_read_through_the_stage_index(store):
    """The SLA timer's read is one index read that hands over only SQL and MQA accounts (with the id
    compared in the index too it cost FalkorDB ~126 ms a page at 100k accounts)."""
    fill(store)  # ACCOUNTS accounts without a stage
    store.executor.write("UNWIND $ids AS id MATCH (a:Account {id: id}) SET a.stage = 'mqa', a.stage_since = 1.0",
                         {"ids": ["a001", "a007", "a020"]})
    assert [r["id"] for r in store.read("events/sla_candidates")] == ["a001", "a007", "a020"]
    assert [r["id"] for r in store.read("events/sla_candidates", after="a001", limit=1)] == ["a007"]
    assert_index_read(store, "events/sla_candidates", {}, 3, "stage")
