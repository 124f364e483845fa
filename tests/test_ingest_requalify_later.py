"""`POST /v1/activities?requalify=later`: a bulk load leaves the requalification its batches imply to
the pending drain. The accounts are marked in the statement that records the activities (as durable
as the write), nothing is requalified in the request, and the drain then gives each account the
stage a `requalify=now` load gives it, once however many batches touched it; both engines. The last
test runs `graphsvc serve --workers 2`, where the drain is in the serving process, not the workers.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from serve_process import ServeProcess
from test_events_outbox import all_events
from test_qualification_api import engineer_engagement, setup_account

from graphsvc.api.app import create_app
from graphsvc.qualification.scheduler import Requalifier

BATCH = [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)]


@pytest.fixture
def worker(store, clock, settings):
    """A client of a service configured as a worker of `serve --workers N`: no drain of its own (the
    serving process drains every 5 s), so nothing but the test requalifies behind its back."""
    worker_settings = settings.model_copy(update={"requalify_pending_elsewhere_s": 5.0})
    with TestClient(create_app(worker_settings, store=store, clock=clock)) as c:
        yield c


def _later(client, rows):
    r = client.post("/v1/activities", params={"requalify": "later"}, json={"activities": rows})
    assert r.status_code == 200, r.text
    return r.json()


def _drain(client) -> dict:
    return Requalifier(client.app.state.graphsvc, 0, 0).run_pending()


def test_later_marks_the_accounts_and_the_drain_gives_the_stage_now_would(worker):
    setup_account(worker)
    body = _later(worker, BATCH)
    assert (body["new"], body["duplicate"], body["accounts_touched"]) == (len(BATCH), 0, ["acme"])
    assert (body["requalification"], body["stage_changes"]) == ("pending", [])
    # Recorded but not requalified: the stored stage is the old one, the evaluation already says mqa.
    assert worker.get("/v1/accounts/acme").json()["stage"] == "target"
    assert worker.get("/v1/accounts/acme/readiness").json()["stage"] == "mqa"
    assert worker.get("/v1/requalification").json() == {"pending": 1, "drain_every_s": 5.0}

    assert all_events(worker) == []  # nothing changed stage yet
    out = _drain(worker)
    assert (out["accounts"], out["changed"]) == (1, 1)
    assert worker.get("/v1/requalification").json()["pending"] == 0
    # The drain's stage change reaches the feed (and webhooks) as any requalification's does.
    assert [(e["type"], e["account_id"]) for e in all_events(worker)] == [("stage_changed", "acme")]
    stored = worker.get("/v1/accounts/acme").json()
    readiness = worker.get("/v1/accounts/acme/readiness").json()
    assert (stored["stage"], stored["missing_roles"]) == ("mqa", readiness["buying_center"]["missing"])
    history = worker.get("/v1/accounts/acme/history").json()
    assert [(h["from"], h["to"]) for h in history if h["to"] == "mqa"] == [("target", "mqa")]


def test_the_drain_requalifies_an_account_once_for_many_batches_and_equals_now(worker, store, client):
    """Three batches later, one drain, one stage change: the same outcome as the same batches `now`
    on another account of the same shape, score for score."""
    setup_account(worker)
    for contact in ("e1", "e2", "e3"):
        assert _later(worker, engineer_engagement(contact))["accounts_touched"] == ["acme"]
    assert worker.get("/v1/requalification").json()["pending"] == 1
    out = _drain(worker)
    assert (out["accounts"], out["changed"]) == (1, 1)
    later = worker.get("/v1/accounts/acme").json()

    store.delete_all()  # the same load again, requalified in each request
    setup_account(client)
    changes = []
    for contact in ("e1", "e2", "e3"):
        r = client.post("/v1/activities", json={"activities": engineer_engagement(contact)})
        assert r.status_code == 200 and r.json()["requalification"] == "done"
        changes += [(c["from"], c["to"]) for c in r.json()["stage_changes"]]
    now = client.get("/v1/accounts/acme").json()
    assert changes and changes[-1][1] == "mqa"
    keys = ("stage", "fit", "engagement", "mqa_score", "missing_roles", "qualified_at", "requalify_at")
    assert {k: later[k] for k in keys} == {k: now[k] for k in keys}


def test_later_is_refused_and_writes_nothing_when_the_drain_is_off(client):
    setup_account(client)  # the test settings turn the drain off (GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S=0)
    r = client.post("/v1/activities", params={"requalify": "later"}, json={"activities": BATCH})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_input" and [d["field"] for d in body["details"]] == ["requalify"]
    assert client.get("/v1/requalification").json() == {"pending": 0, "drain_every_s": None}
    # Nothing was recorded: the same batch is all new, and requalified in the request.
    again = client.post("/v1/activities", json={"activities": BATCH}).json()
    assert (again["new"], again["duplicate"], again["requalification"]) == (len(BATCH), 0, "done")


def test_an_unknown_requalify_value_is_a_422_naming_it(worker):
    setup_account(worker)
    r = worker.post("/v1/activities", params={"requalify": "soon"}, json={"activities": BATCH})
    assert r.status_code == 422
    assert "requalify" in r.text
    assert worker.get("/v1/requalification").json()["pending"] == 0


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


@pytest.fixture(params=["falkordb", "neo4j"])
def served(request, tmp_path):
    """`graphsvc serve --workers 2` draining every 0.2 s: on its embedded FalkorDB, or on the test Neo4j."""
    env = {"GRAPHSVC_REQUALIFY_PENDING_INTERVAL_S": "0.2", "GRAPHSVC_REQUALIFY_INTERVAL_S": "0",
           "GRAPHSVC_WEBHOOK_POLL_S": "0", "GRAPHSVC_SLA_INTERVAL_S": "0"}
    if request.param == "neo4j":
        from conftest import neo4j_executor

        from graphsvc.store.graph_store import GraphStore

        uri = request.getfixturevalue("neo4j_uri")
        emptied = GraphStore(neo4j_executor(uri))
        emptied.delete_all()
        emptied.close()
        env |= {"GRAPHSVC_STORE": uri, "GRAPHSVC_NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"),
                "GRAPHSVC_NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "neo4j")}
        if os.environ.get("NEO4J_DATABASE"):
            env["GRAPHSVC_NEO4J_DATABASE"] = os.environ["NEO4J_DATABASE"]
    svc = ServeProcess(tmp_path / "data", tmp_path / "serve.log", "--workers", "2", env=env)
    try:
        svc.wait_healthy()
        yield svc
    finally:
        svc.stop()


def test_serve_with_workers_accepts_later_and_its_drain_catches_up(served):
    http = served.http
    setup_account(http)
    now = time.time()
    rows = [{"id": f"{c}-{i}", "contact_id": c, "type": t, "at": _iso(now - (i + 1) * 86400.0)}
            for c in ("e1", "e2", "e3")
            for i, t in enumerate(("webinar_attended", "content_download", "content_download",
                                   "capability_page_view", "capability_page_view", "capability_page_view"))]
    r = http.post("/v1/activities", params={"requalify": "later"}, json={"activities": rows})
    assert r.status_code == 200, r.text + served.tail()
    assert r.json()["requalification"] == "pending" and r.json()["accounts_touched"] == ["acme"]
    assert http.get("/v1/requalification").json()["drain_every_s"] == 0.2  # a worker tells the serving process's
    deadline = time.monotonic() + 60
    while http.get("/v1/requalification").json()["pending"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert http.get("/v1/requalification").json()["pending"] == 0, served.tail()
    stored = http.get("/v1/accounts/acme").json()
    readiness = http.get("/v1/accounts/acme/readiness").json()
    assert stored["stage"] == readiness["stage"] == "mqa", served.tail()


def test_contacts_later_marks_the_accounts_of_updated_contacts_for_the_drain(worker):
    """A contact moved to another account (its title changed too): both accounts are marked, none is
    requalified in the request, and the drain gives each the stage a fresh evaluation gives. (On
    FalkorDB the drain's outcome write removed several properties of acme in one update, and the
    engine removed the wrong ones, keeping the mark: tests/test_one_removal_per_update.py.)"""
    setup_account(worker)
    worker.post("/v1/accounts", json={"accounts": [{"id": "globex", "name": "Globex", "domain": "globex.example"}]})
    worker.post("/v1/activities", json={"activities": BATCH})  # requalified now: acme is mqa
    assert worker.get("/v1/accounts/acme").json()["stage"] == "mqa"
    r = worker.post("/v1/contacts", params={"requalify": "later"}, json={"contacts": [
        {"id": "e2", "email": "e2@acme.example", "title": "Head of Test", "account_id": "globex"}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["requalification"], body["stage_changes"]) == ("pending", [])
    assert body["accounts_touched"] == ["acme", "globex"]
    assert worker.get("/v1/requalification").json()["pending"] == 2
    _drain(worker)
    assert worker.get("/v1/requalification").json()["pending"] == 0
    assert worker.get("/v1/accounts/acme").json()["domain"] == "acme.example"
    for account in ("acme", "globex"):
        stored = worker.get(f"/v1/accounts/{account}").json()
        readiness = worker.get(f"/v1/accounts/{account}/readiness").json()
        assert (stored["stage"], stored["missing_roles"]) == (readiness["stage"], readiness["buying_center"]["missing"])


def test_contacts_later_is_refused_when_the_drain_is_off(client):
    setup_account(client)
    r = client.post("/v1/contacts", params={"requalify": "later"}, json={"contacts": [
        {"id": "e2", "email": "e2@acme.example", "title": "Head of Test"}]})
    assert r.status_code == 422 and [d["field"] for d in r.json()["details"]] == ["requalify"]
    contact = client.get("/v1/contacts/e2").json()
    assert contact["title"] == "Test Engineer"  # unchanged
