"""API keys and roles: 401/403 on every route, generated from the app's own route table.

A route is checked through the router that owns it (graphsvc.api.app.ROUTERS) and the `ACCESS`
that router's module declares next to it (graphsvc.auth.policy.Access), so a new route on an
existing router is covered automatically, a new router without an ACCESS fails here, and a route
added straight on the app (outside ROUTERS) fails here too.
"""

from __future__ import annotations

import json
import re
import types

import pytest
from click.testing import CliRunner
from fastapi import APIRouter
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from graphsvc import cli
from graphsvc.api import app as app_module
from graphsvc.api.app import ROUTERS, create_app
from graphsvc.auth import KeyStore
from graphsvc.auth.keys import ROLES
from graphsvc.auth.policy import OPEN, Access, access_of, allowed_roles

FASTAPI_OPEN = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _routes(routers=ROUTERS) -> list[tuple[str, str, types.ModuleType]]:
    """(method, path, router module) for every API route, from the routers themselves."""
    out = []
    for module in routers:
        for route in module.router.routes:
            assert isinstance(route, APIRoute), f"{module.__name__}: unexpected route type {type(route)}"
            out += [(m, route.path, module) for m in sorted(route.methods - {"HEAD", "OPTIONS"})]
    return out


ROUTES = _routes()


@pytest.fixture
def keys(settings) -> dict[str, str]:
    """One key per role, in the test settings' keys file (which switches enforcement on)."""
    store = KeyStore.for_settings(settings)
    return {role: store.create([role], f"{role} test key")[1] for role in ROLES}


@pytest.fixture
def secured(store, clock, settings, keys):
    with TestClient(create_app(settings, store=store, clock=clock)) as c:
        yield c


def _call(client, method: str, path: str, key: str | None = None, header: str = "bearer"):
    url = re.sub(r"\{[^}]+\}", "x", path)
    headers = {}
    if key is not None:
        headers = {"Authorization": f"Bearer {key}"} if header == "bearer" else {"X-API-Key": key}
    return client.request(method, url, headers=headers, json={} if method in ("POST", "PUT") else None)


# -- the route table -----------------------------------------------------------------------------

def test_every_router_has_a_role_decision():
    missing = [m.__name__ for m in ROUTERS if not isinstance(getattr(m, "ACCESS", None), Access)]
    assert not missing, f"declare ACCESS = Access(...) (graphsvc.auth.policy) next to the router in: {missing}"


def test_every_route_of_the_app_belongs_to_a_router_in_ROUTERS(settings):
    app = create_app(settings)
    ours = {id(m.router) for m in ROUTERS}
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            assert id(inner) in ours, f"a router outside ROUTERS was included: {inner.routes}"
        else:
            assert route.path in FASTAPI_OPEN, f"{route.path} was added outside ROUTERS: it has no role decision"
    documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert documented == {(m, p) for m, p, _ in ROUTES}


def test_the_role_table():
    def roles(method, path):
        module = next(mod for m, p, mod in ROUTES if (m, p) == (method, path))
        return set(allowed_roles(module, method) or ["OPEN"])

    assert roles("GET", "/health") == {"OPEN"}
    for path in ("/v1/accounts", "/v1/contacts", "/v1/leads", "/v1/activities"):
        assert roles("POST", path) == {"ingest", "admin"}
    for method, path in [("GET", "/v1/accounts"), ("GET", "/v1/accounts/{account_id}"),
                         ("GET", "/v1/accounts/{account_id}/readiness"), ("GET", "/v1/contacts/{contact_id}"),
                         ("POST", "/v1/accounts/{account_id}/transitions"), ("PUT", "/v1/contacts/{contact_id}/roles")]:
        assert roles(method, path) == {"sales", "admin"}, path
    for method, path in [("GET", "/v1/queries"), ("POST", "/v1/queries/{name}"), ("POST", "/v1/cypher"),
                         ("GET", "/v1/reports/funnel"), ("GET", "/v1/reports/sla")]:
        assert roles(method, path) == {"analyst", "admin"}, path
    assert roles("GET", "/v1/rules") == {"sales", "analyst", "admin"}
    assert roles("PUT", "/v1/rules") == {"admin"}
    assert roles("POST", "/v1/keys") == roles("GET", "/v1/keys") == {"admin"}


