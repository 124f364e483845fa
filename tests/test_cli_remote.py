"""The CLI through a running service (`--api URL`): `graphsvc events tail` and `graphsvc query` against
a real `graphsvc serve --demo` child process with API keys — the answers, a refused key told as the
service's own message on stderr with exit code 1, and an unreachable service the same way; never a
traceback, never the key."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from serve_process import ServeProcess, free_port

pytestmark = pytest.mark.falkordb


def cli(*args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    if key is not None:
        env["GRAPHSVC_API_KEY"] = key
    return subprocess.run([sys.executable, "-m", "graphsvc.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-remote")
    data = root / "data"
    data.mkdir()
    made = cli("keys", "create", "--role", "analyst", "--label", "cli remote", "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    svc = ServeProcess(data, root / "serve.log", "--demo")
    try:
        svc.wait_healthy()
        svc.key = made.stdout.strip().splitlines()[-1]
        yield svc
    finally:
        svc.stop()


def test_events_tail_through_the_service(service):
    out = cli("events", "tail", "--api", service.base_url, "--last", "3", "--format", "json", key=service.key)
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(events) == 3
    ids = [e["id"] for e in events]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert all(e["type"] and e["account_id"] for e in events)


def test_query_through_the_service_matches_the_api(service):
    out = cli("query", "funnel_now", "--api", service.base_url, "--format", "json", key=service.key)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    api = service.http.post("/v1/queries/funnel_now", json={"params": {}},
                            headers={"Authorization": f"Bearer {service.key}"}).json()["rows"]
    assert rows == api and sum(r["accounts"] for r in rows) > 0


@pytest.mark.parametrize("command", [["events", "tail", "--last", "1"], ["query", "funnel_now"]])
def test_a_refused_key_is_the_services_message_on_stderr(service, command):
    out = cli(*command, "--api", service.base_url, key="gsk_not-a-key")
    assert out.returncode == 1
    assert out.stderr.startswith("graphsvc: error: ") and f"{service.base_url} answered 401: " in out.stderr
    assert "Traceback" not in out.stderr and "gsk_not-a-key" not in out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize("command", [["events", "tail", "--last", "1"], ["query", "funnel_now"]])
def test_an_unreachable_service_is_said_so(command):
    url = f"http://127.0.0.1:{free_port()}"
    out = cli(*command, "--api", url, key="gsk_whatever")
    assert out.returncode == 1
    assert f"cannot reach {url}" in out.stderr and "Traceback" not in out.stderr
