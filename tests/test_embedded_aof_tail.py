"""The embedded FalkorDB rewrites its append-only file after a start that replayed a long tail of
writes (graphsvc/store/embedded.py, `_rewrite_replayed_tail`): otherwise every later start replays
the same tail again (seen at 100k accounts: ~12 minutes per start). Real engine, real files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphsvc.store.aof_rewrite import incremental_bytes, tail_replay_seconds
from graphsvc.store.embedded import EmbeddedFalkorDB

pytestmark = pytest.mark.falkordb

ROWS = 2_000


def _count(server: EmbeddedFalkorDB) -> int:
    return server.client().execute_command("GRAPH.QUERY", "graphsvc", "MATCH (n:Row) RETURN count(n)")[1][0][0]


def _rewrites_done(server: EmbeddedFalkorDB, timeout_s: float = 60.0) -> int:
    client = server.client()
    deadline = time.monotonic() + timeout_s
    while client.info("persistence").get("aof_rewrite_in_progress") and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(client.info("persistence").get("aof_rewrites", 0))


def _write_rows(data: Path) -> int:
    server = EmbeddedFalkorDB(data).start()
    try:
        for i in range(0, ROWS, 100):
            server.client().execute_command("GRAPH.QUERY", "graphsvc",
                                            f"UNWIND range({i}, {i + 99}) AS i CREATE (:Row {{i: i, pad: 'x'}})")
        return incremental_bytes(server.db_dir)
    finally:
        server.stop()


def test_a_start_that_replayed_a_long_tail_rewrites_it_into_the_base(tmp_path):
    data = tmp_path / "data"
    tail = _write_rows(data)
    assert tail > 1_000  # the writes (the statements themselves) are in the incremental file, after the base

    server = EmbeddedFalkorDB(data, rewrite_tail_bytes=tail // 2).start()  # a tail longer than allowed
    try:
        assert _count(server) == ROWS
        assert _rewrites_done(server) == 1
        assert incremental_bytes(server.db_dir) < tail // 10  # the next start loads the base, not the writes again
    finally:
        server.stop()

    again = EmbeddedFalkorDB(data, rewrite_tail_bytes=tail // 2).start()
    try:
        assert _count(again) == ROWS  # nothing lost by the rewrite
        assert _rewrites_done(again) == 0  # a short tail: left as it is
    finally:
        again.stop()


def _write_slow(data: Path, seconds: float) -> int:
    """Writes that keep the engine busy for `seconds`: 50,000 nodes, then statements that set lists
    on all of them, as an engagement rebuild's do. FalkorDB logs such a statement itself (a few
    bytes), not its effects (an index makes each costlier), so the next start runs them again, about
    as slowly. The statements written."""
    server = EmbeddedFalkorDB(data).start()
    try:
        client = server.client()
        started = time.monotonic()
        client.execute_command("GRAPH.QUERY", "graphsvc", "UNWIND range(1, 50000) AS i CREATE (:Slow {i: i})")
        client.execute_command("GRAPH.QUERY", "graphsvc", "CREATE INDEX FOR (s:Slow) ON (s.i)")
        k = 0
        while time.monotonic() - started < seconds:
            client.execute_command("GRAPH.QUERY", "graphsvc", f"MATCH (s:Slow) SET s.l = [s.i, {k}, s.i * 2], s.w = [1.5, {k}.5], s.k = {k}")
            k += 1
        return k
    finally:
        server.stop()


def test_a_slow_replay_is_waited_for_while_the_engine_works_then_rewritten(tmp_path):
    """A tail of a few heavy statements replays longer than the ready timeout while the server
    answers nobody (at 100k accounts two engagement rebuilds' 37.8 MB took 147 s, past the default
    120 s: the service did not start). The start waits while the server uses CPU, and rewrites the
    short but slow tail so that the next start loads the base alone."""
    data = tmp_path / "data"
    # Longer than the 5 s a ping waits for an answer: the server answers nobody while it replays.
    updates = _write_slow(data, 7.0)
    tail = incremental_bytes(data / "falkordb")
    assert 0 < tail < 10_000  # short in bytes: the byte bound alone would keep it
    server = EmbeddedFalkorDB(data, ready_timeout_s=0.2, rewrite_after_s=3.0).start()
    try:
        rows = server.client().execute_command("GRAPH.QUERY", "graphsvc", "MATCH (s:Slow) RETURN count(s), max(s.k)")
        assert rows[1][0] == [50_000, updates - 1]
        assert _rewrites_done(server) == 1
        assert incremental_bytes(server.db_dir) < tail
    finally:
        server.stop()


def test_a_short_tail_is_left_alone(tmp_path):
    data = tmp_path / "data"
    tail = _write_rows(data)
    server = EmbeddedFalkorDB(data).start()  # the default allows 64 MiB
    try:
        assert _count(server) == ROWS
        assert _rewrites_done(server) == 0
        assert incremental_bytes(server.db_dir) >= tail
    finally:
        server.stop()



def test_a_slow_start_with_a_quick_tail_is_not_rewritten(tmp_path):
    """What counts is the tail's replay, as Redis logs it, not the whole start: a 100k graph's base
    alone loads in ~50-90 s, and every start of it used to rewrite 1 GB for a tail of a few bytes."""
    data = tmp_path / "data"
    first = EmbeddedFalkorDB(data).start()
    try:
        first.client().execute_command("GRAPH.QUERY", "graphsvc", "CREATE (:Row {i: 1})")
    finally:
        first.stop()
    assert incremental_bytes(data / "falkordb") > 0
    started = time.monotonic()
    server = EmbeddedFalkorDB(data, rewrite_after_s=0.005).start()
    try:
        assert time.monotonic() - started > 0.005  # the start as a whole is "slow" by this bound
        replayed = tail_replay_seconds(data / "falkordb.log", server._log_offset)
        assert replayed is not None and replayed < 0.005  # its tail is not (one small statement)
        assert _count(server) == 1
        assert _rewrites_done(server) == 0
    finally:
        server.stop()


def test_the_tail_replay_time_is_read_from_this_start_s_lines(tmp_path):
    log = tmp_path / "falkordb.log"
    earlier = b"1:M 03 Dec 2026 11:28:14.308 * DB loaded from incr file appendonly.aof.26.incr.aof: 99.000 seconds\n"
    log.write_bytes(earlier + b"1:M 03 Dec 2026 11:28:14.308 * DB loaded from base file appendonly.aof.27.base.rdb: 87.364 seconds\n"
                    b"1:M 03 Dec 2026 11:28:14.308 * DB loaded from incr file appendonly.aof.27.incr.aof: 0.250 seconds\n"
                    b"1:M 03 Dec 2026 11:28:14.309 * DB loaded from incr file appendonly.aof.28.incr.aof: 1.5 seconds\n")
    assert tail_replay_seconds(log, len(earlier)) == pytest.approx(1.75)  # every incr file of this start
    assert tail_replay_seconds(log, 0) == pytest.approx(100.75)
    log.write_bytes(b"1:M * DB loaded from base file appendonly.aof.1.base.rdb: 2.000 seconds\n")
    assert tail_replay_seconds(log, 0) is None  # the log does not say: the whole start counts
    assert tail_replay_seconds(tmp_path / "missing.log", 0) is None


def _slow_rewrite(server: EmbeddedFalkorDB, delay_s: float) -> None:
    """Start a rewrite whose child takes at least `delay_s`: Redis's `rdb-key-save-delay` makes it
    sleep that long for each key it writes (the graph is one key), as a big graph's rewrite would."""
    client = server.client()
    client.config_set("rdb-key-save-delay", int(delay_s * 1_000_000))  # microseconds
    client.bgrewriteaof()  # "scheduled" if another child (FalkorDB's own fork) runs: it starts after it
    deadline = time.monotonic() + 10
    while not client.info("persistence")["aof_rewrite_in_progress"]:
        assert time.monotonic() < deadline, "the rewrite never started"
        time.sleep(0.01)


