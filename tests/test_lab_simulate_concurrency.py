"""A simulation never blocks other requests (both engines): a simulation is held mid-run (inside its
evaluation of the first account) while a readiness request, a board page and an ingest are answered;
then it is let go and completes. Ordering and completion only, no timing."""

from __future__ import annotations

import threading

import graphsvc.lab.simulate as simulate_module
from graphsvc.rules import default_ruleset_text

CANDIDATE = default_ruleset_text().replace("intent_window_days = 30.0", "intent_window_days = 60.0")
SAFETY_S = 120  # only so that a broken test fails instead of hanging; nothing is asserted on time


def test_requests_are_answered_while_a_simulation_runs(client, monkeypatch):
    accounts = [{"id": f"s{i}", "name": f"S{i}", "domain": f"s{i}.example"} for i in range(5)]
    assert client.post("/v1/accounts", json={"accounts": accounts}).status_code == 200
    started, release = threading.Event(), threading.Event()
    real = simulate_module.evaluate

    def held(*args, **kwargs):
        if not started.is_set():
            started.set()
            assert release.wait(SAFETY_S), "the test never released the simulation"
        return real(*args, **kwargs)

    monkeypatch.setattr(simulate_module, "evaluate", held)
    answer: dict = {}

    def run() -> None:
        answer["response"] = client.post("/v1/rules/simulate", content=CANDIDATE,
                                         headers={"Content-Type": "application/toml"})

    sim = threading.Thread(target=run, daemon=True)
    sim.start()
    try:
        assert started.wait(SAFETY_S), "the simulation never started evaluating"
        # the simulation is inside its run now, and stays there until released
        assert client.get("/v1/accounts/s1/readiness").status_code == 200
        assert client.get("/v1/accounts", params={"limit": 5}).status_code == 200
        r = client.post("/v1/accounts", json={"accounts": [{"id": "s9", "name": "S9", "domain": "s9.example"}]})
        assert r.status_code == 200, r.text
        assert sim.is_alive() and "response" not in answer  # all answered before the simulation finished
    finally:
        release.set()
        sim.join(SAFETY_S)
    assert not sim.is_alive()
    done = answer["response"]
    assert done.status_code == 200, done.text
    assert done.json()["accounts"] in (5, 6)  # s9 may land before its page is read
