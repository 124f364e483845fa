"""Neo4j under failure: kill -9 of the Neo4j server while a running `graphsvc serve` takes account
and activity batches. Requests answer 503 `store_unavailable` (never a 500, never a hang), /health
answers 503 while Neo4j is down, the service recovers by itself once Neo4j is back on the same
port and data directory, and no acknowledged batch is lost or only partly written.

A 503 is `store_unavailable` (the driver gave up: ~15 s, its retry window plus a connection
timeout) or `engine_timeout` (the service's own request deadline, GRAPHSVC_REQUEST_TIMEOUT_S: a
request that spent its retry window on the dead server and then ran on the just-restarted, cold one
can pass it); both are the project's error format with Retry-After, and neither acknowledges.

Real processes, real HTTP: a Neo4j of this test's own (the session's shared one is not touched),
the service as a child process, two client threads sending batches back to back."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from conftest import _neo4j_launcher
from serve_process import ServeProcess

from graphsvc.store.neo4j_executor import Neo4jExecutor

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

BATCH = 50
CONTACTS = 5
MAX_BATCHES = 1000  # per sender: bounds the loop in count as well as in time
HANG_S = 60  # a request slower than this counts as a hang (the driver gives up after ~15 s)
RECOVERED = 3  # consecutive 200s that count as "recovered"
UNAVAILABLE = {"store_unavailable", "engine_timeout"}  # the 503s: engine down, or the request deadline


# -- the processes ---------------------------------------------------------------------------------
@pytest.fixture
def neo4j(tmp_path):
    """A Neo4j of this test's own, so killing it leaves the session's shared one alone."""
    server = _neo4j_launcher().Neo4jServer(tmp_path / "neo4j", heap="512m", page_cache="64m", ready_timeout_s=300)
    try:
        server.start()
        yield server
    finally:
        server.stop()


class Service(ServeProcess):
    """`graphsvc serve` as a child process, pointed at `store_uri`."""

    def __init__(self, tmp: Path, store_uri: str) -> None:
        super().__init__(tmp / "data", tmp / "serve.log", "--no-access-log",
                         env={"GRAPHSVC_STORE": store_uri, "GRAPHSVC_REQUALIFY_INTERVAL_S": "0"}, http_timeout=HANG_S)


@pytest.fixture
def service(tmp_path, neo4j):
    svc = Service(tmp_path, neo4j.uri)
    try:
        svc.wait_healthy()
        yield svc
    finally:
        svc.stop()


# -- the batches -----------------------------------------------------------------------------------
AT = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)


def account_batch(n: int) -> dict:
    return {"accounts": [{"id": f"b{n}-{i}", "name": f"Batch {n} account {i}"} for i in range(BATCH)]}


def activity_batch(n: int) -> dict:
    return {"activities": [
        {"id": f"x{n}-{i}", "contact_id": f"c-{i % CONTACTS}", "type": "content_download",
         "at": (AT - timedelta(seconds=n * BATCH + i)).isoformat(), "asset": f"wp-{i % 3}"}
        for i in range(BATCH)]}


KINDS = {"accounts": ("/v1/accounts", account_batch), "activities": ("/v1/activities", activity_batch)}


@dataclass
class Sent:
    n: int
    status: int | None  # None: no HTTP answer (transport error or client timeout)
    body: dict | str | None
    retry_after: list[str]
    started: float
    seconds: float


@dataclass
class Sender:
    """Posts batch 0, 1, 2... of one kind back to back until stopped (or MAX_BATCHES, or a deadline)."""

    base_url: str
    kind: str
    stop: threading.Event
    deadline: float
    sent: list[Sent] = field(default_factory=list)

    def run(self) -> None:
        path, make = KINDS[self.kind]
        with httpx.Client(base_url=self.base_url, timeout=HANG_S + 30) as http:
            for n in range(MAX_BATCHES):
                if self.stop.is_set() or time.monotonic() > self.deadline:
                    return
                t0 = time.monotonic()
                try:
                    r = http.post(path, json=make(n))
                    try:
                        body = r.json()
                    except ValueError:
                        body = r.text
                    self.sent.append(Sent(n, r.status_code, body, r.headers.get_list("retry-after"), t0,
                                          time.monotonic() - t0))
                except httpx.HTTPError as exc:
                    self.sent.append(Sent(n, None, repr(exc), [], t0, time.monotonic() - t0))

    def recovered(self, since: float, n: int) -> bool:
        """The last `n` answers were 200s, all to requests sent after `since`."""
        last = list(self.sent)[-n:]
        return len(last) == n and all(x.status == 200 and x.started > since for x in last)

    def count(self, status: int, after: float = 0.0) -> int:
        return sum(1 for s in list(self.sent) if s.status == status and s.started >= after)


def _wait_for(what: str, predicate, timeout: float, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _ids_by_batch(uri: str) -> dict[str, Counter]:
    """Straight from Neo4j: how many rows of each batch are stored (accounts b<n>-<i>, activities
    x<n>-<i>, each activity with its PERFORMED edge)."""
    ex = Neo4jExecutor(uri, "neo4j", "neo4j")
    try:
        accounts = ex.read("MATCH (a:Account) WHERE a.id STARTS WITH 'b' RETURN a.id AS id", {})
        activities = ex.read("MATCH (:Contact)-[:PERFORMED]->(x:Activity) WHERE x.id STARTS WITH 'x' "
                             "RETURN x.id AS id", {})
        loose = ex.read("MATCH (x:Activity) WHERE NOT (x)<-[:PERFORMED]-(:Contact) RETURN count(x) AS n", {})
    finally:
        ex.close()
    assert loose[0]["n"] == 0, "activities without their contact edge: a partly written statement"
    return {
        "accounts": Counter(int(r["id"][1:].split("-")[0]) for r in accounts),
        "activities": Counter(int(r["id"][1:].split("-")[0]) for r in activities),
    }


def _code(x: Sent) -> str | None:
    return x.body.get("error") if isinstance(x.body, dict) else None


def _summary(senders, health_down, killed_at: float, back_at: float) -> None:
    """What happened, for the log (pytest shows it with -s or on failure)."""
    print(f"\nNeo4j down for {back_at - killed_at:.1f} s (kill -9 to Bolt ready again)")
    for s in senders:
        during = [x for x in s.sent if x.started + x.seconds >= killed_at and x.started <= back_at]
        print(f"  {s.kind}: {len(s.sent)} batches, {dict(Counter(x.status for x in s.sent))}; "
              f"during the outage {[(x.status, _code(x), round(x.seconds, 1)) for x in during]}; "
              f"after it {[(x.status, _code(x), round(x.seconds, 1)) for x in s.sent if x.started > back_at]}; "
              f"slowest {max(x.seconds for x in s.sent):.1f} s; "
              f"Retry-After on 503s {sorted({tuple(x.retry_after) for x in s.sent if x.status == 503})}")
    print(f"  /health while down: {[(code, round(sec, 1)) for code, _, sec in health_down]}")


# -- the test --------------------------------------------------------------------------------------
def test_neo4j_killed_mid_stream_gives_503_then_recovers_without_losing_acknowledged_batches(neo4j, service):
    http = service.http
    service_pid = service.proc.pid
    # Something for the activities to land on.
    r = http.post("/v1/accounts", json={"accounts": [{"id": "acc-out", "name": "Outage GmbH", "domain": "outage.example",
                                                      "employees": 300}]})
    assert r.status_code == 200, r.text
    r = http.post("/v1/contacts", json={"contacts": [
        {"id": f"c-{i}", "email": f"c{i}@outage.example", "account_id": "acc-out", "title": "Process Engineer"}
        for i in range(CONTACTS)]})
    assert r.status_code == 200, r.text

    stop = threading.Event()
    deadline = time.monotonic() + 600  # the senders stop by themselves at the latest after 10 minutes
    senders = [Sender(service.base_url, kind, stop, deadline) for kind in KINDS]
    threads = [threading.Thread(target=s.run, name=f"send-{s.kind}", daemon=True) for s in senders]
    health_down: list[tuple[int, dict, float]] = []
    try:
        for t in threads:
            t.start()
        # 1. Neo4j up: batches are acknowledged.
        _wait_for("5 acknowledged batches of each kind", lambda: all(s.count(200) >= 5 for s in senders), 180)

        # 2. kill -9 Neo4j while both senders have a batch in flight (they post back to back).
        killed_at = time.monotonic()
        neo4j.kill()

        # /health says 503 while it is down, promptly.
        def health_is_down() -> bool:
            t0 = time.monotonic()
            h = http.get("/health")
            health_down.append((h.status_code, h.json(), time.monotonic() - t0))
            return h.status_code == 503

        _wait_for("/health to answer 503", health_is_down, 60, poll=0.5)
        _wait_for("a 503 for each kind of batch",
                  lambda: all(s.count(503, after=killed_at) >= 1 for s in senders), 2 * HANG_S)
        # and it stays down, without hanging, for a while: a few more requests each
        _wait_for("two requests of each kind while Neo4j is down",
                  lambda: all(sum(1 for x in list(s.sent) if x.started >= killed_at) >= 2 for s in senders),
                  3 * HANG_S)
        h = http.get("/health")
        assert h.status_code == 503, h.text

        # 3. Neo4j back on the same port and data directory; the service is not restarted.
        neo4j.start()
        back_at = time.monotonic()
        _wait_for("the last 3 answers of each kind to be 200s, after Neo4j came back",
                  lambda: all(s.recovered(back_at, RECOVERED) for s in senders), 240)
        h = http.get("/health")
        assert h.status_code == 200 and h.json()["status"] == "ok", h.text
    finally:
        stop.set()
        for t in threads:
            t.join(HANG_S + 60)
    assert not any(t.is_alive() for t in threads), "a sender is stuck"
    assert service.proc.poll() is None and service.proc.pid == service_pid, "the service died or was restarted"

    _summary(senders, health_down, killed_at, back_at)

    # -- every answer was a 200 or a 503 in the project's error format, none hung --------------------
    for s in senders:
        statuses = Counter(x.status for x in s.sent)
        assert set(statuses) <= {200, 503}, (s.kind, statuses, [x for x in s.sent if x.status not in (200, 503)][:5],
                                              service.tail())
        for x in s.sent:
            assert x.seconds < HANG_S, (s.kind, x)
            if x.status == 503:
                assert _code(x) in UNAVAILABLE and x.body.get("message") and x.retry_after, x
        # 5 acknowledged before the kill and RECOVERED after Neo4j came back is what the waits above
        # guarantee; more depends on the machine's load (a loaded machine gave 9 where 10 was asked)
        assert statuses[503] >= 1 and statuses[200] >= 5 + RECOVERED, (s.kind, statuses)
        # the engine being down is told as such (engine_timeout is only the deadline's fallback)
        assert any(_code(x) == "store_unavailable" for x in s.sent), s.kind
        # before the kill everything was acknowledged. Right after Neo4j is back a request may still
        # get an engine_timeout (a cold Neo4j on a busy machine), but it settles to 200s by itself.
        assert all(x.status == 200 for x in s.sent if x.started + x.seconds < killed_at), s.kind
        assert s.count(200, after=back_at) >= RECOVERED, s.kind
    down = [code for code, _, _ in health_down]
    assert 503 in down and set(down) <= {200, 503}, health_down
    assert all(body["status"] == "unavailable" for code, body, _ in health_down if code == 503), health_down
    assert all(seconds < HANG_S for _, _, seconds in health_down), health_down

    # -- no acknowledged batch lost, no batch partly written ---------------------------------------
    stored = _ids_by_batch(neo4j.uri)
    for s in senders:
        sent = {x.n for x in s.sent}
        acked = {x.n for x in s.sent if x.status == 200}
        counts = stored[s.kind]
        assert set(counts) <= sent
        missing = {n: counts.get(n, 0) for n in acked if counts.get(n, 0) != BATCH}
        assert not missing, f"{s.kind}: acknowledged batches not stored whole: {missing}"
        partial = {n: c for n, c in counts.items() if c != BATCH}
        assert not partial, f"{s.kind}: partly written batches: {partial}"
        print(f"  {s.kind}: unacknowledged batches stored whole anyway: "
              f"{sorted(n for n in sent - acked if counts.get(n))} of {sorted(sent - acked)}")
    # the API agrees with the store on a sample
    for x in senders[0].sent[::7]:
        want = 200 if stored["accounts"].get(x.n) else 404
        assert http.get(f"/v1/accounts/b{x.n}-{BATCH - 1}").status_code == want, x

    # -- the client's retry of every unacknowledged batch succeeds and completes it -----------------
    for s in senders:
        path, make = KINDS[s.kind]
        for x in s.sent:
            if x.status != 200:
                r = http.post(path, json=make(x.n))
                assert r.status_code == 200, r.text
    stored = _ids_by_batch(neo4j.uri)
    for s in senders:
        assert stored[s.kind] == Counter({x.n: BATCH for x in s.sent}), s.kind
    r = http.get("/v1/accounts/acc-out/readiness")
    assert r.status_code == 200, r.text
