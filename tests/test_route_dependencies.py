"""What the API's per-request dependencies do, and do not do, before the route runs.

FastAPI runs a plain `def` dependency in its thread pool: a hop to a thread and back per request,
on the event loop every request of a worker goes through. The qualification routes' service is
therefore built by an `async def` dependency that reads nothing: the active ruleset is read when
the route first needs it, in the route's own thread (api/deps.py; docs/benchmarks.md)."""

from __future__ import annotations

import asyncio
import inspect
import threading

from fastapi.responses import Response

from graphsvc.api import deps
from graphsvc.auth import policy
from graphsvc.qualification.service import QualificationService
from graphsvc.rules import default_ruleset


class _Untouchable:
    """A store that fails the test on any use."""

    def __getattr__(self, name):
        raise AssertionError(f"the store was used ({name}) while the dependency was solved")


class _State:
    store = _Untouchable()


def test_the_qualifier_dependency_is_async_and_reads_nothing():
    assert inspect.iscoroutinefunction(deps._qualifier)
    service = asyncio.run(deps._qualifier(_State()))
    assert isinstance(service, QualificationService)


def test_the_ruleset_is_read_once_at_first_use_by_the_thread_that_uses_it():
    reads = []
    rs = default_ruleset()

    def read():
        reads.append(threading.current_thread().name)
        return rs

    service = QualificationService(_Untouchable(), read)
    assert reads == []
    used_in = threading.Thread(target=lambda: service.ruleset, name="route")
    used_in.start()
    used_in.join()
    assert reads == ["route"]
    assert service.ruleset is rs and service.actor == f"rules@{rs.version}"
    assert reads == ["route"]  # kept: one read per request at most


def test_a_given_ruleset_is_used_as_it_is():
    rs = default_ruleset()
    assert QualificationService(_Untouchable(), rs).ruleset is rs


def test_the_loopback_checks_answer_the_same_from_their_cache():
    cases = {"127.0.0.1": True, "127.8.0.1": True, "::1": True, "[::1]": True, "localhost": True,
             "10.0.0.1": False, "example.com": False, None: False, "": False}
    for _ in range(2):  # the second round is answered from the cache
        for host, loopback in cases.items():
            assert policy.is_loopback(host) is loopback, host
    headers = {"127.0.0.1:8000": True, "localhost": True, "[::1]:80": True, "::1": False,
               "evil.example:8000": False, "127.0.0.1:80x": False, None: False}
    for _ in range(2):
        for header, loopback in headers.items():
            assert policy.loopback_host_header(header) is loopback, header
    for _ in range(2):
        assert policy._ip_peer("127.0.0.1") and policy._ip_peer("[::1]") and policy._ip_peer("203.0.113.9")
        assert not policy._ip_peer("testclient") and not policy._ip_peer(None)


def test_the_board_answers_its_json_itself_and_keeps_its_documented_schema(tmp_path):
    """The board returns a Response (no validation hop to a thread, no encoding on the event loop:
    api/routes/outputs.py) while the OpenAPI document still says what it answers."""
    from graphsvc.api.app import create_app
    from graphsvc.api.routes.accounts import board
    from graphsvc.config import Settings

    assert inspect.signature(board, eval_str=True).return_annotation is Response
    app = create_app(Settings(data_dir=tmp_path))
    ok = app.openapi()["paths"]["/v1/accounts"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok.get("type") == "object"
