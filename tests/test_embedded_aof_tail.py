"""The embedded FalkorDB rewrites its append-only file after a start that replayed a long tail of
writes (graphsvc/store/embedded.py, `_rewrite_replayed_tail`): otherwise every later start replays
the same tail again (seen at 100k accounts: ~12 minutes per start). Real engine, real files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graphsvc.store.aof_rewrite import incremental_bytes
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

