"""GRAPHSVC_EMBEDDED_THREADS (graphsvc/store/embedded.py): the number of queries the embedded FalkorDB
runs at once, a way round the GraphBLAS crash seen in full passes at 100k (docs/benchmarks.md). Real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc.config import Settings
from graphsvc.store.embedded import EmbeddedFalkorDB
from graphsvc.store.factory import open_store

pytestmark = pytest.mark.falkordb


def test_the_engines_thread_count_is_a_setting(tmp_path: Path) -> None:
    """GRAPHSVC_EMBEDDED_THREADS reaches FalkorDB's THREAD_COUNT; unset, FalkorDB keeps its own (one per core)."""
    def thread_count(server: EmbeddedFalkorDB) -> int:
        return int(server.client().execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT")[1])

    server = EmbeddedFalkorDB(tmp_path / "one", threads=1).start()
    try:
        assert thread_count(server) == 1
    finally:
        server.stop()
    server = EmbeddedFalkorDB(tmp_path / "default").start()
    try:
        assert thread_count(server) >= 1 and "THREAD_COUNT" not in server._command()
    finally:
        server.stop()
    opened = open_store(Settings(store=None, data_dir=tmp_path / "settings", embedded_threads=1))
    try:
        assert opened.server is not None and thread_count(opened.server) == 1
    finally:
        opened.close()
