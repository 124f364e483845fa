"""Issue 12: `PUT /v1/accounts/{id}/owner` sets the owner and writes its owner_assigned event with the
actor in one statement; on both engines."""

from __future__ import annotations

from conftest import NOW
from test_events_outbox import feed
from test_qualification_api import setup_account


def test_assigning_an_owner_is_an_event_with_the_actor(client, store):
    setup_account(client)
    r = client.put("/v1/accounts/acme/owner", json={"owner": "sam", "actor": "lead", "reason": "territory DE"})
    assert r.status_code == 200, r.text
    assert r.json()["changed"] is True and r.json()["from"] is None and r.json()["event_id"] == 1
    client.put("/v1/accounts/acme/owner", json={"owner": "kim", "actor": "lead"})
    again = client.put("/v1/accounts/acme/owner", json={"owner": "kim", "actor": "lead"}).json()
    assert again["changed"] is False and again["event_id"] is None  # nothing changed: no event
    assert client.get("/v1/accounts/acme").json()["owner"] == "kim"
    events = feed(client, types="owner_assigned", account_id="acme")["events"]
    assert [(e["actor"], e["owner"], e["data"]["from"], e["data"]["to"], e["data"]["reason"]) for e in events] == [
        ("lead", "sam", None, "sam", "territory DE"), ("lead", "kim", "sam", "kim", None)]
    # the owner changed since the request read it: nothing written
    assert store.write("events/assign_owner", id="acme", owner="x", now=NOW, actor="a", event="{}",
                       **{"from": "sam"}) == []
    assert client.get("/v1/accounts/acme").json()["owner"] == "kim"
    assert len(feed(client, types="owner_assigned")["events"]) == 2


def test_owner_errors(client):
    assert client.put("/v1/accounts/nope/owner", json={"owner": "sam", "actor": "lead"}).status_code == 404
    setup_account(client)
    for body in ({"owner": "", "actor": "lead"}, {"owner": "sam"}, {"actor": "lead"}):
        r = client.put("/v1/accounts/acme/owner", json=body)
        assert r.status_code == 422 and r.json()["error"] == "invalid_input", body
    assert feed(client)["events"] == []
