"""Issue 8, items 6 and 7: the engine and open mode cannot be reached around the API keys.

6. The embedded FalkorDB needs a password (random per data directory, kept 0600, never on a command
   line); its files are owner-only; /health does not tell where the engine listens.
7. Open mode (no keys file) answers only requests addressed to a loopback name and not sent by a
   web page of another site (DNS rebinding, cross-site requests), and never makes the first key
   over HTTP: that is `graphsvc keys create`'s job.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
import redis
from click.testing import CliRunner
from fastapi.testclient import TestClient
from test_serve_http_stack import FAST_STACK, loaded_fast_stack

from graphsvc import cli
from graphsvc.api.app import create_app
from graphsvc.auth import KeyStore
from graphsvc.auth.policy import loopback_host_header, loopback_origin
from graphsvc.config import Settings
from graphsvc.errors import StoreUnavailable
from graphsvc.store.embedded import PASSWORD_FILE, EmbeddedFalkorDB
from graphsvc.store.factory import open_store
from graphsvc.store.falkordb_executor import FalkorDBExecutor

DIRECT_WRITE = 'CREATE (:DirectWrite)'


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _resp(*args: str) -> bytes:
    out = f"*{len(args)}\r\n".encode()
    for a in args:
        b = a.encode()
        out += f"${len(b)}\r\n".encode() + b + b"\r\n"
    return out


def _raw(port: int, *args: str) -> bytes:
    """One command over a bare socket, no client library: what any local process can send."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(_resp(*args))
        return s.recv(4096)


def _direct_writes(server: EmbeddedFalkorDB, graph: str = "graphsvc") -> int:
    rows = server.client(socket_timeout=10).execute_command(
        "GRAPH.QUERY", graph, "MATCH (n:DirectWrite) RETURN count(n)")[1]
    return int(rows[0][0]) if rows else 0


@pytest.fixture
def embedded(tmp_path):
    """The service's own store on the embedded default, as `graphsvc serve` opens it."""
    opened = open_store(Settings(data_dir=tmp_path / "data", store=None))
    yield opened
    opened.close()


# -- 6. the embedded engine ------------------------------------------------------------------------

@pytest.mark.falkordb
def test_the_embedded_engine_refuses_a_direct_write_without_its_password(embedded):
    server = embedded.server
    assert server.password and len(server.password) >= 40
    embedded.store.ping()  # the service itself gets in

    # A bare socket, as any local process could open: refused before the command runs.
    reply = _raw(server.port, "GRAPH.QUERY", "graphsvc", DIRECT_WRITE)
    assert reply.startswith(b"-NOAUTH"), reply
    assert _raw(server.port, "AUTH", "wrong-password").startswith(b"-WRONGPASS")
    # The client libraries the issue used: an auth error too.
    with pytest.raises((redis.AuthenticationError, redis.ResponseError), match="(?i)auth"):
        redis.Redis(host="127.0.0.1", port=server.port).execute_command("GRAPH.QUERY", "graphsvc", DIRECT_WRITE)
    with pytest.raises(StoreUnavailable, match="(?i)auth"):  # the service's own client: a clear 503
        FalkorDBExecutor("127.0.0.1", server.port, "graphsvc").ping()
    with pytest.raises((redis.AuthenticationError, redis.ResponseError), match="(?i)auth|pass"):
        redis.Redis(host="127.0.0.1", port=server.port, password="guess").ping()

    assert _direct_writes(server) == 0  # nothing was written
    assert embedded.store.counts()["accounts"] == 0


@pytest.mark.falkordb
def test_the_engine_password_is_on_no_command_line(embedded):
    server = embedded.server
    engine = psutil.Process(server.pid)
    assert "redis-server" in engine.name()
    everyone = [" ".join(p.info["cmdline"] or ()) for p in psutil.process_iter(["cmdline"])]
    assert not [c for c in everyone if server.password in c]
    assert server.password not in json.dumps(os.environ.copy())


