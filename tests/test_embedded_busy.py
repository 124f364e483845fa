"""BUSY answers of a real FalkorDB: the executor retries them and then answers 503, compact() waits
them out, and a rewrite already running is waited for (graphsvc/store/falkordb_executor.py,
graphsvc/store/aof_rewrite.py).

Two real sources of BUSY, each on a private server (the settings below must not leak into the
session's): FalkorDB's fork preparation (what a 100k graph answered for seconds before an AOF
rewrite) and a Lua script that holds the server (a BUSY window as long as we like, so the retry
budget and the "nothing was run" claim are tested deterministically). A `busy-reply-threshold` of
1 ms (scripts) or 0 (fork preparation) makes Redis answer BUSY at once instead of after 5 s."""

from __future__ import annotations

import logging
import threading
import time

import pytest
import redis

from graphsvc.errors import StoreUnavailable
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.falkordb_executor import FalkorDBExecutor

pytestmark = pytest.mark.falkordb

# Holds the server for ARGV[1] seconds of CPU (redis.call('TIME') is frozen inside a script: a loop on
# it never ends, and with busy-reply-threshold 0 Redis does not even watch scripts).
_HOLD = """local start = os.clock()
while os.clock() - start < tonumber(ARGV[1]) do end
return 1"""


@pytest.fixture
def server(tmp_path):
    s = EmbeddedFalkorDB(tmp_path / "data").start()
    s.client().config_set("busy-reply-threshold", 1)
    yield s
    s.stop()


def _executor(server: EmbeddedFalkorDB, **kwargs) -> FalkorDBExecutor:
    executor = FalkorDBExecutor("127.0.0.1", server.port, "busy", password=server.password, **kwargs)
    executor.write("MERGE (:Seed)", {})  # the graph exists: reading it is not an error
    return executor


def _hold(server: EmbeddedFalkorDB, seconds: float) -> threading.Thread:
    """Hold the server with a script for `seconds`; return once others get BUSY."""
    thread = threading.Thread(target=lambda: server.client().eval(_HOLD, 0, seconds))
    thread.start()
    probe = server.client()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            probe.info("persistence")
        except redis.ResponseError as exc:
            assert str(exc).startswith("BUSY")
            return thread
        time.sleep(0.01)
    raise AssertionError("the script never made the server answer BUSY")


def _marks(executor: FalkorDBExecutor) -> int:
    return executor.read("MATCH (m:Mark) RETURN count(m) AS n", {})[0]["n"]


def test_a_write_that_got_busy_was_not_run_and_is_503_past_the_retry_budget(server):
    executor = _executor(server, busy_retry_s=0.3)
    holder = _hold(server, 2.0)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="busy"):
        executor.write("CREATE (:Mark {k: 1})", {})
    assert time.monotonic() - started < 1.5  # bounded: the budget, not the whole window
    holder.join()
    assert _marks(executor) == 0  # refused before it ran: nothing to undo, nothing half-done
    executor.close()


def test_a_write_that_got_busy_is_retried_and_runs_once(server, caplog):
    executor = _executor(server, busy_retry_s=5.0)
    holder = _hold(server, 0.5)
    with caplog.at_level(logging.INFO, logger="graphsvc.falkordb"):
        executor.write("CREATE (:Mark {k: 1})", {})
    holder.join()
    assert any("answered BUSY" in r.getMessage() for r in caplog.records)
    assert _marks(executor) == 1
    executor.close()


def test_reads_ping_and_analyst_queries_get_503_not_500_or_400_while_busy(server):
    executor = _executor(server, busy_retry_s=0.2)
    holder = _hold(server, 2.0)
    for call in (lambda: executor.read("RETURN 1 AS x", {}), executor.ping,
                 lambda: executor.read_only("RETURN 1 AS x", {}, timeout_s=1, row_limit=10)):
        with pytest.raises(StoreUnavailable):
            call()
    holder.join()
    assert executor.read("RETURN 1 AS x", {}) == [{"x": 1}]
    executor.close()


def test_an_executor_opened_while_busy_waits_then_connects(server):
    holder = _hold(server, 0.5)  # the client asks INFO as it connects
    executor = FalkorDBExecutor("127.0.0.1", server.port, "busy", password=server.password, busy_retry_s=10)
    holder.join()
    assert executor.write("MERGE (s:Seed) RETURN count(s) AS n", {}) == [{"n": 1}]
    executor.close()


def test_compact_waits_out_busy(server, caplog):
    client = server.client()
    before = client.info("persistence")["aof_rewrites"]
    holder = _hold(server, 1.0)
    with caplog.at_level(logging.INFO, logger="graphsvc.embedded"):
        server.compact(timeout_s=30)
    holder.join()
    assert client.info("persistence")["aof_rewrites"] == before + 1
    assert any("answers BUSY" in r.getMessage() for r in caplog.records)