# -- generated: every route, every role ------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "module"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_route_requires_a_key_with_its_role(secured, keys, method, path, module):
    allowed = allowed_roles(module, method)
    if allowed is None:
        assert access_of(module) is OPEN
        assert _call(secured, method, path).status_code not in (401, 403)
        return
    for key in (None, "gsk_not-a-key", "not even the format"):
        r = _call(secured, method, path, key)
        assert r.status_code == 401, (key, r.text)
        assert r.json()["error"] == "unauthorized"
    assert _call(secured, method, path, "gsk_wrong", header="x-api-key").status_code == 401
    for role, key in keys.items():
        r = _call(secured, method, path, key, header="bearer" if role != "sales" else "x-api-key")
        if role in allowed:
            assert r.status_code not in (401, 403), (role, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code, r.text)
            assert r.json()["error"] == "forbidden" and role in r.json()["message"]


def test_a_router_without_a_role_decision_is_admin_only(store, clock, settings, keys, monkeypatch):
    stray = types.ModuleType("graphsvc.api.routes.stray")
    stray.router = APIRouter()
    stray.router.add_api_route("/v1/stray", lambda: {"ok": True}, methods=["GET"])
    monkeypatch.setattr(app_module, "ROUTERS", (*ROUTERS, stray))
    with TestClient(create_app(settings, store=store, clock=clock)) as c:
        for role in ("ingest", "sales", "analyst"):
            assert c.get("/v1/stray", headers={"X-API-Key": keys[role]}).status_code == 403
        assert c.get("/v1/stray", headers={"X-API-Key": keys["admin"]}).status_code == 200
    assert not hasattr(stray, "ACCESS")  # and test_every_router_has_a_role_decision would fail


def test_health_and_docs_stay_open(secured):
    for path in ("/health", "/docs", "/openapi.json"):
        assert secured.get(path).status_code == 200, path
    schemes = secured.get("/openapi.json").json()["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


# -- open mode (no keys file) ------------------------------------------------------------------------

def test_without_a_keys_file_the_api_is_open_to_local_clients_only(store, clock, settings):
    app = create_app(settings, store=store, clock=clock)
    with TestClient(app) as local:
        assert local.get("/v1/queries").status_code == 200
    with TestClient(app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 5555)) as loopback:
        assert loopback.get("/v1/queries").status_code == 200
    with TestClient(app, base_url="http://[::1]:8000", client=("::1", 5555)) as loopback6:
        assert loopback6.get("/v1/queries").status_code == 200
    with TestClient(app, base_url="http://127.0.0.1:8000", client=("203.0.113.9", 5555)) as remote:
        r = remote.get("/v1/queries")
        assert r.status_code == 401 and "loopback" in r.json()["message"]
        assert remote.get("/health").status_code == 200


def test_open_mode_is_announced_loudly(settings, caplog):
    with caplog.at_level("WARNING", logger="graphsvc.auth"):
        create_app(settings)
    assert any("NO API KEYS CONFIGURED" in r.getMessage() for r in caplog.records)


# -- keys ------------------------------------------------------------------------------------------

def test_keys_are_stored_hashed_and_private(settings, keys):
    path = KeyStore.for_settings(settings).path
    text = path.read_text()
    assert all(secret not in text for secret in keys.values())
    assert path.stat().st_mode & 0o777 == 0o600
    stored = json.loads(text)["keys"]
    assert {k["hash"][:7] for k in stored} == {"sha256:"} and {tuple(k["roles"]) for k in stored} == {(r,) for r in ROLES}


def test_new_and_revoked_keys_take_effect_without_a_restart(secured, settings, keys):
    store = KeyStore.for_settings(settings)
    key, secret = store.create(["analyst", "sales"], "late")
    assert secured.get("/v1/queries", headers={"X-API-Key": secret}).status_code == 200
    assert secured.get("/v1/accounts/x", headers={"X-API-Key": secret}).status_code == 404
    assert store.revoke(key.id)
    assert secured.get("/v1/queries", headers={"X-API-Key": secret}).status_code == 401