@pytest.mark.falkordb
def test_the_engine_files_are_owner_only(embedded):
    server = embedded.server
    embedded.store.apply_schema()
    server.compact()  # an RDB base and a fresh AOF, written by the engine itself
    data = server.data_dir
    assert _mode(data) == 0o700
    assert _mode(data / PASSWORD_FILE) == 0o600
    assert (data / PASSWORD_FILE).read_text().strip() == server.password
    files = [p for p in (data / "falkordb").rglob("*")]
    assert any(p.name.endswith(".aof") for p in files) and any(p.name.endswith(".rdb") for p in files), files
    for p in [data / "falkordb", data / "import", *files]:
        assert _mode(p) == (0o700 if p.is_dir() else 0o600), (p, oct(_mode(p)))
    for name in ("falkordb.log", "graphsvc.lock"):
        assert _mode(data / name) == 0o600, name


@pytest.mark.falkordb
def test_a_restarted_service_on_the_same_data_dir_reuses_the_password(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", store=None)
    first = open_store(settings)
    password = first.server.password
    first.server.client().execute_command("GRAPH.QUERY", "graphsvc", "CREATE (:Kept {id: 'k'})")
    first.close()

    again = open_store(settings)
    try:
        assert again.server.password == password
        assert (tmp_path / "data" / PASSWORD_FILE).read_text().strip() == password
        rows = again.server.client().execute_command("GRAPH.QUERY", "graphsvc", "MATCH (k:Kept) RETURN k.id")[1]
        assert [r[0] for r in rows] in ([b"k"], ["k"])
        assert _raw(again.server.port, "PING").startswith(b"-NOAUTH")
    finally:
        again.close()


@pytest.mark.falkordb
def test_a_data_dir_made_before_passwords_is_tightened_and_gets_one(tmp_path):
    data = tmp_path / "data"
    server = EmbeddedFalkorDB(data).start()
    server.client().execute_command("GRAPH.QUERY", "graphsvc", "CREATE (:Old)")
    server.stop()
    # What an older graphsvc left: no password file, world-readable files, a 0755 directory.
    (data / PASSWORD_FILE).unlink()
    for p in [data, *data.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)

    server = EmbeddedFalkorDB(data).start()
    try:
        assert _mode(data) == 0o700 and _mode(data / PASSWORD_FILE) == 0o600
        for p in (data / "falkordb").rglob("*"):
            assert _mode(p) == (0o700 if p.is_dir() else 0o600), p
        assert _raw(server.port, "PING").startswith(b"-NOAUTH")
        assert server.client().execute_command("GRAPH.QUERY", "graphsvc", "MATCH (n:Old) RETURN count(n)")[1][0][0] == 1
    finally:
        server.stop()


@pytest.mark.falkordb
def test_a_password_file_others_could_read_is_replaced(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    leaked = data / PASSWORD_FILE
    leaked.write_text("known-to-everyone\n")
    os.chmod(leaked, 0o644)
    server = EmbeddedFalkorDB(data).start()
    try:
        assert server.password != "known-to-everyone" and _mode(leaked) == 0o600
        with pytest.raises((redis.AuthenticationError, redis.ResponseError)):
            redis.Redis(host="127.0.0.1", port=server.port, password="known-to-everyone").ping()
    finally:
        server.stop()


def test_health_does_not_tell_the_engine_address(client, store):
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert set(body["store"]) == {"engine", "version"} and body["store"]["engine"] in ("falkordb", "neo4j")
    address = store.executor.ping().get("address", "")
    assert address and address not in r.text
    port = address.rsplit(":", 1)[-1]
    assert port not in r.text


def test_health_does_not_tell_the_engine_address_when_it_is_down(client, store, monkeypatch):
    # What the executors raise when the engine is gone: the client library's text names the address.
    address = store.executor.ping()["address"]

    def down():
        raise StoreUnavailable(f"the graph engine is not answering: Error 111 connecting to {address}. Refused.")

    monkeypatch.setattr(store.executor, "ping", down)
    r = client.get("/health")
    assert r.status_code == 503 and r.json()["status"] == "unavailable", r.text
    assert address not in r.text and address.rsplit(":", 1)[-1] not in r.text


# -- the commands that open the store ---------------------------------------------------------------

@pytest.mark.falkordb
def test_seed_requalify_and_query_reach_the_password_protected_engine(tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHSVC_STORE", raising=False)
    data = str(tmp_path / "data")
    runner = CliRunner()
    r = runner.invoke(cli.main, ["seed", "--accounts", "3", "--data-dir", data])
    assert r.exit_code == 0, r.output
    assert "loaded" in r.output
    r = runner.invoke(cli.main, ["requalify", "--data-dir", data])
    assert r.exit_code == 0 and "requalified 3 accounts" in r.output, r.output
    r = runner.invoke(cli.main, ["query", "funnel_now", "--format", "json", "--data-dir", data])
    assert r.exit_code == 0, r.output
    assert sum(row["accounts"] for row in json.loads(r.stdout)) == 3
    assert _mode(tmp_path / "data") == 0o700


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.falkordb
@pytest.mark.slow
def test_serve_workers_reach_the_engine_and_open_mode_refuses_a_rebound_host_over_real_http(tmp_path):
    """`serve --workers 2`: the workers connect to the supervising process's engine with its
    password (from its file, not the environment); a real loopback client with a foreign Host is refused."""
    port = _port()
    data = tmp_path / "data"
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "graphsvc.cli", "serve", "--workers", "2", "--no-access-log", "--port", str(port),
         "--data-dir", str(data)],
        stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                if http.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        password = (data / PASSWORD_FILE).read_text().strip()
        root = psutil.Process(proc.pid)
        tree = [root, *root.children(recursive=True)]
        assert sum("redis-server" in p.name() for p in tree) == 1 and len(tree) >= 4  # engine, 2 workers
        # Each worker answers through httptools on uvloop (test_serve_http_stack.py says why).
        assert sum(loaded_fast_stack(p.pid) == set(FAST_STACK) for p in tree) >= 2, log.read_text()[-3000:]
        assert not [p for p in tree if password in " ".join(p.cmdline())]
        assert not [p for p in tree if password in json.dumps(p.environ())]
        for _ in range(6):  # several requests, so both workers answer some
            batch = {"accounts": [{"id": f"w{_}", "name": f"Worker {_}"}]}
            assert http.post("/v1/accounts", json=batch).status_code == 200
            assert http.get(f"/v1/accounts/w{_}").status_code == 200
        health = http.get("/health").json()
        assert set(health["store"]) == {"engine", "version"} and str(port) not in json.dumps(health)

        # The attack, over a real socket from loopback: a rebound name mints nothing.
        r = http.post("/v1/keys", json={"roles": ["admin"]}, headers={"Host": f"evil.example:{port}"})
        assert r.status_code == 403 and r.json()["error"] == "open_mode_refused", r.text
        assert http.get("/v1/accounts/w0", headers={"Host": "evil.example"}).status_code == 403
        assert http.get("/v1/accounts/w0", headers={"Origin": "https://evil.example"}).status_code == 403
        assert not (data / "api_keys.json").exists()
    finally:
        http.close()
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# -- 7. open mode ----------------------------------------------------------------------------------

LOOPBACK_HOSTS = ["127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:1234", "LOCALHOST:8000", "[::1]",
                  "[::1]:8000", "127.0.0.2:80"]
REBOUND_HOSTS = ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io:8000",
                 "evil.localhost", "0.0.0.0:8000", "10.0.0.1", "::1", "[::1", "[::1]8000", "localhost:http",
                 "127.0.0.1:8000@evil.example", "[::ffff:7f00:1]", ""]


def test_loopback_host_headers():
    assert all(loopback_host_header(h) for h in LOOPBACK_HOSTS)
    assert not any(loopback_host_header(h) for h in REBOUND_HOSTS), [h for h in REBOUND_HOSTS if loopback_host_header(h)]
    assert loopback_origin("http://localhost:3000") and loopback_origin("https://127.0.0.1")
    assert loopback_origin("http://[::1]:8000")
    for bad in ("null", "https://evil.example", "http://localhost.evil.example", "file://", "http://localhost/x",
                "ftp://localhost", "localhost:3000"):
        assert not loopback_origin(bad), bad


@pytest.fixture
def loopback(store, clock, settings):
    """The open service (no keys file) seen from a real loopback peer address."""
    app = create_app(settings, store=store, clock=clock)
    with TestClient(app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50123)) as c:
        yield c


