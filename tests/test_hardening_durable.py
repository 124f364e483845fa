"""Issue 8, item 2: the requalification a write implies is as durable as the write.

The engine failing between the write and its requalification is injected by making the first
requalification raise the engine's own "unavailable" error (the write before it is real, on the
real engine): the client gets 503. The account's `requalify_pending` mark, written in the same
statement as the activities, must then bring the stage up to date by every road: the client's
retry of the same batch, the drain at start, and the periodic drain.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_qualification_api import engineer_engagement, setup_account

from graphsvc.api.app import create_app
from graphsvc.errors import StoreUnavailable
from graphsvc.qualification import service as qualification_service
from graphsvc.qualification.scheduler import Requalifier
from graphsvc.rules import default_ruleset


def _pending(store) -> list[str]:
    return qualification_service.QualificationService(store, default_ruleset()).pending_accounts()


@pytest.fixture
def failing_once(monkeypatch):
    """The next requalification dies as if the engine went away after the write committed."""
    real = qualification_service.QualificationService.requalify
    state = {"armed": False}

    def requalify(self, ids, now):
        if state["armed"]:
            state["armed"] = False
            raise StoreUnavailable("the graph engine (test) is not answering")
        return real(self, ids, now)

    monkeypatch.setattr(qualification_service.QualificationService, "requalify", requalify)
    return state


BATCH = [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)]


def _stale_after_a_crash(client, failing_once):
    setup_account(client)
    failing_once["armed"] = True
    r = client.post("/v1/activities", json={"activities": BATCH})
    assert r.status_code == 503 and r.json()["error"] == "store_unavailable"
    # The activities are in; the stored stage is stale while an evaluation says mqa.
    assert client.get("/v1/accounts/acme").json()["stage"] == "target"
    assert client.get("/v1/accounts/acme/readiness").json()["mqa"]["passed"] is True
    assert client.get("/v1/accounts", params={"stage": "mqa"}).json()["items"] == []


def _up_to_date(client):
    assert client.get("/v1/accounts/acme").json()["stage"] == "mqa"
    assert [i["id"] for i in client.get("/v1/accounts", params={"stage": "mqa"}).json()["items"]] == ["acme"]
    history = client.get("/v1/accounts/acme/history").json()
    assert [(h["from"], h["to"]) for h in history if h["to"] == "mqa"] == [("target", "mqa")]


def test_stages_do_not_go_stale_when_the_engine_dies_before_requalification_retry(client, failing_once):
    _stale_after_a_crash(client, failing_once)
    r = client.post("/v1/activities", json={"activities": BATCH})  # the client's retry
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["new"], body["duplicate"]) == (0, len(BATCH))
    assert body["accounts_touched"] == ["acme"]
    assert [(c["account_id"], c["to"]) for c in body["stage_changes"]] == [("acme", "mqa")]
    _up_to_date(client)
    # Drained: a second retry finds nothing pending and changes nothing.
    again = client.post("/v1/activities", json={"activities": BATCH}).json()
    assert again["accounts_touched"] == [] and again["stage_changes"] == []


def test_stages_do_not_go_stale_when_the_client_never_retries_drain_at_start(store, clock, settings, failing_once):
    with TestClient(create_app(settings, store=store, clock=clock)) as client:
        _stale_after_a_crash(client, failing_once)
    # A new service process starts on the same store: its requalifier drains what was left pending.
    restarted = settings.model_copy(update={"requalify_pending_interval_s": 3600.0})
    with TestClient(create_app(restarted, store=store, clock=clock)) as client:
        requalifier = client.app.state.requalifier
        deadline = 200
        while client.get("/v1/accounts/acme").json()["stage"] != "mqa" and deadline:
            requalifier._stop.wait(0.05)
            deadline -= 1
        _up_to_date(client)
        assert _pending(store) == []


def test_pending_marks_from_roles_and_contact_changes_are_drained(client, store, failing_once):
    setup_account(client)
    client.post("/v1/activities", json={"activities": BATCH})
    failing_once["armed"] = True
    r = client.put("/v1/contacts/vp/roles", json={"confirm": [{"role": "decision_maker"}], "actor": "rep@x"})
    assert r.status_code == 503
    assert _pending(store) == ["acme"]
    out = Requalifier(client.app.state.graphsvc, 0, 0).run_pending()
    assert out["accounts"] == 1
    assert _pending(store) == []
    readiness = client.get("/v1/accounts/acme/readiness").json()
    stored = client.get("/v1/accounts/acme").json()
    assert (stored["stage"], stored["missing_roles"]) == (readiness["stage"], readiness["buying_center"]["missing"])


def test_a_write_after_the_snapshot_keeps_its_own_pending_mark(client, store):
    """Clearing is by token: a mark set by a write that came after the evaluated snapshot stays."""
    setup_account(client)
    client.post("/v1/activities", json={"activities": BATCH})
    assert _pending(store) == []
    store.write("ingest/change_roles", remove=[], confirm=[], now=0.0, batch="later")  # marks nothing
    store.write("ingest/change_roles", remove=[{"contact_id": "e1", "role": "nothing", "group_id": None}],
                confirm=[], now=0.0, batch="later")
    assert _pending(store) == ["acme"]
    # An outcome computed from a snapshot that saw an older mark does not clear the newer one.
    store.write("qualification/record_outcomes", rows=[{
        "id": "acme", "from": "mqa", "stage": "mqa", "changed": False, "reason": "r", "fit": 1.0,
        "engagement": 1.0, "mqa_score": 1.0, "qualified_at": None, "missing_roles": [], "change_id": "x",
        "pending": "older"}], now=0.0, actor="rules@test", ruleset="test")
    assert _pending(store) == ["acme"]
