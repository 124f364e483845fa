"""Neo4j reads run as one auto-commit transaction (RUN and PULL in one round trip) and fall back to
the driver's managed, retried `execute_query` when that fails in a way the driver would retry.

On the session's real Neo4j; the fallback is exercised through a TCP relay that drops the
executor's connection while its read runs. (Closing pooled connections from the server side, e.g.
`dbms.killConnections` between two reads, does not reach it: the driver sees the closed socket when
it takes the connection from the pool, and a connection killed mid-query terminates the transaction,
which neither path retries.)"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid

import pytest
from conftest import neo4j_executor
from neo4j import RoutingControl

from graphsvc.errors import StoreError, WriteRefused
from graphsvc.store.graph_store import GraphStore

pytestmark = pytest.mark.neo4j

SLOW_ROWS = 60_000_000  # a count that takes the server a few seconds


@pytest.fixture
def executor(neo4j_uri):
    ex = neo4j_executor(neo4j_uri)
    yield ex
    ex.close()


@pytest.fixture
def managed_calls(executor):
    return _count_managed_reads(executor)


def _count_managed_reads(executor) -> list[str]:
    """The reads that went through execute_query (the real one, counted; writes always do)."""
    calls: list[str] = []
    real = executor._driver.execute_query

    def counted(query, *args, **kwargs):
        if kwargs.get("routing_") == RoutingControl.READ:
            calls.append(query)
        return real(query, *args, **kwargs)

    executor._driver.execute_query = counted  # the executor is the test's own, closed after it
    return calls


def _running(neo4j_uri, text: str) -> bool:
    """A transaction whose query starts with `text` is running on the server."""
    probe = neo4j_executor(neo4j_uri)
    try:
        records, _, _ = probe._driver.execute_query(
            "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery STARTS WITH $text RETURN count(*) AS n", text=text)
        return records[0]["n"] > 0
    finally:
        probe.close()


class _Relay:
    """A TCP relay to Neo4j on a port of its own; `cut()` drops every connection it carries."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()

    def __enter__(self) -> _Relay:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        self.cut()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> int:
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for s in pair:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)  # wakes the pipe blocked in recv; close alone would not
                s.close()
        return len(pairs)


def test_a_read_answers_in_one_auto_commit_transaction(executor, managed_calls):
    tag = uuid.uuid4().hex
    executor.write("CREATE (:ReadProbe {tag: $tag, n: 1})", {"tag": tag})
    try:
        rows = executor.read("MATCH (p:ReadProbe {tag: $tag}) RETURN p.n AS n", {"tag": tag})
        assert rows == [{"n": 1}]  # the write just made is seen (the bookmark manager is shared)
        assert managed_calls == []  # answered by the auto-commit transaction, no fallback
    finally:
        executor.write("MATCH (p:ReadProbe {tag: $tag}) DELETE p", {"tag": tag})


def test_a_read_whose_connection_drops_mid_query_is_run_again_and_answers(neo4j_uri):
    # The executor reaches Neo4j through a TCP relay, which drops the connection while the read runs
    # (a load balancer's reset, a network blip): the driver would retry that in a managed transaction.
    host, port = neo4j_uri.rsplit("//", 1)[1].rsplit(":", 1)
    with _Relay(host, int(port)) as relay:
        executor = neo4j_executor(f"bolt://127.0.0.1:{relay.port}")
        try:
            calls = _count_managed_reads(executor)
            slow = "UNWIND range(1, $n) AS x RETURN count(x) AS n"
            answer: dict[str, object] = {}
            reader = threading.Thread(target=lambda: answer.update(rows=executor.read(slow, {"n": SLOW_ROWS})))
            reader.start()
            deadline = time.monotonic() + 30
            while not _running(neo4j_uri, "UNWIND range") and time.monotonic() < deadline:
                time.sleep(0.05)
            assert relay.cut() >= 1
            reader.join(120)
            assert answer["rows"] == [{"n": SLOW_ROWS}]
            assert calls == [slow]  # the auto-commit attempt lost its connection, the managed one answered
            assert executor.read("RETURN 3 AS ok", {}) == [{"ok": 3}]
            assert calls == [slow]  # and the next read is back on the fast path
        finally:
            executor.close()


def test_a_statement_error_is_raised_once_not_run_again(executor, managed_calls):
    with pytest.raises(StoreError, match="Neo4j refused the statement"):
        executor.read("RETURN nope(1) AS x", {})
    assert managed_calls == []


def test_a_write_in_a_read_is_refused_by_the_server(executor, managed_calls):
    tag = uuid.uuid4().hex
    with pytest.raises(WriteRefused):
        executor.read("CREATE (p:ReadProbe {tag: $tag}) RETURN p.tag AS tag", {"tag": tag})
    assert executor.read("MATCH (p:ReadProbe {tag: $tag}) RETURN count(p) AS n", {"tag": tag}) == [{"n": 0}]
    assert managed_calls == []


def test_the_store_reads_named_statements_through_it(executor, managed_calls):
    assert set(GraphStore(executor).counts()) >= {"accounts", "contacts"}
    assert managed_calls == []
