"""The rules lab answers within the request's deadline however many accounts there are: a simulation
(`POST /v1/rules/simulate`, `PUT /v1/rules?dry_run=true`) or a backtest still running shortly before
the deadline is answered 202 with `Location: /v1/rules/simulations/{id}` (or `/backtests/{id}`) and
followed there to the answer the request would have given, or its error. Before, the deadline's 503
("retry") came while the simulation went on, to be thrown away (at 100k accounts it takes a minute
and a half; the deadline is 30 s). Both engines; the run's first page of account ids is held until
the test has its answer. Its record is a job.json in the data directory: another API worker (a second
app on the same data directory) shows it; one whose process stopped is shown interrupted."""

from __future__ import annotations

import json
import os
import time

from fastapi.testclient import TestClient
from held_store import follow, held_app
from test_lab_backtest_store import STRICT, day
from test_lab_backtest_store import build as build_history
from test_lab_simulate import CANDIDATE, build, fingerprint, simulate

from graphsvc import runs
from graphsvc.api.app import create_app
from graphsvc.errors import QueryTimeout

HELD = "qualification/account_ids"  # every page of a simulation or a backtest starts with it


def _held_app(store, clock, settings):
    """The service with a 2 s deadline on a store whose pages of account ids wait for the test."""
    return held_app(store, clock, settings, HELD)


def test_a_long_simulation_is_answered_as_one_tofollow(client, store, clock, settings):
    build(client)
    answer = simulate(client, CANDIDATE).json()  # the usual service: answered at once
    before = fingerprint(store)
    held_client, held = _held_app(store, clock, settings)
    with held_client as c, TestClient(create_app(settings, store=store, clock=clock)) as other:
        r = simulate(c, CANDIDATE)
        assert r.status_code == 202, r.text
        run = r.json()
        url = f"/v1/rules/simulations/{run['id']}"
        assert r.headers["Location"] == url
        assert run["status"] == "running" and run["kind"] == "simulation" and run["unit"] == "accounts"
        assert run["candidate_version"] == answer["candidate_version"] and run["max_moves"] == 1000
        assert (run["done"], run["total"], run["moves"]) == (0, 3, 0)
        assert run["result"] is None and run["error"] is None and run["finished_at"] is None
        # Another worker of the machine answers for it (its job.json), and not under the other kind.
        shown = other.get(url)
        assert shown.status_code == 200 and shown.json()["status"] == "running", shown.text
        assert other.get(f"/v1/rules/backtests/{run['id']}").status_code == 404
        held.release.set()
        done = follow(c, url)
        assert done["status"] == "done" and done["error"] is None and done["finished_at"]
        assert done["result"] == answer and (done["done"], done["moves"]) == (3, answer["moves_total"])
        assert follow(other, url) == done
    assert fingerprint(store) == before  # a simulation followed to its end wrote nothing either


def test_a_dry_run_past_the_deadline_is_a_simulation_tofollow(client, store, clock, settings):
    build(client)
    answer = client.put("/v1/rules", content=CANDIDATE, params={"dry_run": "true"},
                        headers={"Content-Type": "application/toml"}).json()
    version = client.get("/v1/rules").json()["version"]
    held_client, held = _held_app(store, clock, settings)
    with held_client as c:
        r = c.put("/v1/rules", content=CANDIDATE, params={"dry_run": "true"},
                  headers={"Content-Type": "application/toml"})
        assert r.status_code == 202 and r.headers["Location"].startswith("/v1/rules/simulations/"), r.text
        held.release.set()
        done = follow(c, r.headers["Location"])
    assert done["status"] == "done" and done["result"] == answer
    assert client.get("/v1/rules").json()["version"] == version  # nothing activated


def test_a_simulation_that_fails_after_its_answer_says_so_where_it_is_followed(client, store, clock, settings):
    build(client)
    held_client, held = _held_app(store, clock, settings)
    with held_client as c:
        r = simulate(c, CANDIDATE)
        assert r.status_code == 202, r.text
        held.fail = QueryTimeout("the analysts' lane stayed busy")
        held.release.set()
        failed = follow(c, r.headers["Location"])
    assert failed["status"] == "failed" and failed["result"] is None and failed["finished_at"]
    assert failed["error"] == {"error": "query_timeout", "message": "the analysts' lane stayed busy", "status": 408}


def test_runs_are_bounded_per_process_and_an_invalid_one_starts_nothing(client, store, clock, settings):
    build(client)
    held_client, held = _held_app(store, clock, settings)
    with held_client as c:
        active = client.get("/v1/rules").json()["toml"]
        first, second = simulate(c, CANDIDATE), simulate(c, active)
        assert (first.status_code, second.status_code) == (202, 202), (first.text, second.text)
        third = simulate(c, CANDIDATE)
        assert third.status_code == 429 and third.headers["Retry-After"] == "10", third.text
        assert third.json()["error"] == "busy"
        assert sorted(third.json()["details"]["running"]) == sorted([first.json()["id"], second.json()["id"]])
        bad = simulate(c, "not = [toml")
        assert bad.status_code == 422 and bad.json()["error"] == "invalid_input", bad.text
        held.release.set()
        assert follow(c, first.headers["Location"])["status"] == "done"
        assert follow(c, second.headers["Location"])["result"]["moves_total"] == 0  # the active ruleset itself
        assert simulate(c, active).status_code == 200  # a place is free again (and it is quick)
    # The two answered 202 have their record; the 422 started nothing, the 200 has no id to follow.
    assert sorted(p.name for p in (settings.data_dir / "lab").iterdir()) == sorted([first.json()["id"],
                                                                                   second.json()["id"]])


