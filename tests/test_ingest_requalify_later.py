"""Issue 10, the ingest goal (branch ingest3): what makes an API ingest batch cheaper without
changing what it means.

* `graphsvc serve` on an empty graph keeps the engagement aggregates from the first activity
  (ingest/engagement_from_start), so the requalification each activity batch implies reads them
  instead of replaying the accounts' history; a graph with contacts is left as it was.
* `POST /v1/{contacts,activities}?requalify=later` acknowledges the batch once written (its pending
  marks are in the same statement) and hands the requalification to this process's drain, woken at
  once; `GET /v1/requalification/pending` says when none is left. The outcome is the one an
  in-request requalification gives. Without a drain in the process, `later` requalifies now.
"""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from conftest import NOW, iso
from test_engagement_aggregates import assert_close

from graphsvc import cli
from graphsvc.ingest.repository import IngestRepository
from graphsvc.qualification.service import QualificationService
from graphsvc.qualification.snapshots import account_snapshot
from graphsvc.rules.loading import default_ruleset
from graphsvc.rules.result import to_jsonable

DAY = 86400.0
HALF_LIFE_S = 30 * DAY  # the default ruleset's


def _account(client, aid: str = "acme") -> None:
    r = client.post("/v1/accounts", json={"accounts": [{"id": aid, "name": "Acme", "domain": f"{aid}.example",
                                                         "industry": "industrial automation", "employees": 400,
                                                         "annual_revenue": 8e7, "country": "DE",
                                                         "segment": "mid_market"}]})
    assert r.status_code == 200, r.text
    contacts = [{"id": f"{aid}-{i}", "email": f"p{i}@{aid}.example", "account_id": aid, "title": title,
                 "seniority": sen, "department": dep, "roles": roles}
                for i, (title, sen, dep, roles) in enumerate([
                    ("VP Operations", "vp", "operations", [{"role": "decision_maker", "source": "sales"}]),
                    ("Process Engineer", "individual", "engineering", []),
                    ("CFO", "c_level", "finance", [{"role": "economic_buyer", "source": "sales"}])])]
    r = client.post("/v1/contacts", json={"contacts": contacts})
    assert r.status_code == 200, r.text


def _activities(aid: str, n: int, start: int = 0) -> list[dict]:
    kinds = ("demo_request", "webinar_attended", "content_download", "pricing_page_view", "meeting_booked")
    return [{"id": f"{aid}-a{start + i}", "contact_id": f"{aid}-{i % 3}", "type": kinds[i % len(kinds)],
             "at": iso(NOW - (i % 20) * DAY)} for i in range(n)]


# -- the engagement aggregates from the start ------------------------------------------------------

def test_an_empty_graph_keeps_aggregates_from_the_start_and_a_second_call_changes_nothing(store):
    repo = IngestRepository(store)
    assert repo.engagement_from_start(HALF_LIFE_S) is True
    assert store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}
    assert repo.engagement_from_start(7 * DAY) is False  # the index is there: left as it is
    assert store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}


def test_a_graph_with_contacts_is_left_to_the_full_pass(store):
    repo = IngestRepository(store)
    repo.upsert_accounts([{"id": "a1", "props": {"name": "A"}}], [], NOW)
    repo.upsert_contacts([{"id": "c1", "account_id": "a1", "props": {"email": "c1@a.example"}}], [], [], NOW)
    assert repo.engagement_from_start(HALF_LIFE_S) is False
    assert store.read_one("qualification/engagement_index") is None


def test_aggregates_kept_from_the_start_are_exact_and_equal_history(store, client):
    IngestRepository(store).engagement_from_start(HALF_LIFE_S)
    _account(client)
    for start in (0, 40):  # two batches: the second adds to the first's aggregates
        r = client.post("/v1/activities", json={"activities": _activities("acme", 40, start)})
        assert r.status_code == 200, r.text
    q = QualificationService(store, default_ruleset())
    current = q.snapshots_from_aggregates(["acme"], NOW)
    assert current[0]["exact"] is True  # read from the aggregates, no replay
    replayed = account_snapshot(q.snapshots_from_history(["acme"], NOW)[0])
    assert_close(to_jsonable(account_snapshot(current[0])), to_jsonable(replayed))
    assert_close(to_jsonable(q.snapshots(["acme"], NOW, now=NOW)[0]), to_jsonable(replayed))