def test_revoking_every_key_locks_the_api_rather_than_opening_it(secured, settings, keys):
    store = KeyStore.for_settings(settings)
    for k in store.keys():
        store.revoke(k.id)
    assert secured.get("/v1/queries").status_code == 401
    assert secured.get("/v1/queries", headers={"X-API-Key": keys["admin"]}).status_code == 401


def test_an_unreadable_keys_file_fails_closed(secured, settings, keys):
    KeyStore.for_settings(settings).path.write_text("{not json")
    r = secured.get("/v1/queries", headers={"X-API-Key": keys["admin"]})
    assert r.status_code == 500 and r.json()["error"] == "auth_misconfigured"
    assert secured.get("/health").status_code == 200


def test_keys_over_http(secured, keys):
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    r = secured.post("/v1/keys", json={"roles": ["analyst"], "label": "notebook"}, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["key"].startswith("gsk_") and created["roles"] == ["analyst"]
    listed = secured.get("/v1/keys", headers=admin).json()
    assert created["id"] in {k["id"] for k in listed} and all("key" not in k and "hash" not in k for k in listed)
    assert secured.get("/v1/queries", headers={"X-API-Key": created["key"]}).status_code == 200
    assert secured.post("/v1/keys", json={"roles": ["root"]}, headers=admin).status_code == 422
    assert secured.delete(f"/v1/keys/{created['id']}", headers=admin).status_code == 204
    assert secured.get("/v1/queries", headers={"X-API-Key": created["key"]}).status_code == 401
    assert secured.delete(f"/v1/keys/{created['id']}", headers=admin).status_code == 404


# -- the command line ------------------------------------------------------------------------------

def test_keys_create_prints_the_key_alone_on_the_last_line(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli.main, ["keys", "create", "--role", "analyst", "--role", "sales", "--label", "bi",
                                 "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    secret = r.output.strip().splitlines()[-1]
    assert re.fullmatch(r"gsk_[A-Za-z0-9_-]{40,}", secret)
    assert r.stdout.strip() == secret  # the rest went to stderr: KEY=$(graphsvc keys create ...) works
    store = KeyStore(tmp_path / "api_keys.json")
    key = store.authenticate(secret)
    assert key is not None and key.roles == ("analyst", "sales") and key.label == "bi"
    listed = runner.invoke(cli.main, ["keys", "list", "--data-dir", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    assert key.id in listed.stdout and secret not in listed.output
    assert runner.invoke(cli.main, ["keys", "revoke", key.id, "--data-dir", str(tmp_path)]).exit_code == 0
    assert store.authenticate(secret) is None
    assert runner.invoke(cli.main, ["keys", "revoke", key.id, "--data-dir", str(tmp_path)]).exit_code == 1
    assert runner.invoke(cli.main, ["keys", "create", "--role", "root", "--data-dir", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli.main, ["keys", "create", "--data-dir", str(tmp_path)]).exit_code == 2


@pytest.fixture
def no_server(monkeypatch, cli_store):
    """`serve` without an engine or a socket: records what uvicorn would have been asked to do."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    return calls


def test_serve_refuses_a_non_loopback_address_without_keys(tmp_path, no_server):
    r = CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert r.exit_code == 1 and "without API keys" in r.stderr and "graphsvc keys create" in r.stderr
    assert no_server == []


def test_serve_binds_loopback_without_keys_and_any_address_with_them(tmp_path, no_server):
    runner = CliRunner()
    assert runner.invoke(cli.main, ["serve", "--data-dir", str(tmp_path)]).exit_code == 0
    assert no_server[-1]["host"] == "127.0.0.1"
    KeyStore(tmp_path / "api_keys.json").create(["admin"])
    r = runner.invoke(cli.main, ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert no_server[-1]["host"] == "0.0.0.0"
