"""What each engine hands back, and how its failures are told apart: values a person can read
(never a driver's private fields, never a 500 for a value JSON cannot carry) and errors mapped by
status code to the project's own (503, 409, 408, 400).

Most tests run on both engines through the API; Neo4j-only values (temporal types, points) and
Neo4j-only failures (constraints) use the session's real Neo4j. The mapping of failures a local
server cannot produce on demand (bad credentials, retries exhausted) is unit-tested on the
driver's own exception classes.
"""

from __future__ import annotations

import pytest
from conftest import neo4j_executor
from fastapi.testclient import TestClient
from neo4j import exceptions as nx

from graphsvc.api.app import create_app
from graphsvc.errors import (
    Conflict,
    InvalidQuery,
    QueryTimeout,
    ResultTooLarge,
    StoreError,
    StoreUnavailable,
    WriteRefused,
)
from graphsvc.store.graph_store import GraphStore
from graphsvc.store.neo4j_executor import Neo4jExecutor, _mapped_errors


def test_numbers_json_cannot_carry_come_back_as_readable_text(client):
    r = client.post("/v1/cypher", json={"query": "RETURN 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf, -1.0 / 0.0 AS ninf, "
                                                 "1.5 AS f, 4.0 AS whole, 9007199254740993 AS big, "
                                                 "[1, 'a', null] AS l, {k: 1} AS m, "
                                                 "[1.5, 4.0, 1.0 / 0.0, true, null, [2.0], {k: 3.0}] AS fl"})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [{"nan": "NaN", "inf": "Infinity", "ninf": "-Infinity", "f": 1.5, "whole": 4,
                                 "big": 9007199254740993, "l": [1, "a", None], "m": {"k": 1},
                                 "fl": [1.5, 4, "Infinity", True, None, [2], {"k": 3}]}]


def test_the_neo4j_record_parser_reads_lists_as_the_general_walk_does():
    """The parser's inline path for strings, integers and floats in lists (a speed-up) gives what
    `normalise` gives: integral floats as ints, non-finite as text, booleans kept, the rest walked."""
    from graphsvc.store.executor import normalise
    from graphsvc.store.neo4j_executor import _value

    values = [1.5, 4.0, -0.0, 2.0**60, float("nan"), float("-inf"), True, False, None, "x", 7, [3.0, [1.0]],
              {"k": 5.0}]
    assert _value(values) == normalise(values)
    assert [type(x) for x in _value(values)] == [type(x) for x in normalise(values)]
    assert _value(values)[:6] == [1.5, 4, 0, 2.0**60, "NaN", "-Infinity"]


@pytest.fixture
def neo4j_client(neo4j_uri, clock, settings):
    store = GraphStore(neo4j_executor(neo4j_uri))
    with TestClient(create_app(settings, store=store, clock=clock)) as c:
        yield c
    store.close()


def test_neo4j_temporal_spatial_and_duration_values_are_readable_json(neo4j_client):
    query = ("RETURN date('2024-01-02') AS d, datetime('2024-01-02T03:04:05+01:00') AS dt, "
             "localdatetime('2024-01-02T03:04') AS ldt, time('12:00+01:00') AS t, localtime('08:30') AS lt, "
             "duration('P1DT2H') AS du, point({x: 1, y: 2}) AS p, point({x: 1, y: 2, z: 3}) AS p3, "
             "point({latitude: 48.1, longitude: 11.5}) AS geo")
    r = neo4j_client.post("/v1/cypher", json={"query": query})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [{
        "d": "2024-01-02", "dt": "2024-01-02T03:04:05.000000000+01:00", "ldt": "2024-01-02T03:04:00.000000000",
        "t": "12:00:00.000000000+01:00", "lt": "08:30:00.000000000", "du": "P1DT2H",
        "p": {"srid": 7203, "x": 1.0, "y": 2.0}, "p3": {"srid": 9157, "x": 1.0, "y": 2.0, "z": 3.0},
        "geo": {"srid": 4326, "x": 11.5, "y": 48.1},
    }]


