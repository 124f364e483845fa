"""The embedded default under failure: kill -9 of the engine mid-stream, of the service itself,
and a second service on the same data directory. Real processes, real HTTP, real AOF."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from serve_process import ServeProcess, free_port

pytestmark = [pytest.mark.falkordb, pytest.mark.slow]

BATCH = 50


class Service(ServeProcess):
    """The service on the embedded engine in `data_dir`."""

    _count = 0

    def __init__(self, data_dir: Path, *args: str) -> None:
        Service._count += 1
        super().__init__(data_dir, data_dir.parent / f"service-{Service._count}.log", *args)

    def engine(self) -> psutil.Process:
        kids = [p for p in psutil.Process(self.proc.pid).children() if "redis-server" in p.name()]
        assert len(kids) == 1, kids
        return kids[0]


def _batch(n: int) -> dict:
    return {"accounts": [{"id": f"b{n}-{i}", "name": f"Batch {n} account {i}"} for i in range(BATCH)]}


def _count_batches(service: Service, batches: range) -> dict[int, int]:
    present = {}
    for n in batches:
        present[n] = sum(
            service.http.get(f"/v1/accounts/b{n}-{i}").status_code == 200 for i in (0, BATCH // 2, BATCH - 1)
        )
    return present


def test_kill_engine_mid_stream_loses_no_acknowledged_batch(tmp_path):
    data = tmp_path / "data"
    svc = Service(data)
    try:
        svc.wait_healthy()
        acknowledged, statuses = [], []
        killed_pid = None
        for n in range(120):
            if n == 40:
                killed_pid = svc.engine().pid
                os.kill(killed_pid, signal.SIGKILL)  # mid-stream: the next requests race the restart
            try:
                r = svc.http.post("/v1/accounts", json=_batch(n))
                statuses.append(r.status_code)
                if r.status_code == 200:
                    acknowledged.append(n)
            except httpx.TransportError:
                statuses.append(None)
            if 40 <= n < 50:
                time.sleep(0.05)
        assert set(statuses) <= {200, 503}, statuses  # down engine = 503, never a 500
        assert svc.engine().pid != killed_pid  # the watchdog restarted it
        svc.wait_healthy()
        assert len(acknowledged) >= 100
    finally:
        svc.stop()

    # A fresh service on the same data directory replays the AOF.
    svc2 = Service(data)
    try:
        svc2.wait_healthy()
        present = _count_batches(svc2, range(120))
        for n in acknowledged:
            assert present[n] == 3, f"acknowledged batch {n} is missing after the crash"
        partial = {n: c for n, c in present.items() if c not in (0, 3)}
        assert not partial, f"partial batches: {partial}"
        # and the whole of each present batch, not just samples
        for n in acknowledged[::10]:
            for i in range(BATCH):
                assert svc2.http.get(f"/v1/accounts/b{n}-{i}").status_code == 200
    finally:
        svc2.stop()


def test_service_killed_takes_its_engine_down_and_data_survives(tmp_path):
    data = tmp_path / "data"
    svc = Service(data)
    svc.wait_healthy()
    engine = svc.engine()
    assert svc.http.post("/v1/accounts", json=_batch(1)).status_code == 200
    svc.proc.kill()  # kill -9 the service: no cleanup code runs
    svc.proc.wait()
    engine.wait(timeout=10)  # PR_SET_PDEATHSIG: the engine is not left running
    svc.http.close()

    svc2 = Service(data)
    try:
        svc2.wait_healthy()
        assert _count_batches(svc2, range(1, 2)) == {1: 3}
    finally:
        svc2.stop()


def test_second_service_on_same_data_dir_gets_clear_error(tmp_path):
    data = tmp_path / "data"
    svc = Service(data)
    try:
        svc.wait_healthy()
        second = subprocess.run(
            [sys.executable, "-m", "graphsvc.cli", "serve", "--port", str(free_port()), "--data-dir", str(data)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "GRAPHSVC_STORE": ""},
        )
        assert second.returncode != 0
        assert "in use by another graphsvc" in second.stderr
        assert svc.http.get("/health").status_code == 200  # the first one is unharmed
    finally:
        svc.stop()


def test_indexes_live_in_the_aof_base_not_its_replayed_tail(tmp_path):
    """FalkorDB cannot use an index created while replaying its AOF (every later MERGE would scan
    its label), so after creating the schema the embedded server rewrites the AOF: the indexes
    must be in the RDB base and the replayed tail must not contain CREATE INDEX."""
    from graphsvc.config import Settings
    from graphsvc.ingest.repository import IngestRepository
    from graphsvc.store.factory import open_store

    opened = open_store(Settings(data_dir=tmp_path, store=None))
    try:
        IngestRepository(opened.store).upsert_accounts([{"id": "a", "props": {"name": "A"}}], [], 1.0)
    finally:
        opened.close()
    aof = tmp_path / "falkordb" / "appendonlydir"
    tails = list(aof.glob("*.incr.aof"))
    assert tails and all(b"CREATE INDEX" not in t.read_bytes() for t in tails)
    assert any(b"MERGE (a:Account" in t.read_bytes() for t in tails)
    reopened = open_store(Settings(data_dir=tmp_path, store=None))
    try:
        assert reopened.store.account("a")["account"]["name"] == "A"
        assert reopened.store.apply_schema() == 0  # nothing new: no second rewrite needed
    finally:
        reopened.close()


def test_several_workers_share_one_embedded_engine(tmp_path):
    svc = Service(tmp_path / "data", "--workers", "2")
    try:
        svc.wait_healthy()
        for n in range(6):  # spread over both workers by the kernel's accept queue
            assert svc.http.post("/v1/accounts", json=_batch(n)).status_code == 200
        assert _count_batches(svc, range(6)) == {n: 3 for n in range(6)}
        engines = [p for p in psutil.Process(svc.proc.pid).children(recursive=True) if "redis-server" in p.name()]
        assert len(engines) == 1  # one engine, owned by the supervising process
    finally:
        svc.stop()
