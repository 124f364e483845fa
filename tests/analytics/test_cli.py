"""`graphsvc query`: list the library, run a query on the store or through a running service."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time

import pytest
import uvicorn
from click.testing import CliRunner

import graphsvc.store.factory as factory
from graphsvc import cli
from graphsvc.api.app import create_app
from graphsvc.auth import KeyStore


@pytest.fixture
def local(cli_store, scenario):
    """`graphsvc query` opens the test store (with the scenario) instead of an embedded engine."""
    return cli_store


AT = ("-p", "now=2026-11-01T12:00:00Z")  # the scenario's NOW (the command's own clock is the wall clock)


def _query(*args):
    return CliRunner().invoke(cli.main, ["query", *args])


def test_without_a_name_it_lists_the_library():
    r = _query()
    assert r.exit_code == 0
    assert "stuck_mqas(min_days=30, now=null, limit=100)" in r.stdout
    assert "funnel_conversion(" in r.stdout and "MQA for more than" in r.stdout


def test_a_table_by_default(local):
    r = _query("stuck_mqas", "--param", "min_days=5", *AT)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "name", "segment"]
    assert lines[2].startswith("A3 ") and lines[3].startswith("A10")
    assert "decision_maker, economic_buyer" in lines[2]
    assert "2026-09-24T12:00:00Z" in lines[2]  # mqa_since is documented in epoch seconds: shown as a time
    assert lines[-1] == "(2 rows)"


def test_csv_and_json(local):
    r = _query("sql_rejections", "-p", "by=campaign", *AT, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["group"], x["rejections"]) for x in rows] == [("c-webinar-q3", "2"), ("(none)", "1"),
                                                             ("c-tradeshow", "1")]
    r = _query("buying_center_gaps", "-p", "segment=mid_market", "--format", "json")
    assert json.loads(r.stdout)[0] == {"role": "decision_maker", "missing": 2, "accounts": 2, "complete": 0,
                                       "share": 1.0}
    r = _query("dm_paths", "-p", "ignore_types=", *AT, "--format", "json")  # an empty list
    assert [x["contact_id"] for x in json.loads(r.stdout)] == ["c3-mgr", "c3-eng"]
    r = _query("funnel_conversion", "-p", "from=2026-09-02T12:00:00Z", "-p", "by=segment", *AT, "--format", "json")
    assert r.exit_code == 0, r.output
    assert {x["group"] for x in json.loads(r.stdout)} == {"enterprise", "mid_market", "smb"}


def test_bad_parameters_fail_before_any_engine_starts(monkeypatch):
    monkeypatch.setattr(factory, "open_store", lambda settings: pytest.fail("the store was opened"))
    r = _query("stuck_mqas", "-p", "min_days=soon", "-p", "colour=red", "-p", "include_open=maybe")
    assert r.exit_code == 1
    assert "min_days: 'soon' is not a valid FLOAT" in r.stderr
    assert "colour: unknown parameter" in r.stderr and "include_open: unknown parameter" in r.stderr
    assert _query("stuck_mqas", "-p", "min_days").exit_code == 1  # no "="
    r = _query("no_such_query")
    assert r.exit_code == 1 and "no library query named 'no_such_query'" in r.stderr
    assert _query("funnel_now", "-p", "by=planet").exit_code == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_through_a_running_service_with_a_key(store, scenario, clock, settings, monkeypatch):
    secret = KeyStore.for_settings(settings).create(["analyst"])[1]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store=store, clock=clock), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        monkeypatch.setenv("GRAPHSVC_API_KEY", secret)
        r = _query("stuck_mqas", "-p", "min_days=5", "--api", url, "--format", "json")
        assert r.exit_code == 0, r.output
        assert [x["id"] for x in json.loads(r.stdout)] == ["A3", "A10"]
        monkeypatch.setenv("GRAPHSVC_API_KEY", "gsk_wrong")
        r = _query("stuck_mqas", "--api", url)
        assert r.exit_code == 1 and "401" in r.stderr
    finally:
        server.should_exit = True
        thread.join(10)