def test_neo4j_uniqueness_violation_is_a_conflict(neo4j_uri):
    executor = neo4j_executor(neo4j_uri)
    store = GraphStore(executor)
    try:
        store.delete_all()
        executor.write("CREATE (:Account {id: $id})", {"id": "dup"})
        with pytest.raises(Conflict):
            executor.write("CREATE (:Account {id: $id})", {"id": "dup"})
        assert store.counts()["accounts"] == 1
    finally:
        store.delete_all()
        store.close()


def test_neo4j_that_does_not_answer_is_unavailable_not_a_500():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    executor = Neo4jExecutor(f"bolt://127.0.0.1:{port}", "neo4j", "x", connection_timeout_s=1.0, retry_time_s=1.0)
    try:
        for call in (executor.ping, lambda: executor.read("RETURN 1 AS x", {}),
                     lambda: executor.write("RETURN 1 AS x", {}),
                     lambda: executor.read_only("RETURN 1 AS x", {}, timeout_s=1, row_limit=10)):
            with pytest.raises(StoreUnavailable):
                call()
    finally:
        executor.close()


def test_neo4j_read_only_path_streams_and_stops_at_the_row_limit(neo4j_uri):
    executor = neo4j_executor(neo4j_uri)
    try:
        result = executor.read_only("UNWIND range(1, 3000000) AS x RETURN x", {}, timeout_s=20, row_limit=1000)
        assert result.truncated and [r["x"] for r in result.rows] == list(range(1, 1001))
    finally:
        executor.close()


def _neo4j_error(code: str, message: str = "m") -> nx.Neo4jError:
    return nx.Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(("exc", "adhoc", "expected"), [
    (nx.ServiceUnavailable("gone"), False, StoreUnavailable),
    (nx.SessionExpired("expired"), False, StoreUnavailable),
    (nx.IncompleteCommit("unknown outcome"), False, StoreUnavailable),
    (ConnectionResetError("reset"), False, StoreUnavailable),
    (_neo4j_error("Neo.ClientError.Security.Unauthorized"), False, StoreUnavailable),
    (_neo4j_error("Neo.ClientError.Schema.ConstraintValidationFailed"), False, Conflict),
    (_neo4j_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"), True, QueryTimeout),
    (_neo4j_error("Neo.ClientError.Transaction.TransactionTimedOut"), False, QueryTimeout),
    (_neo4j_error("Neo.TransientError.Transaction.Terminated"), True, QueryTimeout),
    (_neo4j_error("Neo.ClientError.Transaction.Terminated"), True, QueryTimeout),
    (_neo4j_error("Neo.ClientError.Statement.AccessMode"), True, WriteRefused),
    (_neo4j_error("Neo.TransientError.General.TransactionMemoryLimit"), True, ResultTooLarge),
    (_neo4j_error("Neo.TransientError.General.TransactionMemoryLimit"), False, StoreUnavailable),
    (_neo4j_error("Neo.TransientError.Transaction.DeadlockDetected"), False, StoreUnavailable),
    (_neo4j_error("Neo.ClientError.Statement.SyntaxError"), True, InvalidQuery),
    (_neo4j_error("Neo.ClientError.Statement.SyntaxError"), False, StoreError),
])
def test_neo4j_failures_are_mapped_by_status_code(exc, adhoc, expected):
    with pytest.raises(expected) as caught, _mapped_errors(adhoc=adhoc):
        raise exc
    assert caught.value.status_code == {StoreUnavailable: 503, Conflict: 409, QueryTimeout: 408,
                                        WriteRefused: 400, ResultTooLarge: 400, InvalidQuery: 400,
                                        StoreError: 500}[expected]


def test_the_mapping_reads_the_code_not_the_message():
    # A message that *says* "read access mode" but carries another code is not a write refusal.
    with pytest.raises(InvalidQuery), _mapped_errors(adhoc=True):
        raise _neo4j_error("Neo.ClientError.Statement.SemanticError", "Writing in read access mode not allowed")
