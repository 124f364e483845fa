"""An import whose batches the engine could not take (down, restarting, BUSY past the executor's own
budget) sends them again, with backoff, for up to the import's `retry_for_s`, and ends with the graph
an undisturbed import of the same files leaves: nothing lost, nothing stored twice (no second
buying-role event, no second activity). Before, one such moment ended the whole import.

- The engine itself refusing (FalkorDB): a Lua script holds a FalkorDB of the test's own while the
  import writes contacts; the executor's BUSY budget is cut to 0.1 s, so the batch fails as it
  would after a long fork preparation or a restart.
- Both engines, the first write of each statement and every third write failing: before the engine
  sees it (`refused`), or after the engine stored it, its answer lost on the way (`lost`: the second
  try finds its rows there).
"""

from __future__ import annotations

import json
import logging

import pytest
from test_embedded_busy import _hold
from test_import_crm import HS_FILES, _engagements
from test_import_files import NOW, PORTAL, SF, graph

from graphsvc.errors import StoreUnavailable
from graphsvc.imports import export
from graphsvc.imports.job import Importer, ImportOptions
from graphsvc.rules import default_ruleset
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.falkordb_executor import FalkorDBExecutor
from graphsvc.store.graph_store import GraphStore

BATCH = 4  # small batches: many units to fail


def _files(tmp_path):
    # HubSpot companies and contacts (buying roles, with their events), its activity exports, and the
    # Salesforce extract (accounts, contacts, leads): every kind of unit the writer sends.
    return [*HS_FILES, *_engagements(tmp_path), SF / "Account.csv", SF / "Contact.csv", SF / "Lead.csv"]


def _import(store, files, progress=None, waiting=None, **options):
    options = {"tz": PORTAL, "skip_invalid": True, "batch_size": BATCH, **options}
    return Importer(store, default_ruleset(), NOW, ImportOptions(**options), progress, waiting).run(
        [(f, f.name) for f in files])


def _state(store) -> dict:
    """What an import leaves, without generated ids and sequence numbers."""
    events = store.read("events/feed", after=0, types=[], account=None, limit=10_000)
    return {
        "counts": graph(store),
        "accounts": list(export.rows(store, "board")),
        "contacts": list(export.rows(store, "contacts")),
        "events": sorted((e["type"], e["account"], e["actor"], json.dumps(json.loads(e["payload"] or "null"),
                                                                           sort_keys=True))
                         for e in events),
        "activities": store.executor.read("MATCH (x:Activity) RETURN x.id AS id ORDER BY id", {}),
    }


def _counts(report) -> dict:
    return {k: (c.created, c.updated, c.refused, c.roles, c.matched) for k, c in report.counts.items()}


@pytest.fixture
def falkordb(tmp_path):
    server = EmbeddedFalkorDB(tmp_path / "data").start()
    server.client().config_set("busy-reply-threshold", 1)  # a script makes others wait from 1 ms on
    yield server
    server.stop()


@pytest.mark.falkordb
def test_an_import_waits_out_an_engine_that_answers_busy(falkordb, tmp_path, caplog):
    held = []

    def hold_once(phase: str, done: int) -> None:  # after the first batch of contacts
        if phase == "write contacts" and not held:
            held.append(_hold(falkordb, 1.5))

    def import_into(graph_name: str, progress, waiting=None):
        store = GraphStore(FalkorDBExecutor("127.0.0.1", falkordb.port, graph_name, password=falkordb.password,
                                            busy_retry_s=0.1))
        store.apply_schema()
        try:
            report = _import(store, _files(tmp_path), progress, waiting)
            return report, _state(store)
        finally:
            store.close()

    notes: list[str | None] = []  # what an import job shows as `waiting`
    with caplog.at_level(logging.WARNING, logger="graphsvc.imports.writer"):
        report, state = import_into("held", hold_once, notes.append)
    held[0].join()
    again = [r.getMessage() for r in caplog.records if "sending it again" in r.getMessage()]
    assert again and all(m.startswith("import: contacts batch after row ") for m in again), again
    assert "busy" in again[0].lower()
    assert notes == [*again, None]  # each try again, then moving again
    calm_report, calm_state = import_into("calm", None)
    assert state == calm_state
    assert _counts(report) == _counts(calm_report)
    assert state["counts"]["imported_roles"] > 0 and state["activities"]  # the files wrote what the test is about


@pytest.mark.falkordb
def test_an_import_gives_up_once_its_retry_time_is_spent(falkordb, tmp_path, caplog):
    """Held longer than the import's retry time: the batch was sent again, then the import ends with
    the engine's error (as every import did at once before)."""
    store = GraphStore(FalkorDBExecutor("127.0.0.1", falkordb.port, "spent", password=falkordb.password,
                                        busy_retry_s=0.1))
    store.apply_schema()
    holders = []
    try:
        with caplog.at_level(logging.WARNING, logger="graphsvc.imports.writer"), \
                pytest.raises(StoreUnavailable, match="busy"):
            _import(store, _files(tmp_path), lambda phase, done: holders.append(_hold(falkordb, 3.0))
                    if phase == "write contacts" and not holders else None, retry_for_s=0.5)
        assert [r for r in caplog.records if "sending it again" in r.getMessage()]
    finally:
        for h in holders:
            h.join()
        store.close()


