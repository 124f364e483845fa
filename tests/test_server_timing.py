"""`Server-Timing: app;dur=..., engine;dur=...`: the service's own time and, of it, the time spent
waiting on the graph engine (graphsvc/api/timing.py, graphsvc/store/engine_time.py). Real store,
both engines, the app in process."""

from __future__ import annotations

import re

import pytest


def _timing(response) -> dict[str, float]:
    header = response.headers["server-timing"]
    assert re.fullmatch(r"app;dur=\d+\.\d\d, engine;dur=\d+\.\d\d", header), header
    return {name: float(ms) for name, ms in re.findall(r"(\w+);dur=([\d.]+)", header)}


def test_a_sync_route_that_reads_the_graph_reports_its_engine_time_within_its_own(client):
    # readiness is a `def` route: it runs in a worker thread, and its statements still reach the
    # request's meter (the thread gets a copy of the context that refers to the same cell).
    assert client.post("/v1/accounts", json={"accounts": [{"id": "a1", "name": "Acme"}]}).status_code == 200
    r = client.get("/v1/accounts/a1/readiness")
    assert r.status_code == 200
    t = _timing(r)
    assert 0 < t["engine"] <= t["app"]


def test_every_request_has_its_own_meter(client):
    assert client.post("/v1/accounts", json={"accounts": [{"id": "a1", "name": "Acme"}]}).status_code == 200
    first = _timing(client.get("/v1/accounts/a1/readiness"))
    nothing = _timing(client.get("/v1/no-such-route"))  # 404 before any statement
    assert nothing["engine"] == 0.0 < first["engine"]


@pytest.mark.parametrize("engine", ["falkordb"], indirect=True)
def test_statements_outside_a_request_are_not_metered(store):
    from graphsvc.store import engine_time

    store.counts()  # no meter open: nothing to add to, and no error
    with engine_time.meter() as cell:
        store.counts()
    assert cell[0] > 0
    with engine_time.meter() as inner:
        pass
    assert inner[0] == 0.0