def _refused(r, what: str) -> None:
    assert r.status_code == 403, r.text
    body = r.json()
    assert body["error"] == "open_mode_refused" and body["details"] == {"refused": what}, body
    assert "graphsvc keys create" in body["message"]


def test_open_mode_refuses_a_rebound_host_header(loopback, settings):
    # The probe: no keys, loopback peer, Host of the attacker's rebound name.
    r = loopback.post("/v1/keys", json={"roles": ["admin"]}, headers={"Host": "evil.example:8000"})
    _refused(r, "host")
    assert not KeyStore.for_settings(settings).path.exists()
    for host in REBOUND_HOSTS:
        _refused(loopback.get("/v1/queries", headers={"Host": host}), "host")
        _refused(loopback.post("/v1/accounts", json={"accounts": [{"id": "a", "name": "A"}]},
                               headers={"Host": host}), "host")
    assert loopback.get("/v1/accounts/a").status_code == 404  # nothing was written


def test_open_mode_answers_loopback_host_headers(loopback):
    for host in LOOPBACK_HOSTS:
        assert loopback.get("/v1/queries", headers={"Host": host}).status_code == 200, host
    assert loopback.post("/v1/accounts", json={"accounts": [{"id": "a", "name": "A"}]}).status_code == 200


def test_open_mode_refuses_browser_cross_site_requests(loopback):
    write = {"accounts": [{"id": "x", "name": "X"}]}
    for origin in ("https://evil.example", "http://evil.example:8000", "null", "http://127.0.0.1.nip.io"):
        _refused(loopback.post("/v1/accounts", json=write, headers={"Origin": origin}), "origin")
        _refused(loopback.get("/v1/queries", headers={"Origin": origin}), "origin")
    _refused(loopback.post("/v1/accounts", json=write, headers={"Sec-Fetch-Site": "cross-site"}), "sec-fetch-site")
    _refused(loopback.get("/v1/queries", headers={"Sec-Fetch-Site": "cross-site"}), "sec-fetch-site")
    assert loopback.get("/v1/accounts/x").status_code == 404  # nothing was written
    # Pages served from loopback, and the browser's own same-origin requests, still work.
    for headers in ({"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"},
                    {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"},
                    {"Sec-Fetch-Site": "none"}):
        assert loopback.get("/v1/queries", headers=headers).status_code == 200, headers


def test_open_mode_refuses_cross_site_requests_from_in_process_clients_too(client):
    # No IP peer (in-process, unix socket): no Host to check, but a browser's headers are still refused.
    assert client.get("/v1/queries").status_code == 200
    _refused(client.get("/v1/queries", headers={"Origin": "https://evil.example"}), "origin")
    _refused(client.get("/v1/queries", headers={"Sec-Fetch-Site": "cross-site"}), "sec-fetch-site")


def test_open_mode_refuses_to_make_the_first_key_over_http(loopback, settings):
    path = KeyStore.for_settings(settings).path
    r = loopback.post("/v1/keys", json={"roles": ["admin"], "label": "me"})
    _refused(r, "first_key")
    assert "first" in r.json()["message"]
    assert not path.exists()
    assert loopback.get("/v1/queries").status_code == 200  # still open: nobody is locked out
    # Revoking in open mode does not write an empty keys file (which would lock the API) either.
    assert loopback.delete("/v1/keys/nope").status_code == 404 and not path.exists()


def test_once_the_cli_made_a_key_admins_manage_keys_over_http(loopback, settings):
    r = CliRunner().invoke(cli.main, ["keys", "create", "--role", "admin", "--data-dir", str(settings.data_dir)])
    assert r.exit_code == 0, r.output
    admin = {"X-API-Key": r.stdout.strip()}
    assert loopback.get("/v1/queries").status_code == 401  # the first key ended open mode
    created = loopback.post("/v1/keys", json={"roles": ["analyst"]}, headers=admin)
    assert created.status_code == 201, created.text
    analyst = {"X-API-Key": created.json()["key"]}
    assert loopback.get("/v1/queries", headers=analyst).status_code == 200
    # With keys, the key is what counts: a rebound name without one gets nothing, with one it works.
    assert loopback.get("/v1/queries", headers={"Host": "evil.example"}).status_code == 401
    assert loopback.get("/v1/queries", headers={**analyst, "Host": "api.example.com"}).status_code == 200
    assert loopback.delete(f"/v1/keys/{created.json()['id']}", headers=admin).status_code == 204
