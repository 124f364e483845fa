"""POST /v1/cypher on the real engine: read-only enforced by the engine, timeout, row limit.

The statements live in tests/analytics/adhoc/*.cypher (data, not code): a corpus of writes, schema
and admin commands -- plain and disguised -- every one of which must be refused and leave the graph
exactly as it was.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from analytics.scenario import build
from fastapi.testclient import TestClient

from graphsvc.api.app import create_app

ADHOC = Path(__file__).parent / "analytics" / "adhoc"


def _blocks(path: Path) -> dict[str, tuple[str, dict]]:
    """`//// name [params={json}]` starts a block; the block's lines, comments included, are the statement."""
    blocks: dict[str, tuple[list[str], dict]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("//// "):
            name, _, params = line[5:].strip().partition(" params=")
            current = blocks[name] = ([], json.loads(params) if params else {})
        elif current is not None:
            current[0].append(line)
    return {name: ("\n".join(lines).strip(), params) for name, (lines, params) in blocks.items()}


CORPUS = _blocks(ADHOC / "write_corpus.cypher")
READS = _blocks(ADHOC / "reads.cypher")


def _body(name: str, source=READS) -> dict:
    query, params = source[name]
    return {"query": query, "params": params}


def _snapshot(store) -> dict:
    def rows(name):
        query, params = READS[name]
        result = store.read_only(query, params, timeout_s=30, row_limit=1_000_000)
        assert not result.truncated
        return sorted(json.dumps(r, sort_keys=True) for r in result.rows)

    return {"counts": store.counts(), "nodes": rows("snapshot_nodes"), "relationships": rows("snapshot_relationships"),
            "indexes": rows(f"indexes_{store.dialect}")}


@pytest.fixture
def graph(store):
    build(store)
    return store


def test_the_corpus_is_big_and_varied():
    assert len(CORPUS) >= 30
    text = "\n".join(q for q, _ in CORPUS.values()).upper()
    for kind in ("CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DETACH DELETE", "LOAD CSV", "CALL DB.", "DBMS.",
                 "GRAPH.", "CREATE INDEX", "DROP INDEX", "CONSTRAINT", "UNION", "FOREACH", "CALL {", "/*", "//"):
        assert kind in text, kind


def test_every_write_and_admin_statement_is_refused_and_changes_nothing(client, graph):
    before = _snapshot(graph)
    assert before["counts"]["accounts"] == 10 and before["nodes"] and before["relationships"]
    answers = {}
    for name in CORPUS:
        r = client.post("/v1/cypher", json=_body(name, CORPUS))
        answers[name] = (r.status_code, r.json().get("error"), r.json().get("message", "")[:160])
    accepted = {name: a for name, a in answers.items() if a[0] < 400}
    assert not accepted, f"statements NOT refused: {accepted}"
    assert all(status == 400 for status, _, _ in answers.values()), answers
    assert _snapshot(graph) == before
    # The engine's own refusal, not a parse of ours, stops the plain writes.
    assert answers["create_node"][1] == "write_refused"
    assert answers["hidden_after_block_comment"][1] == "write_refused"
    assert answers["union_with_create"][1] == "write_refused"
    assert answers["create_index"][1] == "write_refused"
    if graph.dialect == "falkordb":  # FalkorDB's own write procedure (Neo4j does not have it)
        assert answers["call_fulltext_create_procedure"][1] == "write_refused"


def test_parameter_values_cannot_escape_into_the_query(client, graph):
    before = _snapshot(graph)
    r = client.post("/v1/cypher", json=_body("parameter_value_cannot_escape"))
    assert r.status_code == 200 and r.json()["rows"] == []
    assert _snapshot(graph) == before


@pytest.mark.parametrize("name", ["x=1 CREATE (:Account {id: 'evil'}) RETURN 1 //", "a b", "1x", "", "`x`"])
def test_parameter_names_must_be_identifiers(client, graph, name):
    before = _snapshot(graph)
    r = client.post("/v1/cypher", json={"query": "RETURN 1 AS one", "params": {name: 1}})
    assert r.status_code == 422
    assert _snapshot(graph) == before


def test_reads_work_with_parameters(client, graph):
    r = client.post("/v1/cypher", json=_body("by_parameter"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rows"] == [{"name": "Account A3", "missing": ["decision_maker", "economic_buyer"]}]
    assert body["columns"] == ["name", "missing"] and body["truncated"] is False and body["row_count"] == 1
    r = client.post("/v1/cypher", json=_body("stuck_mqas_by_hand"))
    assert [row["id"] for row in r.json()["rows"]] == ["A10", "A3", "A6"]


def test_nodes_relationships_and_paths_come_back_as_property_maps(client, graph):
    r = client.post("/v1/cypher", json=_body("entities"))
    assert r.status_code == 200, r.text
    row = r.json()["rows"][0]
    assert row["a"]["_labels"] == ["Account"] and row["a"]["id"] == "A1" and row["a"]["segment"] == "enterprise"
    assert row["r"] == {"_type": "TRANSITIONED"}
    assert row["s"]["_labels"] == ["StageChange"] and row["s"]["to"] == "engaged" and row["s"]["actor"] == "rules@test"
    assert [n["_labels"] for n in row["p"]["nodes"]] == [["Account"], ["StageChange"]]
    assert [e["_type"] for e in row["p"]["relationships"]] == ["TRANSITIONED"]


def test_bad_syntax_is_a_400_with_the_engines_message(client, graph):
    r = client.post("/v1/cypher", json=_body("syntax_error"))
    assert r.status_code == 400 and r.json()["error"] == "invalid_query" and r.json()["message"]
    assert client.post("/v1/cypher", json={"query": ""}).status_code == 422
    assert client.post("/v1/cypher", json={"params": {}}).status_code == 422


def _client(store, clock, settings, **overrides):
    return TestClient(create_app(settings.model_copy(update=overrides), store=store, clock=clock))


def test_rows_beyond_the_limit_are_cut_and_the_answer_says_so(store, clock, settings):
    with _client(store, clock, settings, query_row_limit=5) as c:
        body = c.post("/v1/cypher", json=_body("twenty_rows")).json()
        assert [r["i"] for r in body["rows"]] == [1, 2, 3, 4, 5]
        assert body["truncated"] is True and body["row_limit"] == 5
    with _client(store, clock, settings, query_row_limit=20) as c:
        body = c.post("/v1/cypher", json=_body("twenty_rows")).json()
        assert body["row_count"] == 20 and body["truncated"] is False


def test_a_query_past_the_timeout_is_stopped_and_the_service_keeps_serving(store, clock, settings):
    # Two analysts' queries at a time (the lane's default is one: see test_hardening_limits.py).
    with _client(store, clock, settings, query_timeout_s=1.0, analyst_concurrency=2) as c:
        # While the heavy query runs, other requests are answered.
        done: dict = {}

        def heavy():
            started = time.monotonic()
            done["response"] = c.post("/v1/cypher", json=_body("heavy"))
            done["seconds"] = time.monotonic() - started

        worker = threading.Thread(target=heavy)
        worker.start()
        time.sleep(0.2)
        started = time.monotonic()
        assert c.get("/health").status_code == 200
        assert c.post("/v1/cypher", json=_body("twenty_rows")).status_code == 200
        assert time.monotonic() - started < 1.0
        worker.join(30)
        assert not worker.is_alive()
        r = done["response"]
        assert r.status_code == 408, r.text
        assert r.json()["error"] == "query_timeout" and "time limit" in r.json()["message"]
        assert done["seconds"] < 5, f"the timeout of 1 s took {done['seconds']:.1f} s to stop the query"
        # And afterwards everything still works, the heavy query included if given the time.
        assert c.get("/health").status_code == 200
        assert c.post("/v1/cypher", json=_body("twenty_rows")).json()["row_count"] == 20
        assert c.post("/v1/queries/funnel_now").status_code == 200


@pytest.mark.parametrize("query", [
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers from 'https://example.com/x.csv' AS row RETURN row",
    "LOAD /* sneaky */ CSV FROM 'file:///etc/hosts' AS row RETURN row",
])
def test_load_csv_is_refused_even_read_only(client, graph, query):
    """LOAD CSV reads server files and URLs inside a read-only transaction: refused up front."""
    r = client.post("/v1/cypher", json={"query": query})
    assert r.status_code == 400 and r.json()["error"] == "load_csv_refused"