def test_compact_past_its_time_while_busy_logs_and_returns(server, caplog):
    holder = _hold(server, 2.0)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="graphsvc.embedded"):
        server.compact(timeout_s=0.5)  # bounded: open_store goes on, the log says why
    assert time.monotonic() - started < 1.5
    holder.join()
    assert any("still running (or not started: BUSY)" in r.getMessage() for r in caplog.records)


def test_compact_during_a_running_rewrite_waits_for_it_then_rewrites_again(server, caplog):
    client = server.client()
    client.execute_command("GRAPH.QUERY", "busy", "CREATE (:Mark {k: 1})")
    client.config_set("rdb-key-save-delay", 300_000)  # µs per key written: the rewrite takes a while
    before = client.info("persistence")["aof_rewrites"]
    client.bgrewriteaof()
    assert client.info("persistence")["aof_rewrite_in_progress"] == 1
    with caplog.at_level(logging.INFO, logger="graphsvc.embedded"):
        server.compact(timeout_s=60)
    info = client.info("persistence")
    assert info["aof_rewrites"] == before + 2  # the running one, then ours (after the change it missed)
    assert info["aof_rewrite_in_progress"] == 0
    assert info["aof_last_bgrewrite_status"] == "ok"
    assert any("already running" in r.getMessage() for r in caplog.records)


def test_a_stop_waits_out_a_forks_busy_but_not_a_scripts(server, caplog):
    # Before a stop the engine is asked whether an AOF rewrite runs (graphsvc/store/aof_rewrite.py,
    # let_running_finish). A script holding the server answers BUSY too, and is no rewrite: asking
    # gives up at once instead of waiting for the script (up to the stop's 120-s rewrite wait).
    from graphsvc.store.aof_rewrite import let_running_finish

    holder = _hold(server, 3.0)
    client = server.client()
    with caplog.at_level("WARNING", logger="graphsvc.embedded"):
        let_running_finish(client, wait_s=60.0)
    assert holder.is_alive()  # returned while the script still held the server
    assert "could not ask FalkorDB whether an AOF rewrite runs (BUSY Redis is busy running a script" in caplog.text
    holder.join()
    client.close()


def test_queries_during_real_fork_preparation_answer_or_503_and_no_write_is_lost_or_doubled(server, caplog):
    """FalkorDB's own BUSY: AOF rewrites in a loop while threads write and read through the executor.
    With busy-reply-threshold 0 most rewrites answer a few BUSY (`BUSY preparing to fork`); every call
    must succeed (the window is milliseconds, the budget seconds) or be a 503, and every acknowledged
    write must be there exactly once."""
    client = server.client()
    client.config_set("busy-reply-threshold", 0)  # FalkorDB's preparation takes well under 1 ms here
    for label in range(20):  # labels and relation types: the preparation yields once per matrix
        client.execute_command("GRAPH.QUERY", "busy",
                               f"UNWIND range(1, 500) AS i CREATE (:L{label} {{i: i}})-[:R{label % 5}]->(:M)")
    stop = threading.Event()
    acknowledged: list[str] = []
    unavailable: list[str] = []
    failures: list[BaseException] = []
    engine_busy = [0]

    def writer(n: int) -> None:
        executor = _executor(server)
        i = 0
        while not stop.is_set():
            key = f"{n}-{i}"
            try:
                executor.write("CREATE (:W {key: $key})", {"key": key})
                acknowledged.append(key)
                executor.read("MATCH (l:L0) RETURN count(l) AS n", {})
            except StoreUnavailable:
                unavailable.append(key)
            except BaseException as exc:  # noqa: BLE001 - collected and asserted on below
                failures.append(exc)
            i += 1
        executor.close()

    def raw() -> None:  # the engine's own answers, without the executor's retry
        c = server.client()
        while not stop.is_set():
            try:
                c.execute_command("GRAPH.RO_QUERY", "busy", "RETURN 1")
            except redis.ResponseError as exc:
                if "preparing to fork" in str(exc):
                    engine_busy[0] += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)] + [threading.Thread(target=raw)]
    with caplog.at_level(logging.INFO, logger="graphsvc.falkordb"):
        for t in threads:
            t.start()
        try:
            deadline = time.monotonic() + 30
            rewrites = 0
            while time.monotonic() < deadline and rewrites < 60:
                server.compact(timeout_s=20)
                rewrites += 1
                retried = sum("answered BUSY" in r.getMessage() for r in caplog.records)
                if rewrites >= 5 and retried >= 2 and engine_busy[0] >= 2:
                    break
        finally:
            stop.set()
            for t in threads:
                t.join()
    assert not failures, failures[:3]
    assert engine_busy[0] > 0, f"no BUSY in {rewrites} rewrites: the test did not provoke what it tests"
    assert sum("answered BUSY" in r.getMessage() for r in caplog.records) > 0
    rows = client.execute_command("GRAPH.RO_QUERY", "busy", "MATCH (w:W) RETURN w.key")[1]
    stored = [row[0].decode() for row in rows]
    assert sorted(stored) == sorted(acknowledged)  # each acknowledged write once, nothing else
    assert not set(unavailable) & set(stored)  # a 503 write did not run


