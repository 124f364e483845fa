"""`PUT /v1/rules` answers within the request's deadline however long applying the ruleset takes: an
activation still running shortly before the deadline is answered 202 with `Location:
/v1/rules/activations/{id}`, and followed there to the outcome (or the error) the PUT would have
answered. Before, the deadline's 503 ("nothing was acknowledged: retry") came while the activation
went on and succeeded (at 100k accounts it takes a minute or more; the deadline is 30 s). Both
engines; the activation's first outcome write is held until the test has its answer. The record is
in the graph: another API worker (a second app on the same store) shows it and refuses a second
activation meanwhile; one whose process stopped is shown interrupted and blocks nothing."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from held_store import HeldStore, follow, held_app
from test_hardening_rules_and_cypher import DEMANDING, TOML, engaged_accounts, put_rules, stages

from graphsvc.errors import StoreUnavailable


def _app(store, clock, settings, statement: str = "qualification/record_outcomes") -> tuple[TestClient, HeldStore]:
    """The service on a store whose `statement` (the rules' outcomes) waits for the test (deadline 2 s)."""
    return held_app(store, clock, settings, statement)


def test_a_long_activation_is_answered_as_one_tofollow(client, store, clock, settings):
    engaged_accounts(client)  # through the usual service (no deadline of 2 s for a cold engine)
    version = client.get("/v1/rules").json()["version"]
    held_client, held = _app(store, clock, settings)
    with held_client as c:
        r = put_rules(c, DEMANDING)
        assert r.status_code == 202, r.text
        body = r.json()
        assert r.headers["Location"] == f"/v1/rules/activations/{body['id']}"
        assert body["status"] == "running" and body["result"] is None and body["error"] is None
        assert body["version"] != version and body["actor"] == "admin"
        # Meanwhile the old ruleset is active, and another activation waits its turn.
        assert c.get("/v1/rules").json()["version"] == version
        again = put_rules(c, TOML)
        assert again.status_code == 409 and again.json()["details"]["activation"] == body["id"], again.text
        held.release.set()
        done = follow(c, r.headers["Location"])
        assert done["status"] == "done" and done["error"] is None and done["finished_at"]
        assert done["accounts_done"] == 3
        assert done["result"]["version"] == body["version"] and done["result"]["changed"] == 3
        assert [x["to"] for x in done["result"]["changes"]] == ["target"] * 3
        assert c.get("/v1/rules").json()["version"] == body["version"]
        assert {s for s, _ in stages(c).values()} == {"target"}
        assert put_rules(c, TOML).status_code in (200, 202)  # the next one is free to run
        assert c.get("/v1/rules/activations/nope").status_code == 404


def test_an_activation_that_fails_after_its_answer_says_so_where_it_is_followed(client, store, clock, settings):
    before = engaged_accounts(client)
    version = client.get("/v1/rules").json()["version"]
    held_client, held = _app(store, clock, settings)
    with held_client as c:
        r = put_rules(c, DEMANDING)
        assert r.status_code == 202, r.text
        held.fail = StoreUnavailable("engine down")
        held.release.set()
        failed = follow(c, r.headers["Location"])
        assert failed["status"] == "failed" and failed["result"] is None
        error = failed["error"]
        assert error["status"] == 503 and error["error"] == "store_unavailable"
        assert "NOT activated" in error["message"]
        assert error["details"]["activated"] is False and error["details"]["active_version"] == version
        assert c.get("/v1/rules").json()["version"] == version
        assert stages(c) == before


def test_another_worker_shows_the_activation_and_refuses_a_second(client, store, clock, settings):
    engaged_accounts(client)
    held_client, held = _app(store, clock, settings)
    with held_client as a:
        r = put_rules(a, DEMANDING)
        assert r.status_code == 202, r.text
        url = r.headers["Location"]
        # `client` is another app on the same graph: another worker of `serve --workers 2`.
        shown = client.get(url).json()
        assert shown["status"] == "running" and shown["id"] == r.json()["id"], shown
        again = put_rules(client, TOML)
        assert again.status_code == 409 and again.json()["details"]["activation"] == shown["id"], again.text
        held.release.set()
        assert follow(client, url)["status"] == "done"
        assert follow(a, url)["result"]["changed"] == 3


def test_an_activation_whose_process_stopped_is_shown_interrupted_and_blocks_nothing(client, store):
    stale = time.time() - 3_600  # its last heartbeat: an hour ago
    store.executor.write("CREATE (:RulesetActivation {id: 'gone', version: 'v-gone', actor: 'admin', "
                         "status: 'running', accounts_done: 500, started_at: $t, updated_at: $t})", {"t": stale})
    shown = client.get("/v1/rules/activations/gone").json()
    assert shown["status"] == "interrupted" and shown["accounts_done"] == 500
    assert "stopped before it ended" in shown["error"]["message"]
    r = put_rules(client, DEMANDING)
    assert r.status_code == 200, r.text


def test_an_activation_with_a_new_half_life_shows_its_rebuild_then_its_requalification(client, store, clock, settings,
                                                                                     monkeypatch):
    """A new half-life rebuilds every contact's engagement aggregates before any account is requalified
    (minutes at 1M contacts): the record says so (`phase`, `contacts_done`) while it runs."""
    from graphsvc.qualification import activations

    monkeypatch.setattr(activations, "BEAT_S", 0.05)
    engaged_accounts(client)
    held_client, held = _app(store, clock, settings, "qualification/engagement_rebuild")
    with held_client as c:
        r = put_rules(c, TOML.replace("half_life_days = 30.0", "half_life_days = 20.0"))
        assert r.status_code == 202, r.text
        url = r.headers["Location"]
        for _ in range(600):  # the first heartbeat after the rebuild began (bounded, not a timing assertion)
            shown = c.get(url).json()
            if shown["phase"] == "engagement":
                break
            time.sleep(0.05)
        assert (shown["status"], shown["phase"], shown["contacts_done"], shown["accounts_done"]) == \
            ("running", "engagement", 0, 0), shown
        held.release.set()
        done = follow(c, url)
    assert (done["status"], done["phase"], done["contacts_done"], done["accounts_done"]) == ("done", "requalify", 3, 3)
