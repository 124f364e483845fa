"""Issue 12, webhooks: registration (URL checks, the secret shown once and kept 0600), delivery to a
real local HTTP receiver with a verifiable signature, in order per account, retries with backoff,
dead-letter, redeliver, filters, the Slack format, and lanes: a hanging receiver delays neither
another webhook nor ingest. On both engines; the worker is driven by hand with the test's clock
except in the lane test, which runs its thread."""

from __future__ import annotations

import json
import os
import stat

import pytest
from test_events_outbox import all_events, four_events, make_sql
from test_qualification_api import setup_account
from webhook_receiver import Receiver

from graphsvc.events import signing
from graphsvc.events.delivery import DeliveryWorker


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


def register(client, url, **extra):
    r = client.post("/v1/webhooks", json={"url": url, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def worker(client):
    return DeliveryWorker(client.app.state.graphsvc, poll_s=0)


def runs_until_nothing_is_sent(client) -> list[dict]:
    """The worker's runs until one sends nothing (PAGE also bounds the deliveries of one run)."""
    runs = [worker(client).run_once()]
    while runs[-1]["sent"]:
        runs.append(worker(client).run_once())
    return runs


def deliveries(client, hook, **params):
    r = client.get(f"/v1/webhooks/{hook['id']}/deliveries", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_registration_shows_the_secret_once_and_keeps_it_private(client, settings, receiver):
    hook = register(client, receiver.url, types=["stage_changed"], segment="mid_market")
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert hook["types"] == ["stage_changed"] and hook["segment"] == "mid_market" and hook["format"] == "json"
    assert hook["max_attempts"] == settings.webhook_max_attempts
    listed = client.get("/v1/webhooks").json()
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0] and "secret" not in client.get(f"/v1/webhooks/{hook['id']}").json()
    assert hook["secret"] not in json.dumps(listed)
    path = settings.data_dir / "webhook_secrets.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text()) == {hook["id"]: hook["secret"]}
    assert client.delete(f"/v1/webhooks/{hook['id']}").status_code == 204
    assert client.get(f"/v1/webhooks/{hook['id']}").status_code == 404
    assert client.delete(f"/v1/webhooks/{hook['id']}").status_code == 404
    assert json.loads(path.read_text()) == {}


@pytest.mark.parametrize(("url", "says"), [
    ("ftp://example.com/x", "http"), ("file:///etc/passwd", "http"), ("https://user:pw@example.com/x", "credentials"),
    ("http:///nohost", "host"), ("https://example.com:99999/x", "URL"), ("https://example.com/x#frag", "fragment"),
    ("not a url", "http")])
def test_bad_webhook_urls_are_422_naming_the_field(client, url, says):
    r = client.post("/v1/webhooks", json={"url": url})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "invalid_input" and body["details"][0]["field"] == "url"
    assert says in body["details"][0]["message"] + body["message"]
    assert client.get("/v1/webhooks").json() == []


def test_unknown_types_and_attempts_are_422(client, receiver):
    assert client.post("/v1/webhooks", json={"url": receiver.url, "types": ["nope"]}).status_code == 422
    assert client.post("/v1/webhooks", json={"url": receiver.url, "max_attempts": 0}).status_code == 422
    assert client.post("/v1/webhooks", json={"url": receiver.url, "format": "xml"}).status_code == 422
    r = client.post("/v1/webhooks", json={"url": receiver.url, "owner": "a\u0000b"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    assert client.get("/v1/webhooks").json() == []


def test_events_are_delivered_signed_and_in_order(client, clock, receiver):
    setup_account(client)
    client.put("/v1/contacts/e1/roles", json={"confirm": [{"role": "champion"}], "actor": "sam"})  # before: not sent
    hook = register(client, receiver.url)
    make_sql(client)
    client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"})
    out = worker(client).run_once()
    assert out == {"queued": 3, "sent": 3, "delivered": 3}
    events = all_events(client)
    assert receiver.ids() == [e["id"] for e in events[1:]] == [2, 3, 4]
    assert [r["json"] for r in receiver.requests] == events[1:]  # the body is the feed's event
    for r in receiver.requests:
        assert signing.verify(hook["secret"], r["body"], r["headers"], now=clock())
        assert r["headers"]["X-Graphsvc-Timestamp"] == str(int(clock()))
        assert not signing.verify(hook["secret"], r["body"] + b" ", r["headers"], now=clock())  # tampered
        assert not signing.verify("whsec_other", r["body"], r["headers"], now=clock())  # another secret
        assert not signing.verify(hook["secret"], r["body"], r["headers"], now=clock() + 301)  # a replay, later
    log = deliveries(client, hook)
    assert [(d["event_id"], d["status"], d["attempts"], d["last_status"]) for d in log] == [
        (2, "delivered", 1, 200), (3, "delivered", 1, 200), (4, "delivered", 1, 200)]
    assert worker(client).run_once() == {"queued": 0, "sent": 0, "delivered": 0}  # nothing twice
    assert len(receiver.requests) == 3


def test_the_backlog_is_queued_a_window_of_ids_at_a_time(client, receiver, monkeypatch):
    """The worker reads the events past a webhook's cursor `PAGE` ids at a time (here 1) and moves
    the cursor past each window, also one whose events its filter does not want: each wanted event
    is queued and delivered once, in order, and the cursor ends at the newest event."""
    from graphsvc.events import delivery

    monkeypatch.setattr(delivery, "PAGE", 1)
    stages = register(client, receiver.url, types=["stage_changed"])
    four_events(client)
    runs = runs_until_nothing_is_sent(client)
    assert [r["queued"] for r in runs] == [3, 0, 0, 0] and sum(r["delivered"] for r in runs) == 3
    assert receiver.ids() == [1, 2, 4]  # 3 is roles_changed
    cursor = client.app.state.graphsvc.store.read("events/webhooks")[0]["cursor"]
    assert cursor == 4
    assert worker(client).run_once() == {"queued": 0, "sent": 0, "delivered": 0}
    assert [d["event_id"] for d in deliveries(client, stages)] == [1, 2, 4]


def test_a_backlog_window_with_fewer_events_than_ids_is_read_on_without_a_bound(client, store, receiver,
                                                                                monkeypatch):
    """An id without its event (a gap; as a reader behind the counter would answer): the worker reads
    on without an upper bound and moves the cursor only to events it saw; nothing is lost or sent
    twice, and a worker whose cursor another moved queues nothing (events/enqueue answers no row)."""
    from graphsvc.events import delivery

    monkeypatch.setattr(delivery, "PAGE", 1)
    register(client, receiver.url, types=["stage_changed"])
    four_events(client)
    store.executor.write("MATCH (e:Event {seq: 2}) DETACH DELETE e", {})
    runs = runs_until_nothing_is_sent(client)
    assert sum(r["queued"] for r in runs) == 2 and receiver.ids() == [1, 4]
    hook = store.read("events/webhooks")[0]
    assert hook["cursor"] == 4
    assert store.write("events/enqueue", webhook=hook["id"], rows=[], now=0.0, **{"from": 2, "to": 9}) == []
    assert store.read("events/webhooks")[0]["cursor"] == 4


def test_failures_retry_with_backoff_then_dead_letter_and_redeliver(client, clock, receiver):
    hook = register(client, receiver.url, max_attempts=3)
    make_sql(client)  # two events of one account: 1 (target -> mqa), 2 (mqa -> sql)
    receiver.statuses = [500, 503, 500]
    w = worker(client)
    assert w.run_once()["sent"] == 1  # event 2 waits behind event 1: in order per account
    first = deliveries(client, hook)[0]
    assert (first["event_id"], first["status"], first["attempts"], first["last_status"], first["last_error"]) == \
        (1, "pending", 1, 500, "HTTP 500")
    wait = _epoch(first["next_at"]) - clock()
    assert 1.0 <= wait < 2.0  # base 2 s, jitter in [0.5, 1)
    assert w.run_once()["sent"] == 0  # not due yet
    clock.advance(wait + 1e-3)  # next_at is shown to the microsecond: its epoch can read a hair early
    assert w.run_once()["sent"] == 1  # attempt 2 (503)
    second = deliveries(client, hook)[0]
    assert second["attempts"] == 2 and 2.0 <= _epoch(second["next_at"]) - clock() < 4.0  # doubled
    clock.advance(4.0)
    out = w.run_once()  # attempt 3 fails: dead; the account's next event goes on (and succeeds)
    assert out["sent"] == 2 and out["delivered"] == 1
    log = deliveries(client, hook)
    assert [(d["event_id"], d["status"], d["attempts"]) for d in log] == [(1, "dead", 3), (2, "delivered", 1)]
    assert [d["event_id"] for d in deliveries(client, hook, status="dead")] == [1]
    assert receiver.ids() == [1, 1, 1, 2]
    r = client.post(f"/v1/webhooks/{hook['id']}/deliveries/1/redeliver")
    assert r.status_code == 200 and r.json() == {"event_id": 1, "was": "dead", "status": "pending"}
    assert w.run_once()["delivered"] == 1
    assert receiver.ids() == [1, 1, 1, 2, 1]
    assert deliveries(client, hook, status="dead") == []
    assert client.post(f"/v1/webhooks/{hook['id']}/deliveries/99/redeliver").status_code == 404


def _epoch(text):
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_a_dead_receiver_is_retried_then_dead_lettered(client, clock):
    hook = register(client, "http://127.0.0.1:9/nothing-listens", max_attempts=2)
    make_sql(client)
    w = worker(client)
    w.run_once()
    clock.advance(3600)
    w.run_once()
    log = deliveries(client, hook)
    assert log[0]["status"] == "dead" and log[0]["last_status"] is None and log[0]["last_error"] == "ConnectError"
    assert "127.0.0.1" not in json.dumps(log)  # no URL in the log


def test_filters_and_the_slack_format(client, receiver):
    roles_only = register(client, receiver.url + "?roles", types=["roles_changed"])
    other_segment = register(client, receiver.url + "?enterprise", segment="enterprise")
    sams = register(client, receiver.url + "?sam", owner="sam", format="slack")
    setup_account(client)
    client.post("/v1/accounts", json={"accounts": [{"id": "acme", "name": "Acme Motion", "owner": "sam"}]})
    make_sql(client)
    client.put("/v1/contacts/e1/roles", json={"confirm": [{"role": "champion"}], "actor": "kim"})
    worker(client).run_once()
    by_path = {}
    for r in receiver.requests:
        by_path.setdefault(r["path"], []).append(r["json"])
    assert [e["type"] for e in by_path["/hook?roles"]] == ["roles_changed"]
    assert "/hook?enterprise" not in by_path  # acme is mid_market
    texts = [m["text"] for m in by_path["/hook?sam"]]
    assert texts[0].startswith("Acme Motion is now MQA") and "missing: decision maker" in texts[0]
    assert texts[1].startswith("Acme Motion is now SQL: latest intent quote_request by e1")
    assert texts[1].endswith("decision maker covered"), texts[1]
    assert texts[2] == "Acme Motion: buying roles of contact e1 changed by kim (+champion)"
    assert deliveries(client, other_segment) == [] and len(deliveries(client, roles_only)) == 1
    assert len(deliveries(client, sams)) == 3


def test_a_hanging_receiver_delays_neither_other_webhooks_nor_ingest(client, receiver, settings):
    """The worker's own thread and lanes: webhook A's receiver hangs (until the test releases it);
    webhook B gets every event meanwhile, and ingest and transitions answer."""
    with Receiver() as hanging:
        hanging.hang.set()
        register(client, hanging.url)
        register(client, receiver.url)
        settings.webhook_timeout_s = 120.0
        w = DeliveryWorker(client.app.state.graphsvc, poll_s=0.05).start()
        try:
            make_sql(client)  # ingest answers while A's lane is stuck on event 1
            assert receiver.wait_for(2), receiver.ids()
            r = client.post("/v1/accounts/acme/transitions", json={"action": "accept", "actor": "sam"})
            assert r.status_code == 200
            assert receiver.wait_for(3), receiver.ids()
            assert receiver.ids() == [1, 2, 3]
            assert hanging.requests == []  # still hanging on its first event
            hanging.release.set()
            assert hanging.wait_for(3), hanging.ids()
            assert hanging.ids() == [1, 2, 3]
        finally:
            hanging.release.set()
            w.stop()


def test_a_receiver_that_does_not_answer_in_time_is_retried(client, settings, clock):
    """No answer within GRAPHSVC_WEBHOOK_TIMEOUT_S: the attempt fails (ReadTimeout) and is retried."""
    settings.webhook_timeout_s = 0.5
    with Receiver() as slow:
        slow.hang.set()  # holds every request until released
        hook = register(client, slow.url)
        make_sql(client)
        assert worker(client).run_once() == {"queued": 2, "sent": 1, "delivered": 0}
        first = deliveries(client, hook)[0]
        assert (first["status"], first["attempts"], first["last_error"]) == ("pending", 1, "ReadTimeout")
        slow.hang.clear()
        slow.release.set()
        clock.advance(3600)
        assert worker(client).run_once()["delivered"] == 2
