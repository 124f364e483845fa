"""What the web app needs from the API, added to the API first (issue 14): the board's filters
(industry, owner, missing role, search over name and domain) and the SLA state of each SQL/MQA, the
account's reporting lines for the buying-center map, `GET /v1/me` (the roles of the caller's key),
and the web app's own files served from the package. On both engines."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_qualification_api import engineer_engagement, make_sql, post, setup_account

from graphsvc.api.app import create_app
from graphsvc.auth import KeyStore

HOUR = 3600.0


def _ids(client, **params) -> list[str]:
    r = client.get("/v1/accounts", params={"sort": "name", **params})
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]]


def _accounts(client) -> None:
    r = client.post("/v1/accounts", json={"accounts": [
        {"id": "a-1", "name": "Brandt Messtechnik GmbH", "domain": "brandt-mess.example", "industry": "semiconductors",
         "segment": "smb", "owner": "lena"},
        {"id": "a-2", "name": "Velium Robotics Inc.", "domain": "velium.example", "industry": "software",
         "segment": "smb", "owner": "sam"},
        {"id": "a-3", "name": "Ohm Works", "domain": "ohm-brandt.example", "industry": "semiconductors",
         "segment": "enterprise", "owner": "sam"}]})
    assert r.status_code == 200, r.text


def test_board_filters_by_industry_owner_and_search_over_name_and_domain(client):
    _accounts(client)
    assert _ids(client, industry="semiconductors") == ["a-1", "a-3"]
    assert _ids(client, owner="sam") == ["a-3", "a-2"]  # sorted by name: Ohm Works, Velium Robotics
    assert _ids(client, owner="sam", industry="semiconductors") == ["a-3"]
    assert _ids(client, q="BRANDT") == ["a-1", "a-3"]  # a-1 by name, a-3 by domain, any case
    assert _ids(client, q="velium.ex") == ["a-2"]
    assert _ids(client, q="nowhere") == []
    # an empty filter field (what a form sends) means "any"
    assert _ids(client, q="", industry="", owner="", stage="", segment="", missing_role="") == ["a-1", "a-3", "a-2"]
    item = client.get("/v1/accounts", params={"q": "velium"}).json()["items"][0]
    assert item["domain"] == "velium.example" and item["sla"] is None  # not an SQL or MQA: no SLA
    assert client.get("/v1/accounts", params={"q": "x" * 201}).status_code == 422


def test_board_filters_by_missing_role_and_shows_the_sla_of_an_sql(client, clock):
    setup_account(client)
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])  # MQA, decision maker missing
    _accounts(client)
    assert _ids(client, missing_role="decision_maker") == ["acme"]
    assert _ids(client, missing_role="economic_buyer") == []
    mqa = client.get("/v1/accounts", params={"q": "acme"}).json()["items"][0]
    assert mqa["stage"] == "mqa"
    assert (mqa["sla"]["hours"], mqa["sla"]["due_at"], mqa["sla"]["state"]) == (72.0, "2026-11-04T12:00:00Z", "on_time")
    clock.advance(72 * HOUR + 1)
    assert client.get("/v1/accounts", params={"q": "acme"}).json()["items"][0]["sla"]["state"] == "breached"


def test_board_sla_of_an_sql_uses_the_rulesets_sql_hours(client, clock):
    make_sql(client)
    item = client.get("/v1/accounts", params={"stage": "sql"}).json()["items"][0]
    assert item["sla"]["hours"] == 24.0 and item["sla"]["state"] != "breached"
    clock.advance(24 * HOUR + 1)
    assert client.get("/v1/accounts", params={"stage": "sql"}).json()["items"][0]["sla"]["state"] == "breached"


def test_buying_center_lists_the_reporting_lines_for_the_map(client):
    setup_account(client)
    bc = client.get("/v1/accounts/acme/buying-center").json()
    assert sorted((e["from"], e["to"]) for e in bc["reporting_lines"]) == [("e1", "vp"), ("e2", "vp"), ("e3", "e2")]


def test_me_in_open_mode_allows_every_role(client):
    body = client.get("/v1/me").json()
    assert body == {"mode": "open", "key": None, "roles": ["ingest", "sales", "analyst", "admin"]}


def test_me_names_the_keys_roles_and_never_its_secret(store, clock, settings):
    keys = KeyStore.for_settings(settings)
    _, sales = keys.create(["sales"], "rep")
    _, both = keys.create(["analyst", "sales"], "manager")
    with TestClient(create_app(settings, store=store, clock=clock)) as c:
        assert c.get("/v1/me").status_code == 401
        assert c.get("/v1/me", headers={"X-API-Key": "gsk_nope"}).status_code == 401
        body = c.get("/v1/me", headers={"Authorization": f"Bearer {sales}"}).json()
        assert body["mode"] == "keys" and body["roles"] == ["sales"] and body["key"]["label"] == "rep"
        assert sales not in str(body) and "hash" not in body["key"]
        assert c.get("/v1/me", headers={"X-API-Key": both}).json()["roles"] == ["analyst", "sales"]


def test_the_web_app_is_served_from_the_package_without_a_key(store, clock, settings):
    KeyStore.for_settings(settings).create(["admin"], "admin")  # keys enforced: the page itself stays open
    with TestClient(create_app(settings, store=store, clock=clock)) as c:
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "/ui/app.js" in page.text and "/ui/vendor/cytoscape.min.js" in page.text
        script = c.get("/ui/app.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert c.get("/ui/vendor/chart.umd.min.js").status_code == 200
        for bad in ("/ui/../routes/web.py", "/ui/%2e%2e/%2e%2e/api/app.py", "/ui/nothing.js", "/ui/vendor",
                    "/ui/", "/ui/vendor/MANIFEST.json/x"):
            r = c.get(bad)
            assert r.status_code == 404, (bad, r.status_code)
        assert c.get("/v1/accounts").status_code == 401  # the data is not
