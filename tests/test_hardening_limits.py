"""Issue 8, items 4 and 5: analysts cannot starve the service, and a hung engine does not hang it.

* The analysts' lane: heavy analyst queries run `analyst_concurrency` at a time; the others wait,
  and the wait counts against their own timeout (a 1 s query answers 408 after about 1 s, queued or
  not); sales reads are not queued behind them.
* The request deadline: with the engine stopped (SIGSTOP), every request answers 503
  `engine_timeout` with Retry-After after GRAPHSVC_REQUEST_TIMEOUT_S instead of hanging, and the
  service answers normally again once the engine resumes.

Bounds on seconds here only prove "does not hang" and are generous; speed is measured in
bench/analyst_lane.py, not here.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from fastapi.testclient import TestClient

from graphsvc.api.app import create_app
from graphsvc.errors import QueryTimeout
from graphsvc.store.lane import Lane

HEAVY = "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*) AS n"


def test_the_lane_lets_width_queries_in_and_counts_the_wait_against_the_timeout():
    lane = Lane(1)
    entered = threading.Event()
    release = threading.Event()

    def holder():
        with lane.enter(5.0):
            entered.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    entered.wait(5)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="waited"):
        with lane.enter(0.3):
            pass
    assert 0.25 <= time.monotonic() - started < 3
    release.set()
    t.join(5)
    with lane.enter(2.0) as left:  # free again: the whole timeout is left for the query
        assert 1.5 < left <= 2.0
    with pytest.raises(ValueError):
        Lane(0)


def _app(store, clock, settings, **overrides):
    return TestClient(create_app(settings.model_copy(update=overrides), store=store, clock=clock))


def test_queued_analyst_queries_time_out_on_their_own_clock_and_sales_reads_are_not_queued(store, clock, settings):
    with _app(store, clock, settings, query_timeout_s=1.0, analyst_concurrency=1) as c:
        c.post("/v1/accounts", json={"accounts": [{"id": "acme", "name": "Acme"}]})
        answers: list = []

        def analyst():
            started = time.monotonic()
            r = c.post("/v1/cypher", json={"query": HEAVY})
            answers.append((r.status_code, r.json().get("error"), time.monotonic() - started))

        analysts = [threading.Thread(target=analyst) for _ in range(3)]
        for t in analysts:
            t.start()
        time.sleep(0.2)
        # Sales reads are not in the analysts' lane.
        assert c.get("/v1/accounts/acme/readiness").status_code == 200
        assert c.get("/v1/accounts/acme").status_code == 200
        for t in analysts:
            t.join(60)
        assert [a[:2] for a in answers] == [(408, "query_timeout")] * 3, answers
        # Three 1 s queries one at a time would take 3 s for the last; the wait counts, so none
        # takes much more than its own second (generous bound: the engine checks its timeout late).
        assert max(a[2] for a in answers) < 2.9, answers
        assert c.post("/v1/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [{"one": 1}]


@pytest.fixture
def engine_process(request, engine):
    """The pid of the engine behind `store` (the session's servers)."""
    if engine == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        if server is None:
            pytest.skip("an external Neo4j (NEO4J_URI) cannot be stopped by the test")
        return server.process.pid
    return request.getfixturevalue("falkordb_server").pid


def test_a_hung_engine_answers_503_with_retry_after_and_recovers(store, clock, settings, engine_process):
    with _app(store, clock, settings, request_timeout_s=1.5) as c:
        assert c.get("/health").status_code == 200
        os.kill(engine_process, signal.SIGSTOP)
        try:
            for method, path, body in [("GET", "/health", None), ("GET", "/v1/accounts/acme/readiness", None),
                                       ("POST", "/v1/accounts", {"accounts": [{"id": "hung", "name": "Hung"}]})]:
                started = time.monotonic()
                r = c.request(method, path, json=body)
                took = time.monotonic() - started
                assert r.status_code == 503, (path, r.status_code, r.text)
                assert r.json()["error"] == "engine_timeout" and "retry" in r.json()["message"]
                assert r.headers["retry-after"] == "5"
                assert took < 10, f"{path} took {took:.1f} s with a 1.5 s deadline"
        finally:
            os.kill(engine_process, signal.SIGCONT)
        deadline = time.monotonic() + 30
        while c.get("/health").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert c.get("/health").status_code == 200
    # The write answered 503 was not acknowledged; retrying it is safe (idempotent by id). (A
    # service with the default deadline: right after the resume a loaded machine can be slow.)
    with _app(store, clock, settings) as c:
        r = c.post("/v1/accounts", json={"accounts": [{"id": "hung", "name": "Hung"}]})
        assert r.status_code == 200, r.text
        assert c.get("/v1/accounts/hung").json()["name"] == "Hung"


def test_an_answer_is_cut_at_its_byte_limit_and_one_oversized_row_is_refused(store, clock, settings):
    """Issue 8, item 3: rows and bytes are limited as they arrive, not after everything was kept."""
    with _app(store, clock, settings, query_byte_limit=4096, query_row_limit=10_000) as c:
        r = c.post("/v1/cypher", json={"query": "UNWIND range(1, 5000) AS i RETURN i, 'x' + toString(i) AS pad"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["truncated"] is True and 0 < body["row_count"] < 5000
        assert [row["i"] for row in body["rows"]] == list(range(1, body["row_count"] + 1))
        assert len(r.content) < 4096 + 1024  # the rows kept, plus the envelope
        r = c.post("/v1/cypher", json={"query": "RETURN range(1, 100000) AS r"})
        assert r.status_code == 400 and r.json()["error"] == "result_too_large", r.text
        assert "GRAPHSVC_QUERY_BYTE_LIMIT" in r.json()["message"]
        # Within the limits the answer is whole.
        small = c.post("/v1/cypher", json={"query": "UNWIND range(1, 20) AS i RETURN i"}).json()
        assert small["row_count"] == 20 and small["truncated"] is False


def test_a_503_that_already_says_when_to_retry_keeps_its_one_retry_after():
    import asyncio

    from graphsvc.api.deadline import Deadline

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 503, "headers": [(b"retry-after", b"1")]})
        await send({"type": "http.response.body", "body": b"{}"})

    sent: list = []

    async def send(message):
        sent.append(message)

    asyncio.run(Deadline(app, timeout_s=5)({"type": "http"}, None, send))
    assert [v for k, v in sent[0]["headers"] if k == b"retry-after"] == [b"1"]


def test_one_analyst_query_cannot_take_the_embedded_engines_memory(falkordb_server, clock, settings):
    """The embedded FalkorDB caps one query's memory (QUERY_MEM_CAPACITY): a query that would build
    a 100-million-element list is stopped by the engine and answered 400, and the engine serves on."""
    import uuid

    from graphsvc.store.falkordb_executor import FalkorDBExecutor
    from graphsvc.store.graph_store import GraphStore

    executor = FalkorDBExecutor("127.0.0.1", falkordb_server.port, graph=f"test_{uuid.uuid4().hex[:12]}",
                                password=falkordb_server.password)
    store = GraphStore(executor)
    store.apply_schema()
    try:
        with _app(store, clock, settings) as c:
            r = c.post("/v1/cypher", json={"query": "RETURN size(range(1, 100000000)) AS n"})
            assert r.status_code == 400 and r.json()["error"] == "result_too_large", r.text
            assert "memory" in r.json()["message"]
            assert c.post("/v1/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [{"one": 1}]
    finally:
        executor._graph.delete()
        store.close()