def test_a_stop_waits_for_a_running_rewrite_so_the_next_start_loads_the_base(tmp_path, caplog):
    data = tmp_path / "data"
    tail = _write_rows(data)
    server = EmbeddedFalkorDB(data).start()  # a short tail: no rewrite of its own
    _slow_rewrite(server, 2.0)
    with caplog.at_level("INFO", logger="graphsvc.embedded"):
        server.stop()  # Redis would kill the rewrite's child: the stop waits for it first
    assert incremental_bytes(data / "falkordb") < tail // 10  # the writes are in the new base
    assert "waited" in caplog.text and "running AOF rewrite" in caplog.text

    again = EmbeddedFalkorDB(data).start()
    try:
        assert _count(again) == ROWS
    finally:
        again.stop()


def test_a_stop_waits_for_a_rewrite_only_so_long(tmp_path, caplog):
    data = tmp_path / "data"
    tail = _write_rows(data)
    server = EmbeddedFalkorDB(data, rewrite_wait_s=0.5).start()
    _slow_rewrite(server, 30.0)
    with caplog.at_level("INFO", logger="graphsvc.embedded"):
        server.stop()  # past the wait: stopped anyway, which ends the rewrite
    assert "still runs after 0 s" in caplog.text or "still runs after 1 s" in caplog.text
    assert server.process is not None and server.process.poll() is not None
    assert incremental_bytes(data / "falkordb") >= tail  # the rewrite died: the tail is still the log's

    again = EmbeddedFalkorDB(data).start()  # and nothing is lost
    try:
        assert _count(again) == ROWS
    finally:
        again.stop()
