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



def test_redis_logs_the_tail_s_replay_time_that_the_rule_reads(tmp_path):
    """The rule reads Redis's own log lines (graphsvc/store/aof_rewrite.py, `tail_replay_seconds`):
    checked against the engine we ship, a start with a tail and one without."""
    data = tmp_path / "data"
    tail = _write_rows(data)
    server = EmbeddedFalkorDB(data, rewrite_tail_bytes=tail // 2).start()  # replays the tail, then rewrites it
    try:
        replayed = tail_replay_seconds(data / "falkordb.log", server._log_offset)
        assert replayed is not None and replayed >= 0.0  # Redis said how long the tail took
        assert _rewrites_done(server) == 1
    finally:
        server.stop()
    assert incremental_bytes(data / "falkordb") == 0  # nothing written since the rewrite
    again = EmbeddedFalkorDB(data).start()
    try:
        assert tail_replay_seconds(data / "falkordb.log", again._log_offset) == 0.0  # no tail: no incr line
        assert _rewrites_done(again) == 0
    finally:
        again.stop()


def _decide(tmp_path, log_lines: list[str], *, tail: int, loaded_s: float, caplog) -> bool:
    """Whether `_rewrite_replayed_tail` starts a rewrite, for a start that replayed `tail` bytes and
    wrote `log_lines`; no engine runs (the rewrite it starts fails to connect, and says so)."""
    server = EmbeddedFalkorDB(tmp_path / "data", rewrite_after_s=10.0, ready_timeout_s=0.5)
    server.data_dir.mkdir(parents=True)
    (server.data_dir / "falkordb.log").write_text("1:M earlier * DB loaded from incr file a.incr.aof: 500.000 seconds\n")
    server._log_offset = (server.data_dir / "falkordb.log").stat().st_size  # an earlier start's lines are not read
    with open(server.data_dir / "falkordb.log", "a") as f:
        f.writelines(line + "\n" for line in log_lines)
    server._tail_at_spawn, server.port = tail, 1
    caplog.clear()
    with caplog.at_level("INFO", logger="graphsvc.embedded"):
        server._rewrite_replayed_tail(loaded_s)
    return any("rewriting the append-only file" in r.getMessage() for r in caplog.records)


BASE = "1:M 03 Dec 2026 11:28:14.308 * DB loaded from base file appendonly.aof.27.base.rdb: 87.364 seconds"
INCR = "1:M 03 Dec 2026 11:28:14.308 * DB loaded from incr file appendonly.aof.27.incr.aof: {} seconds"
DONE = "1:M 03 Dec 2026 11:28:14.308 * DB loaded from append only file: 87.364 seconds"


def test_a_slow_start_with_a_quick_tail_is_not_rewritten(tmp_path, caplog):
    """What counts is the tail's replay as Redis logs it, not the whole start: a 100k graph's base
    alone loads in 50-90 s, and every start of it rewrote 1 GB for a tail of a hundred bytes."""
    assert not _decide(tmp_path / "a", [BASE, INCR.format("0.001"), DONE], tail=105, loaded_s=88.0, caplog=caplog)
    assert _decide(tmp_path / "b", [BASE, INCR.format("12.500"), DONE], tail=105, loaded_s=100.0, caplog=caplog)
    # Written after the port answered (the service writes at once): not replayed, not counted.
    assert not _decide(tmp_path / "c", [BASE, DONE], tail=0, loaded_s=88.0, caplog=caplog)
    # The log does not say (unreadable, another format): the whole start, against a minute.
    assert not _decide(tmp_path / "d", [], tail=105, loaded_s=30.0, caplog=caplog)
    assert _decide(tmp_path / "e", [], tail=105, loaded_s=88.0, caplog=caplog)
    # A long tail is rewritten however fast it replayed.
    assert _decide(tmp_path / "f", [BASE, INCR.format("0.100"), DONE], tail=65 * 2**20, loaded_s=1.0, caplog=caplog)


def test_the_tail_replay_time_is_read_from_this_start_s_lines(tmp_path):
    log = tmp_path / "falkordb.log"
    earlier = INCR.format("99.000").encode() + b"\n"
    log.write_bytes(earlier + f"{BASE}\n{INCR.format('0.250')}\n".encode()
                    + b"1:M 03 Dec 2026 11:28:14.309 * DB loaded from incr file appendonly.aof.28.incr.aof: 1.5 seconds\n")
    assert tail_replay_seconds(log, len(earlier)) == pytest.approx(1.75)  # every incr file of this start
    assert tail_replay_seconds(log, 0) == pytest.approx(100.75)
    assert tail_replay_seconds(log, 10**9) == pytest.approx(100.75)  # rotated or truncated since: read whole
    log.write_bytes(f"{BASE}\n{DONE}\n".encode())
    assert tail_replay_seconds(log, 0) == 0.0  # loaded, and no incr file had anything to replay
    log.write_bytes(f"{BASE}\n".encode())
    assert tail_replay_seconds(log, 0) is None  # still loading, or a format we do not know: the log does not say
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