def test_the_api_answers_503_with_retry_after_while_the_engine_is_busy_and_the_write_did_not_happen(server, settings,
                                                                                                  clock):
    from fastapi.testclient import TestClient

    from graphsvc.api.app import create_app
    from graphsvc.store.graph_store import GraphStore

    store = GraphStore(_executor(server, busy_retry_s=0.2))
    store.apply_schema()
    with TestClient(create_app(settings, store=store, clock=clock)) as client:
        holder = _hold(server, 2.5)
        body = {"accounts": [{"id": "acme", "name": "Acme", "domain": "acme.com"}]}
        answers = [client.get("/v1/accounts"), client.get("/v1/accounts/acme"), client.post("/v1/accounts", json=body)]
        holder.join()
        for r in answers:
            assert r.status_code == 503, r.text
            assert r.json()["error"] == "store_unavailable" and r.headers["Retry-After"]
        assert client.get("/v1/accounts/acme").status_code == 404  # the refused write did nothing
        assert client.post("/v1/accounts", json=body).status_code == 200  # the client's retry, once it is over
        assert client.get("/v1/accounts/acme").json()["id"] == "acme"
    store.close()


def test_a_load_sends_again_the_batch_the_engine_was_too_busy_for_and_stores_everything_once(server, caplog):
    # The loader's own retry (graphsvc/loader.py), past the executor's budget: at 100k accounts an
    # automatic AOF rewrite's fork preparation answered BUSY for 6.5 s and a 40-minute load died.
    from graphsvc.ingest.service import IngestService, ingest_rules_from
    from graphsvc.loader import KINDS, load
    from graphsvc.qualification.registry import active_ruleset_for
    from graphsvc.store.graph_store import GraphStore
    from seeds import generate

    ds = generate(accounts=12, seed=3)
    data = {k: list(getattr(ds, k)) for k in KINDS}
    now = time.time()  # one ingest time for both loads: their graphs are compared
    held: list[threading.Thread] = []

    def hold_once(kind: str, done: int, _s: float) -> None:  # after the first contacts batch
        if kind == "contacts" and not held:
            held.append(_hold(server, 1.5))

    def load_into(graph: str, progress) -> tuple[dict[str, int], dict[str, int]]:
        executor = FalkorDBExecutor("127.0.0.1", server.port, graph, password=server.password, busy_retry_s=0.1)
        store = GraphStore(executor)
        store.apply_schema()
        ingest = IngestService(store, ingest_rules_from(active_ruleset_for(store)))
        report = load(ingest, data, now, batch_size=10, progress=progress)
        counts = store.counts()
        store.close()
        return report.rows, counts

    with caplog.at_level(logging.WARNING, logger="graphsvc.loader"):
        rows, counts = load_into("busy_load", hold_once)
    held[0].join()
    assert [r.getMessage() for r in caplog.records if "sending it again" in r.getMessage()], "no batch was sent again"
    assert rows == {k: len(v) for k, v in data.items()}
    calm_rows, calm_counts = load_into("calm_load", None)  # the same rows, nothing in the way
    assert (rows, counts) == (calm_rows, calm_counts)  # nothing lost, nothing stored twice


def test_a_load_gives_up_once_its_retry_time_is_spent(server):
    from graphsvc.ingest.service import IngestService, ingest_rules_from
    from graphsvc.loader import load
    from graphsvc.qualification.registry import active_ruleset_for
    from graphsvc.store.graph_store import GraphStore

    store = GraphStore(_executor(server, busy_retry_s=0.1))
    store.apply_schema()
    ingest = IngestService(store, ingest_rules_from(active_ruleset_for(store)))
    holder = _hold(server, 3.0)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="busy"):
        load(ingest, {"accounts": [{"id": "acme", "name": "Acme"}]}, time.time(), retry_for_s=0.8)
    assert time.monotonic() - started < 2.5  # its budget, not the whole BUSY window
    holder.join()
    assert store.counts()["accounts"] == 0
    store.close()


def test_redis_rewrites_the_aof_by_itself_only_once_the_start_is_over(tmp_path):
    # Off while the log replays and the engine starts (Redis's own rewrite in the first cron after
    # loading crashed FalkorDB 4.16 at 100k: redis/redis#14266), on once the start is done.
    from graphsvc.store.embedded import AUTO_REWRITE_PERCENTAGE

    engine = EmbeddedFalkorDB(tmp_path / "data")
    command = engine._command()
    assert command[command.index("--auto-aof-rewrite-percentage") + 1] == "0"
    engine.start()
    try:
        client = engine.client()
        assert client.config_get("auto-aof-rewrite-percentage") == {
            "auto-aof-rewrite-percentage": str(AUTO_REWRITE_PERCENTAGE)}
        client.close()
    finally:
        engine.stop()