def test_a_long_backtest_is_answered_as_one_tofollow(client, store, clock, settings):
    build_history(client, clock)
    body = {"rulesets": ["default", STRICT], "from": day(0), "to": day(60), "step_days": 5, "horizon_days": 30,
            "outcomes": [{"account_id": "acme", "outcome": "won", "at": day(58)},
                         {"account_id": "gamma", "outcome": "lost", "at": day(40)}]}
    answer = client.post("/v1/rules/backtest", json=body).json()
    held_client, held = _held_app(store, clock, settings)
    with held_client as c:
        bad = c.post("/v1/rules/backtest", json={**body, "from": day(60), "to": day(0)})
        assert bad.status_code == 422, bad.text  # a bad period: the 422 at once, nothing started
        r = c.post("/v1/rules/backtest", json=body)
        assert r.status_code == 202, r.text
        run = r.json()
        assert r.headers["Location"] == f"/v1/rules/backtests/{run['id']}"
        assert run["kind"] == "backtest" and run["unit"] == "steps" and "moves" not in run
        assert run["from"][:19] == day(0)[:19] and run["step_days"] == 5 and len(run["rulesets"]) == 2
        held.release.set()
        done = follow(c, r.headers["Location"])
    assert done["status"] == "done" and done["result"] == answer
    assert done["done"] == done["total"] == 26  # two rulesets, 13 moments


def test_a_run_whose_process_stopped_is_shown_interrupted(client, store, clock, settings):
    """Stopped cleanly, the service records its runs interrupted at once; killed, it leaves a running
    job.json no heartbeat rewrites any more, shown interrupted once it is a minute old."""
    build(client)
    held_client, held = _held_app(store, clock, settings)
    with held_client as c:
        r = simulate(c, CANDIDATE)
        assert r.status_code == 202, r.text
    # `c` stopped (its lifespan ended) with the run still waiting for its first page.
    shown = client.get(r.headers["Location"]).json()
    assert shown["status"] == "interrupted" and shown["result"] is None and shown["finished_at"]
    assert "stopped" in shown["error"]["message"] and "start it again" in shown["error"]["message"]
    assert (shown["error"]["error"], shown["error"]["status"]) == ("shutting_down", 503)  # never a 500
    held.release.set()  # the run's thread ends at its next page, and leaves the record as it is
    time.sleep(0.2)
    assert client.get(r.headers["Location"]).json()["status"] == "interrupted"

    directory = settings.data_dir / "lab" / "00000000deadbeef"
    directory.mkdir(parents=True)
    gone = {"id": "00000000deadbeef", "kind": "simulation", "status": "running", "unit": "accounts", "done": 5000,
            "total": 100000, "result": None, "error": None, "updated_at": time.time() - 3_600}
    (directory / "job.json").write_text(json.dumps(gone))
    shown = client.get("/v1/rules/simulations/00000000deadbeef").json()
    assert shown["status"] == "interrupted" and shown["done"] == 5000 and "updated_at" not in shown
    assert shown["error"]["error"] == "interrupted" and "after 5000 accounts" in shown["error"]["message"]
    (directory / "job.json").write_text(json.dumps({**gone, "updated_at": time.time()}))  # alive: as it says
    assert client.get("/v1/rules/simulations/00000000deadbeef").json()["status"] == "running"
    for bad in ("0123456789abcdef", "%2e%2e%2fjob.json", "00000000DEADBEEF", "x" * 65):
        assert client.get(f"/v1/rules/simulations/{bad}").status_code == 404, bad


def test_old_runs_are_pruned_but_not_a_running_one(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "KEEP", 1)
    lab = runs.Runs(tmp_path, {"simulation": "/v1/rules/simulations"}, "rules-lab runs")
    old = time.time() - 3_600
    for i in range(4):  # four ended runs of another worker, an hour old
        d = tmp_path / f"{i:016x}"
        d.mkdir()
        (d / "job.json").write_text(json.dumps({"id": d.name, "kind": "simulation", "status": "done"}))
        for path in (d / "job.json", d):
            os.utime(path, (old + i, old + i))
    fresh = tmp_path / "00000000000000ff"  # past KEEP, but beating: another worker runs it
    fresh.mkdir()
    (fresh / "job.json").write_text("{}")
    for path in (fresh / "job.json", fresh):
        os.utime(path, (time.time() - 10, time.time() - 10))
    run = lab.start("simulation", {}, "accounts", lambda r: {"ok": True})
    assert run.ended.wait(10) and run.outcome() == {"ok": True}
    assert not (tmp_path / run.id).exists()  # answered at once: no record
    lab.publish(run)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == sorted([run.id, "00000000000000ff"]), kept
