"""`graphsvc serve --demo` on both engines: the embedded FalkorDB and the suite's Neo4j must give
the same demo answers (stage of every demo account; stage, missing roles and next action of the
scenario accounts), and those answers must be the ones the scenarios' stories promise.

Real evidence: each engine gets its own `graphsvc serve --demo` child process on a free port, and
the answers are read over HTTP. `--demo` shifts the dataset to end at "now", so only stages, roles
and actions are compared, never timestamps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import neo4j_executor
from serve_process import ServeProcess

from graphsvc.store.graph_store import GraphStore

pytestmark = [pytest.mark.slow]

# What each scenario's story promises (seeds/demo/manifest.json, seeds/scenarios.py).
EXPECTED = {
    "acc-brenner": {"stage": "engaged", "next_action": "sdr_follow_up"},
    "acc-lumetra": {"stage": "mqa", "missing": ["decision_maker"], "next_action": "find_decision_maker"},
    "acc-castellan": {"stage": "sql", "missing": [], "next_action": "act_on_sql"},
    "acc-nordwerk": {"stage": "mqa", "missing": ["economic_buyer"], "next_action": "find_economic_buyer"},
}
DEMO_ACCOUNTS = 40
START_TIMEOUT_S = 300  # starting, loading 40 accounts / 3,766 activities and requalifying, on a busy CI box


def _env(store: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env["GRAPHSVC_STORE"] = store  # "" = the embedded default
    env["GRAPHSVC_REQUALIFY_INTERVAL_S"] = "0"  # no background requalification racing the reads
    if store.startswith(("bolt", "neo4j")):
        env["GRAPHSVC_NEO4J_USER"] = os.environ.get("NEO4J_USER", "neo4j")
        env["GRAPHSVC_NEO4J_PASSWORD"] = os.environ.get("NEO4J_PASSWORD", "neo4j")
        if os.environ.get("NEO4J_DATABASE"):
            env["GRAPHSVC_NEO4J_DATABASE"] = os.environ["NEO4J_DATABASE"]
    return env


class DemoService(ServeProcess):
    """`graphsvc serve --demo` as a child process; `stop()` ends it (SIGINT, then SIGKILL)."""

    def __init__(self, tmp: Path, store: str) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        super().__init__(tmp / "data", tmp / "serve.log", "--demo", "--no-access-log", env=_env(store),
                         http_timeout=60)

    def wait_healthy(self, timeout: float = START_TIMEOUT_S) -> None:
        # The demo is loaded in the app's startup (on_start), before uvicorn accepts connections.
        super().wait_healthy(timeout)

    def stop(self, timeout: float = 60) -> None:
        super().stop(timeout)


def _get(svc: DemoService, path: str, **params) -> dict | list:
    r = svc.http.get(path, params=params)
    assert r.status_code == 200, f"GET {path}: {r.status_code} {r.text[:2000]}\n{svc.tail()}"
    return r.json()


def demo_answers(svc: DemoService) -> dict:
    """Every account's stored stage and missing roles (the board), and for the scenario accounts the
    readiness answer (evaluated now) and the buying-center view."""
    board = _get(svc, "/v1/accounts", limit=500, sort="name")
    assert board["next_cursor"] is None
    stages = {a["id"]: a["stage"] for a in board["items"]}
    board_missing = {a["id"]: sorted(a.get("missing_roles") or []) for a in board["items"]}
    scenarios = {}
    for account_id in EXPECTED:
        ready = _get(svc, f"/v1/accounts/{account_id}/readiness")
        bc = _get(svc, f"/v1/accounts/{account_id}/buying-center")
        scenarios[account_id] = {
            "stage": ready["stage"],
            "stored_stage": ready["stored_stage"],
            "missing": sorted(ready["buying_center"]["missing"]),
            "required": sorted(ready["buying_center"]["required"]),
            "next_action": ready["next_action"]["action"],
            "bc_stage": bc["stage"],
            "bc_missing": sorted(bc["missing"]),
            "bc_next_action": bc["next_action"]["action"],
            "bc_status": {r["role"]: r["status"] for r in bc["roles"]},
            "candidates": {r["role"]: sorted(c["id"] for c in r["candidates"]) for r in bc["roles"]},
        }
    return {"stages": stages, "board_missing": board_missing, "scenarios": scenarios}


def _empty_neo4j(uri: str) -> None:
    store = GraphStore(neo4j_executor(uri))
    try:
        store.delete_all()
        assert store.counts()["accounts"] == 0
    finally:
        store.close()


@pytest.fixture
def neo4j_demo(neo4j_uri, tmp_path):
    """The Neo4j service's answers; the shared database is emptied before and after."""
    _empty_neo4j(neo4j_uri)  # `--demo` loads only into an empty store; whatever an earlier test left goes
    svc = DemoService(tmp_path / "neo4j", neo4j_uri)
    try:
        svc.wait_healthy()
        assert _get(svc, "/health")["store"]["engine"] == "neo4j"
        yield demo_answers(svc)
    finally:
        svc.stop()
        _empty_neo4j(neo4j_uri)


@pytest.fixture
def falkordb_demo(tmp_path):
    svc = DemoService(tmp_path / "falkordb", "")
    try:
        svc.wait_healthy()
        assert _get(svc, "/health")["store"]["engine"] != "neo4j"
        yield demo_answers(svc)
    finally:
        svc.stop()


@pytest.mark.falkordb
def test_serve_demo_gives_the_same_answers_on_falkordb_and_neo4j(falkordb_demo, neo4j_demo):
    for engine, answers in (("falkordb", falkordb_demo), ("neo4j", neo4j_demo)):
        assert len(answers["stages"]) == DEMO_ACCOUNTS, engine
        for account_id, want in EXPECTED.items():
            got = answers["scenarios"][account_id]
            assert got["stage"] == got["stored_stage"] == got["bc_stage"] == want["stage"], (engine, account_id, got)
            assert answers["stages"][account_id] == want["stage"], (engine, account_id)
            assert got["next_action"] == got["bc_next_action"] == want["next_action"], (engine, account_id, got)
            if "missing" in want:
                assert got["missing"] == got["bc_missing"] == want["missing"], (engine, account_id, got)
                assert answers["board_missing"][account_id] == want["missing"], (engine, account_id)
        # the enterprise rule: 4,800 employees need all three roles
        assert answers["scenarios"]["acc-nordwerk"]["required"] == ["decision_maker", "economic_buyer",
                                                                    "technical_evaluator"], engine
        # Lumetra's candidates for decision maker: the VP Operations and the Director of Engineering
        assert {"con-lumetra-03", "con-lumetra-04"} <= set(
            answers["scenarios"]["acc-lumetra"]["candidates"]["decision_maker"]), engine

    # and the two engines agree with each other on every demo account, not only the scenarios
    assert neo4j_demo["stages"] == falkordb_demo["stages"]
    assert neo4j_demo["board_missing"] == falkordb_demo["board_missing"]
    assert neo4j_demo["scenarios"] == falkordb_demo["scenarios"]
