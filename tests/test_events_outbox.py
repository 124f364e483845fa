"""Issue 12, outbox: every stage change and role change is an Event written in the SAME statement as
the change, on both engines: no event without its change, no change without its event; ids ordered."""

from __future__ import annotations

import threading

import pytest
from conftest import NOW
from test_qualification_api import act, engineer_engagement, post, setup_account

from graphsvc.errors import GraphsvcError


def feed(client, **params):
    r = client.get("/v1/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def all_events(client):
    return feed(client, limit=1000)["events"]


def history_ids(client, account="acme"):
    return [h["id"] for h in client.get(f"/v1/accounts/{account}/history").json()]


def make_sql(client):
    setup_account(client)
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])
    post(client, [act("vp-web", "vp", "webinar_attended", 8, "webinar-motion"),
                  act("vp-price", "vp", "pricing_page_view", 2), act("q1", "e1", "quote_request", 1)])


def four_events(client):
    """make_sql's two stage changes (1, 2), then a roles change (3) and a person's accept (4)."""
    make_sql(client)
    client.put("/v1/contacts/e2/roles", json={"confirm": [{"role": "champion"}], "actor": "sam"})
    client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"})


def test_every_stage_change_has_exactly_one_event_in_order(client):
    setup_account(client)
    client.post("/v1/accounts", json={"accounts": [{"id": "acme", "name": "Acme Motion", "domain": "acme.example",
                                                    "owner": "sam"}]})
    assert all_events(client) == []  # ingest that changes no stage writes no event
    make_sql(client)
    r = client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"})
    assert r.status_code == 200, r.text
    events = all_events(client)
    assert [e["id"] for e in events] == [1, 2, 3]  # ordered, gapless on a quiet store
    assert [(e["type"], e["data"]["from"], e["data"]["to"]) for e in events] == [
        ("stage_changed", "target", "mqa"), ("stage_changed", "mqa", "sql"), ("stage_changed", "sql", "accepted")]
    # one event per StageChange of the history, and the other way round
    assert [e["data"]["change_id"] for e in events] == history_ids(client)
    mqa, sql, accepted = events
    assert mqa["account_id"] == "acme" and mqa["owner"] == "sam" and mqa["actor"].startswith("rules@")
    assert mqa["data"]["missing_roles"] == ["decision_maker"]
    assert {c["name"] for c in sql["data"]["checks"] if c["gate"] == "sql" and c["passed"]} >= {"intent"}
    assert sql["data"]["missing_roles"] == [] and sql["data"]["reason"]
    assert sql["data"]["scores"]["mqa_score"] > 0
    assert accepted["actor"] == "sam" and accepted["data"]["action"] == "accept"
    assert accepted["at"].startswith("2026-11-01T12:00")  # the service clock, as ISO-8601


def test_a_change_that_does_not_happen_writes_no_event(client, store):
    make_sql(client)
    before = all_events(client)
    # a person's action checked against a stage the account is no longer in: no change, no event
    assert store.write("qualification/transition", id="acme", **{"from": "mqa"}, to="nurture", at=NOW,
                       actor="x", action="recycle", reason="r", change_id="never", event="{}") == []
    # an outcome computed from a stale stage: scores written, stage and event not
    out = store.write("qualification/record_outcomes", rows=[{
        "id": "acme", "from": "engaged", "stage": "mqa", "changed": True, "reason": "r", "fit": 1.0,
        "engagement": 1.0, "mqa_score": 1.0, "qualified_at": None, "missing_roles": [], "change_id": "stale",
        "pending": None, "event": "{}"}], now=NOW, actor="rules@test", ruleset="test")
    assert out[0]["written"] == 1 and out[0]["changed"] == []
    assert all_events(client) == before
    assert "never" not in history_ids(client) and "stale" not in history_ids(client)
    # requalifying an account whose stage holds changes nothing and writes nothing
    client.put("/v1/rules", content=client.get("/v1/rules").json()["toml"])
    assert all_events(client) == before


def test_an_event_that_cannot_be_written_rolls_its_change_back(client, store):
    """The event is part of the change's transaction: when writing it fails, the stage stays."""
    make_sql(client)
    before = all_events(client)
    with pytest.raises(GraphsvcError):  # a map is no property value on either engine: the CREATE fails
        store.write("qualification/record_outcomes", rows=[{
            "id": "acme", "from": "sql", "stage": "mqa", "changed": True, "reason": "r", "fit": 1.0,
            "engagement": 1.0, "mqa_score": 1.0, "qualified_at": None, "missing_roles": [], "change_id": "doomed",
            "pending": None, "event": {"not": "a property value"}}], now=NOW, actor="rules@test", ruleset="test")
    with pytest.raises(GraphsvcError):
        store.write("qualification/transition", id="acme", **{"from": "sql"}, to="accepted", at=NOW, actor="x",
                    action="accept", reason=None, change_id="doomed2", event={"not": "a property value"})
    assert client.get("/v1/accounts/acme").json()["stage"] == "sql"
    assert "doomed" not in history_ids(client) and "doomed2" not in history_ids(client)
    assert all_events(client) == before


def test_role_changes_are_events_when_something_changed(client):
    setup_account(client)
    client.post("/v1/accounts", json={"accounts": [{"id": "acme", "name": "Acme Motion", "domain": "acme.example",
                                                    "owner": "sam"}]})
    roles = {"types": "roles_changed"}
    r = client.put("/v1/contacts/e1/roles", json={"remove": [{"role": "champion"}], "actor": "sam"})
    assert r.status_code == 200, r.text
    assert feed(client, **roles)["events"] == []  # removing a role the contact does not have changes nothing
    client.put("/v1/contacts/e1/roles", json={"confirm": [{"role": "champion"}], "actor": "sam"})
    client.put("/v1/contacts/e1/roles", json={"remove": [{"role": "champion"}, {"role": "blocker"}], "actor": "kim"})
    events = feed(client, **roles)["events"]
    assert [(e["actor"], e["account_id"], e["owner"], e["data"]["confirmed"], e["data"]["removed"]) for e in events] \
        == [("sam", "acme", "sam", ["champion"], []), ("kim", "acme", "sam", [], ["champion"])]
    assert events[1]["data"]["removal_requested"] == ["champion", "blocker"]
    assert events[1]["data"]["contact_id"] == "e1"


def test_concurrent_changes_get_unique_ordered_ids(client, store):
    """Writers racing for the counter: every event gets its own id, no gaps (the counter is locked
    until commit on Neo4j; FalkorDB runs writes one at a time)."""
    client.post("/v1/accounts", json={"accounts": [{"id": f"a{i}", "name": f"A{i}"} for i in range(12)]})
    errors = []
    make_sql(client)  # some events first, so the race starts from a counter that exists
    before = len(all_events(client))
    assert before == 2

    def act_on(i):
        try:
            assert store.write("qualification/transition", id=f"a{i}", **{"from": "target"}, to="nurture", at=NOW,
                               actor="t", action="recycle", reason="r", change_id=f"c{i}", event="{}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=act_on, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    events = all_events(client)
    assert [e["id"] for e in events] == list(range(1, before + 13))
    raced = events[before:]
    assert sorted(e["account_id"] for e in raced) == sorted(f"a{i}" for i in range(12))
    assert {e["data"]["change_id"] for e in raced} == {f"c{i}" for i in range(12)}