class Flaky(GraphStore):
    """The test's real store, on the same executor, whose first write of each statement and every
    third write fail with StoreUnavailable: before the engine sees it (`refused`), or after the engine
    stored it (`lost`). `failed` names the statements, in order."""

    def __init__(self, store: GraphStore, mode: str) -> None:
        super().__init__(store.executor)
        self.mode, self.writes, self.failed = mode, 0, []

    def write(self, name: str, **params):
        self.writes += 1
        if name in self.failed and self.writes % 3:
            return super().write(name, **params)
        self.failed.append(name)
        if self.mode == "lost":
            super().write(name, **params)
        raise StoreUnavailable(f"{self.mode}: {name}")

    def close(self) -> None:  # the fixture closes the executor
        pass


@pytest.mark.parametrize("mode", ["refused", "lost"])
def test_failed_writes_are_sent_again_and_stored_once(store, tmp_path, mode, monkeypatch):
    import graphsvc.store.resend as resend

    monkeypatch.setattr(resend, "wait_exponential", lambda **_: lambda state: 0.01)  # no backoff to sit out
    calm = _import(store, _files(tmp_path))
    calm_state = _state(store)
    store.delete_all()
    store.apply_schema()
    flaky = Flaky(store, mode)
    report = _import(flaky, _files(tmp_path))
    # every unit the writer sends failed at least once (and some more than once)
    assert set(flaky.failed) >= {"ingest/engagement_from_start", "ingest/upsert_accounts", "ingest/upsert_contacts",
                                 "ingest/upsert_leads", "ingest/create_activities", "ingest/change_roles",
                                 "qualification/transition", "qualification/record_outcomes"}, set(flaky.failed)
    assert len(flaky.failed) > 2 * len(set(flaky.failed)), flaky.failed
    assert _state(store) == calm_state
    if mode == "refused":  # nothing reached the engine: the second try is the first it sees
        assert _counts(report) == _counts(calm)
    else:  # a lost answer: the second try finds its rows stored (updated, not created), never twice,
        # and the roles its first try set as held already (not counted again)
        for kind, (created, updated, refused, roles, matched) in _counts(calm).items():
            got = _counts(report)[kind]
            assert (got[0] + got[1], got[2], got[4]) == (created + updated, refused, matched), (kind, got)
            assert got[3] <= roles, (kind, got)


def test_a_job_says_why_it_waits_until_it_moves_again(tmp_path):
    from graphsvc.imports.jobs import ImportJob

    job = ImportJob(id="j", directory=tmp_path, files=["a.csv"], options=ImportOptions(), created_at=NOW)
    job.progress("write contacts", 4)
    assert job.to_dict()["waiting"] is None
    job.wait_note("import: contacts batch after row 4: the engine did not take it (busy); sending it again in 0.5 s")
    assert job.to_dict()["waiting"].startswith("import: contacts batch after row 4")
    assert job.to_dict()["status"] == "running" and job.to_dict()["rows_done"] == 4
    job.progress("write contacts", 8)  # the batch went through
    assert job.to_dict()["waiting"] is None


def test_an_api_import_job_takes_its_retry_time_from_the_form(store, clock, settings):
    """`retry_for` of POST /v1/imports: 0 ends the job at the engine's first refusal; the default sends
    the batch again; a bad value is a 422 naming the field."""
    from fastapi.testclient import TestClient
    from test_import_api import _files, _follow

    from graphsvc.api.app import create_app

    class RefusesOnce(GraphStore):  # the real store; each app's first account upsert is refused
        refused = False

        def write(self, name: str, **params):
            if name == "ingest/upsert_accounts" and not self.refused:
                self.refused = True
                raise StoreUnavailable("refused: the engine is restarting")
            return super().write(name, **params)

        def close(self) -> None:  # the fixture closes the executor
            pass

    for retry_for, status in (("0", "failed"), ("30", "done")):
        with TestClient(create_app(settings, store=RefusesOnce(store.executor), clock=clock)) as c:
            r = c.post("/v1/imports", files=_files(SF / "Account.csv"), data={"retry_for": retry_for})
            assert r.status_code == 202, r.text
            job = _follow(c, r.json()["id"])
            assert job["status"] == status, job
            if status == "failed":
                assert "restarting" in job["error"]
    assert store.counts()["accounts"] == 11
    with TestClient(create_app(settings, store=store, clock=clock)) as c:
        for bad in ("-1", "nan", "3601", "soon"):
            r = c.post("/v1/imports", files=_files(SF / "Account.csv"), data={"retry_for": bad})
            assert r.status_code == 422 and "retry_for" in r.text, (bad, r.text)