@pytest.fixture
def no_server(monkeypatch, cli_store):
    """`serve` without an engine or a socket (as in test_auth)."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    return calls


def test_serve_starts_the_aggregates_on_an_empty_graph(tmp_path, no_server, cli_store):
    assert CliRunner().invoke(cli.main, ["serve", "--data-dir", str(tmp_path)]).exit_code == 0
    assert no_server  # it went on to serve
    assert cli_store.read_one("qualification/engagement_index") == {"half_life_s": HALF_LIFE_S, "built": True}


# -- ?requalify=later ------------------------------------------------------------------------------

@pytest.fixture
def draining_client(store, clock, settings):
    """The API with this process's drain of pending requalifications running (long interval: only a
    `later` write wakes it)."""
    from fastapi.testclient import TestClient

    from graphsvc.api.app import create_app

    app = create_app(settings.model_copy(update={"requalify_pending_interval_s": 3600.0}), store=store, clock=clock)
    with TestClient(app) as c:
        c.get("/health")
        yield c


def _drained(client, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while (r := client.get("/v1/requalification/pending")).json()["accounts"]:
        assert r.status_code == 200
        assert time.monotonic() < deadline, "the drain did not clear the pending marks"
        time.sleep(0.05)


def test_later_acknowledges_the_write_and_the_drain_gives_the_in_request_outcome(store, draining_client):
    client = draining_client
    _account(client)
    r = client.post("/v1/activities?requalify=later", json={"activities": _activities("acme", 60)})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["new"] == 60 and body["accounts_touched"] == ["acme"]
    assert body["requalification"] == "pending" and body["stage_changes"] == []
    _drained(client)
    stage = client.get("/v1/accounts/acme").json()["stage"]
    assert stage not in (None, "target")  # this much engagement moves it: the drain requalified it
    # requalifying it in a request now changes nothing: the drain's outcome is the in-request one
    assert QualificationService(store, default_ruleset()).requalify(["acme"], NOW) == []
    assert client.get("/v1/requalification/pending").json() == {"accounts": 0}


def test_in_request_requalification_is_the_default_and_says_done(draining_client):
    _account(draining_client)
    r = draining_client.post("/v1/activities", json={"activities": _activities("acme", 60)})
    assert r.status_code == 200
    assert r.json()["requalification"] == "done" and r.json()["stage_changes"]
    assert draining_client.get("/v1/requalification/pending").json() == {"accounts": 0}


def test_later_without_a_drain_in_the_process_requalifies_now(client):
    _account(client)  # the `client` fixture runs no drain (requalify_pending_interval_s=0)
    r = client.post("/v1/activities?requalify=later", json={"activities": _activities("acme", 60)})
    assert r.status_code == 200
    assert r.json()["requalification"] == "done" and r.json()["stage_changes"]
    assert client.get("/v1/requalification/pending").json() == {"accounts": 0}


def test_a_retried_later_batch_is_idempotent(draining_client):
    _account(draining_client)
    rows = _activities("acme", 30)
    first = draining_client.post("/v1/activities?requalify=later", json={"activities": rows}).json()
    _drained(draining_client)
    again = draining_client.post("/v1/activities?requalify=later", json={"activities": rows}).json()
    assert (first["new"], first["duplicate"]) == (30, 0)
    assert (again["new"], again["duplicate"], again["accounts_touched"]) == (0, 30, [])
    assert again["requalification"] == "done"  # nothing touched, nothing to hand over


def test_an_unknown_requalify_value_is_a_422_in_the_error_format(client):
    r = client.post("/v1/activities?requalify=soon", json={"activities": _activities("acme", 1)})
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_input" and any("requalify" in str(d) for d in r.json()["details"])


def test_later_contacts_are_acknowledged_and_drained(draining_client):
    _account(draining_client)
    r = draining_client.post("/v1/contacts?requalify=later", json={"contacts": [
        {"id": "acme-1", "email": "p1@acme.example", "account_id": "acme", "title": "Head of Engineering",
         "roles": [{"role": "technical_evaluator", "source": "sales"}]}]})
    assert r.status_code == 200, r.text
    assert r.json()["accounts_touched"] == ["acme"] and r.json()["requalification"] in ("pending", "done")
    _drained(draining_client)
