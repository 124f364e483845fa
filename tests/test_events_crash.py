"""Issue 12, reliability: kill -9 the service (and, separately, its engine) while events are being
produced and delivered to a local receiver. After the restart every event in the outbox reaches the
receiver at least once, in order per account, and de-duplicating by event id yields each exactly
once. Real processes (`graphsvc serve` on the embedded engine), real HTTP, real AOF."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
from serve_process import ServeProcess
from webhook_receiver import Receiver

pytestmark = [pytest.mark.falkordb, pytest.mark.slow]

ACCOUNTS = 5


class Service(ServeProcess):
    _count = 0

    def __init__(self, data_dir: Path) -> None:
        Service._count += 1
        super().__init__(data_dir, data_dir.parent / f"events-service-{Service._count}.log",
                         env={"GRAPHSVC_WEBHOOK_POLL_S": "0.1", "GRAPHSVC_WEBHOOK_BACKOFF_BASE_S": "0.2",
                              "GRAPHSVC_WEBHOOK_BACKOFF_CAP_S": "1", "GRAPHSVC_WEBHOOK_MAX_ATTEMPTS": "50"})

    def engine(self) -> psutil.Process:
        kids = [p for p in psutil.Process(self.proc.pid).children() if "redis-server" in p.name()]
        assert len(kids) == 1, kids
        return kids[0]


class Producer(threading.Thread):
    """Owner changes, one event each, as fast as the service answers; acknowledged event ids kept."""

    def __init__(self, svc: Service, start: int, count: int) -> None:
        super().__init__(daemon=True)
        self.svc, self.first, self.count = svc, start, count
        self.acked: list[int] = []
        self.failed = 0

    def run(self) -> None:
        for i in range(self.first, self.first + self.count):
            try:
                r = self.svc.http.put(f"/v1/accounts/a{i % ACCOUNTS}/owner", json={"owner": f"rep{i}", "actor": "t"},
                                      timeout=10)
            except httpx.HTTPError:
                self.failed += 1
                continue
            if r.status_code == 200:
                self.acked.append(r.json()["event_id"])
            else:
                self.failed += 1


def _setup(svc: Service, receiver: Receiver) -> None:
    svc.wait_healthy()
    r = svc.http.post("/v1/accounts", json={"accounts": [{"id": f"a{i}", "name": f"A{i}"} for i in range(ACCOUNTS)]})
    assert r.status_code == 200, r.text
    assert svc.http.post("/v1/webhooks", json={"url": receiver.url}).status_code == 201


def _feed_ids(svc: Service) -> list[int]:
    ids, after = [], 0
    while page := svc.http.get("/v1/events", params={"after": after, "limit": 1000}).json()["events"]:
        ids += [e["id"] for e in page]
        after = page[-1]["id"]
    return ids


def _all_delivered(svc: Service, receiver: Receiver, acked: list[int]) -> None:
    feed = _feed_ids(svc)
    assert set(acked) <= set(feed), "an acknowledged change has no event"
    deadline = time.monotonic() + 120
    while not set(feed) <= set(receiver.ids()) and time.monotonic() < deadline:
        time.sleep(0.2)
    got = receiver.ids()
    assert set(got) == set(feed), (sorted(set(feed) - set(got)), svc.tail())
    by_id: dict[int, dict] = {}
    for r in receiver.requests:  # duplicates are the same event, byte for byte in content
        assert by_id.setdefault(r["json"]["id"], r["json"]) == r["json"]
    assert len(by_id) == len(feed)  # de-duplicated by id: each exactly once
    first_seen: dict[str, list[int]] = {}
    for i in dict.fromkeys(got):
        first_seen.setdefault(by_id[i]["account_id"], []).append(i)
    for account, ids in first_seen.items():
        assert ids == sorted(ids), f"{account}: out of order {ids}"
    print(f"events {len(feed)}, acknowledged {len(acked)}, requests received {len(got)}, "
          f"duplicates {len(got) - len(set(got))}")


def test_kill_9_the_service_while_producing_and_delivering(tmp_path):
    data = tmp_path / "data"
    with Receiver() as receiver:
        svc = Service(data)
        try:
            _setup(svc, receiver)
            receiver.delay_s = 0.05  # a slow receiver: deliveries lag behind the changes
            producer = Producer(svc, 0, 200)
            producer.start()
            assert receiver.wait_for(5, timeout=60), svc.tail()
            while len(producer.acked) < len(receiver.requests) + 10 and producer.is_alive():
                time.sleep(0.01)  # until there is a backlog of events not delivered yet
            backlog = len(producer.acked) - len(receiver.requests)
            svc.proc.send_signal(signal.SIGKILL)  # mid-stream, mid-delivery: no cleanup runs
            svc.proc.wait()
            producer.join(60)
            acked = list(producer.acked)
            assert backlog >= 10 and len(acked) < 200
        finally:
            svc.stop()
        svc2 = Service(data)
        try:
            svc2.wait_healthy()
            more = Producer(svc2, 1000, 20)
            more.run()
            assert len(more.acked) == 20
            _all_delivered(svc2, receiver, acked + more.acked)
        finally:
            svc2.stop()


def test_kill_9_the_engine_while_producing_and_delivering(tmp_path):
    data = tmp_path / "data"
    with Receiver() as receiver:
        svc = Service(data)
        try:
            _setup(svc, receiver)
            receiver.delay_s = 0.05
            producer = Producer(svc, 0, 120)
            producer.start()
            assert receiver.wait_for(5, timeout=60), svc.tail()
            killed = svc.engine().pid
            os.kill(killed, signal.SIGKILL)
            producer.join(120)
            assert not producer.is_alive()
            svc.wait_healthy()
            assert svc.engine().pid != killed  # the service restarted its engine
            more = Producer(svc, 1000, 10)
            more.run()
            assert len(more.acked) == 10
            _all_delivered(svc, receiver, producer.acked + more.acked)
        finally:
            svc.stop()
