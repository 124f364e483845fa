"""Issue 8, input hardening (items 1, 8, 9, 10): a bad ruleset never takes the service down and a
failed activation leaves the previous one active, saying so; ad-hoc Cypher parameters the engines
cannot take as they are get a 422 naming them; LOAD CSV is refused as code, not as text. Every test
runs on FalkorDB and on Neo4j (the `client` fixture)."""

from __future__ import annotations

import pytest
from conftest import NOW, iso
from test_hardening_input import assert_error, post_raw

from graphsvc.errors import StoreError, StoreUnavailable
from graphsvc.qualification import service as qualification_service
from graphsvc.rules.loading import default_ruleset_text

TOML = default_ruleset_text()
# A valid ruleset under which a single page view no longer makes an account engaged, at once.
DEMANDING = TOML.replace("engaged_min_engagement = 0.5", "engaged_min_engagement = 5.0").replace(
    "hold_days = 14.0", "hold_days = 0.0")


def put_rules(client, text: str, content_type: str = "application/toml"):
    return client.put("/v1/rules", content=text.encode(), headers={"Content-Type": content_type})


def engaged_accounts(client, n: int = 3) -> dict[str, str]:
    """n accounts, each with a contact who viewed a page yesterday: `engaged` under the default."""
    accounts = [{"id": f"acc-{i}", "name": f"Account {i}"} for i in range(n)]
    assert client.post("/v1/accounts", json={"accounts": accounts}).status_code == 200
    contacts = [{"id": f"c-{i}", "email": f"c{i}@a{i}.example", "account_id": f"acc-{i}"} for i in range(n)]
    assert client.post("/v1/contacts", json={"contacts": contacts}).status_code == 200
    acts = [{"id": f"pv-{i}", "contact_id": f"c-{i}", "type": "page_view", "at": iso(NOW - 86400)} for i in range(n)]
    assert client.post("/v1/activities", json={"activities": acts}).status_code == 200
    now = stages(client)
    assert {stage for stage, _ in now.values()} == {"engaged"}, now
    return now


def stages(client) -> dict[str, str]:
    return {a["id"]: (a["stage"], a["engagement"]) for a in client.get("/v1/accounts").json()["items"]}


def service_still_works(client) -> None:
    act = [{"id": "later", "contact_id": "c-0", "type": "content_download", "at": iso(NOW - 60)}]
    assert client.post("/v1/activities", json={"activities": act}).status_code == 200
    assert client.get("/v1/accounts/acc-0/readiness").status_code == 200


# -- item 1: a bad ruleset is a 422 and changes nothing ------------------------------------------------
@pytest.mark.parametrize("old,new,path", [
    ("half_life_days = 30.0", "half_life_days = inf", "activities.half_life_days"),
    ("half_life_days = 30.0", "half_life_days = 1e-300", "activities.half_life_days"),
    ("half_life_days = 30.0", "half_life_days = 1e300", "activities.half_life_days"),
    ("page_view = 1.0", "page_view = 1e308", "activities.points.page_view"),
    ("page_view = 1.0", "page_view = nan", "activities.points.page_view"),
    ("page_view = 1.0", "page_view = -inf", "activities.points.page_view"),
    ("page_view = 1.0", 'page_view = "1"', "activities.points.page_view"),
    ("page_view = 1.0", "page_view = true", "activities.points.page_view"),
    ("per_contact_cap = 40.0", "per_contact_cap = 1e300", "mqa.per_contact_cap"),
    ("intent_window_days = 30.0", "intent_window_days = inf", "sql.intent_window_days"),
    ("sql_hours = 24.0", "sql_hours = nan", "sla.sql_hours"),
    ("min_employees = 1000", "min_employees = 1000.5", "sql.extra_roles[0].min_employees"),
    ("c_level = 40.0", "c_level = 1e7", "contact_fit.seniority.c_level"),
    ('required_roles = ["decision_maker"]', 'required_roles = ["decision\\u0000maker"]', "sql.required_roles[0]"),
])
def test_a_ruleset_with_non_finite_or_unbounded_numbers_is_a_422_and_changes_nothing(client, old, new, path):
    before = engaged_accounts(client)
    version = client.get("/v1/rules").json()["version"]
    assert old in TOML
    body = assert_error(put_rules(client, TOML.replace(old, new)), 422, "invalid_input")
    assert path in {d["path"] for d in body["details"]}, body["details"]
    assert client.get("/v1/rules").json()["version"] == version
    assert stages(client) == before
    service_still_works(client)


def test_a_toml_nested_5000_arrays_deep_is_a_422_in_the_error_format(client):
    version = client.get("/v1/rules").json()["version"]
    for text in ("x = " + "[" * 5000 + "]" * 5000, "x = " + "{a = " * 5000 + "1" + "}" * 5000):
        body = assert_error(put_rules(client, text), 422, "invalid_input")
        assert body["details"][0]["path"] == "" and "deep" in body["details"][0]["message"]
    assert_error(put_rules(client, "\udcff".encode("utf-8", "surrogateescape").decode("latin-1")), 422, "invalid_input")
    assert client.get("/v1/rules").json()["version"] == version


def test_a_ruleset_is_read_as_toml_whatever_the_content_type(client):
    changed = TOML.replace("hold_days = 14.0", "hold_days = 15.0")
    for content_type in ("application/json", "text/plain", ""):
        r = client.put("/v1/rules", content=changed.encode(), headers={"Content-Type": content_type} if content_type
                       else {})
        assert r.status_code == 200, (content_type, r.text)
    assert client.get("/v1/rules").json()["ruleset"]["stages"]["hold_days"] == 15.0


# -- item 1: activation is all or nothing ----------------------------------------------------------
def fail_once(monkeypatch, store, statement: str, error: Exception, *, after: int = 0) -> list[str]:
    """Make the store's `after`+1-th write of `statement` raise `error` (once); the log of writes."""
    original, seen = store.write, []

    def write(name, **params):
        seen.append(name)
        if name == statement and seen.count(name) == after + 1:
            raise error
        return original(name, **params)

    monkeypatch.setattr(store, "write", write)
    return seen


def test_a_failed_activation_statement_keeps_the_previous_ruleset_and_says_so(client, store, monkeypatch):
    before = engaged_accounts(client)
    version = client.get("/v1/rules").json()["version"]
    fail_once(monkeypatch, store, "qualification/activate_ruleset", StoreError("FalkorDB refused the statement: x"))
    body = assert_error(put_rules(client, DEMANDING), 500, "store_error")
    assert "NOT activated" in body["message"] and f"still {version}" in body["message"]
    assert body["details"]["activated"] is False and body["details"]["active_version"] == version
    assert body["details"]["requalified_with_attempted"] == 3 and body["details"]["restored"] is True
    assert client.get("/v1/rules").json()["version"] == version
    assert stages(client) == before  # requalified back with the active ruleset
    service_still_works(client)


def test_a_store_failure_midway_through_applying_a_ruleset_changes_nothing_and_says_so(client, store, monkeypatch):
    before = engaged_accounts(client)
    version = client.get("/v1/rules").json()["version"]
    monkeypatch.setattr(qualification_service, "PAGE", 1)  # one account per outcome write
    fail_once(monkeypatch, store, "qualification/record_outcomes", StoreUnavailable("engine down"), after=1)
    r = put_rules(client, DEMANDING)
    body = assert_error(r, 503, "store_unavailable")
    assert r.headers.get("Retry-After") and "NOT activated" in body["message"]
    assert body["details"] == {"activated": False, "active_version": version, "requalified_with_attempted": 1,
                               "attempted_version": body["details"]["attempted_version"], "restored": True}
    assert client.get("/v1/rules").json()["version"] == version
    assert stages(client) == before
    # The same ruleset, once the engine answers again, applies whole.
    monkeypatch.undo()
    r = put_rules(client, DEMANDING)
    assert r.status_code == 200 and r.json()["changed"] == 3, r.text
    assert {s for s, _ in stages(client).values()} == {"target"}


def test_an_activation_the_engine_committed_but_did_not_acknowledge_is_done(client, store, monkeypatch):
    engaged_accounts(client)
    original = store.write

    def write(name, **params):
        out = original(name, **params)
        if name == "qualification/activate_ruleset":
            raise StoreUnavailable("connection lost after the command was sent")
        return out

    monkeypatch.setattr(store, "write", write)
    r = put_rules(client, DEMANDING)
    assert r.status_code == 200, r.text
    assert client.get("/v1/rules").json()["version"] == r.json()["version"]


# -- items 8 and 9: ad-hoc Cypher parameters ----------------------------------------------------------
@pytest.mark.parametrize("params,field", [
    ({"a`b": 1}, "params"),
    ({"": 1}, "params"),
    ({"p": {"a`b": 1}}, "params.p.a`b"),
    ({"p": {"": 1}}, "params.p."),
    ({"p": [{"ok": {"`": 1}}]}, "params.p[0].ok.`"),
    ({"p": 2**70}, "params.p"),
    ({"p": -(2**63) - 1}, "params.p"),
    ({"p": [1, {"x": 2**64}]}, "params.p[1].x"),
    ({"p": "nul\u0000"}, "params.p"),
    ({"p": {"k\u0000": 1}}, "params.p.k\u0000"),
])
def test_cypher_params_the_engines_cannot_take_are_a_422_naming_them(client, params, field):
    r = client.post("/v1/cypher", json={"query": "RETURN $p AS p", "params": params})
    assert_error(r, 422, "invalid_input", field=field)


def test_non_finite_cypher_params_are_a_422(client):
    for literal in ("Infinity", "NaN", "1e400", "-Infinity"):
        r = post_raw(client, "/v1/cypher", f'{{"query": "RETURN $p AS p", "params": {{"p": [{literal}]}}}}')
        assert_error(r, 422, "invalid_input", field="params.p[0]", case=literal)


def test_cypher_params_nested_too_deep_are_a_400(client):
    deep: object = 1
    for _ in range(100):
        deep = {"k": deep}
    assert_error(client.post("/v1/cypher", json={"query": "RETURN 1 AS x", "params": {"p": deep}}), 400, "invalid_body")
    by: object = "segment"
    for _ in range(40):
        by = [by]
    assert_error(client.post("/v1/queries/funnel_now", json={"params": {"by": by}}), 400, "invalid_body")


def test_cypher_params_within_64_bits_round_trip_exactly(client):
    params = {"p": [2**63 - 1, -(2**63), {"nested": 2**62, "s": "ok", "f": 1e308}]}
    r = client.post("/v1/cypher", json={"query": "RETURN $p AS p", "params": params})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == [{"p": params["p"]}]


def test_library_query_params_the_engines_cannot_take_are_a_422(client):
    r = client.post("/v1/queries/stuck_mqas", json={"params": {"min_days": 2**70}})
    assert_error(r, 422, "invalid_input", field="params.min_days")
    r = client.post("/v1/queries/funnel_now", json={"params": {"by": "segment\u0000"}})
    assert_error(r, 422, "invalid_input", field="params.by")


# -- item 10: LOAD CSV is code, not text -----------------------------------------------------------
@pytest.mark.parametrize("query", [
    "RETURN 'how to LOAD CSV' AS x",
    'RETURN "load csv" AS x // LOAD CSV FROM "file:///etc/passwd"',
    "RETURN /* LOAD CSV */ 1 AS x",
    "MATCH (n) WHERE n.note = 'LOAD CSV FROM x' RETURN count(n) AS n",
])
def test_load_csv_inside_a_string_or_comment_is_allowed(client, query):
    r = client.post("/v1/cypher", json={"query": query})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("query", [
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "LOAD /* x */ CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "load\ncsv from 'file:///etc/passwd' as l return l",
    "LOAD // comment\nCSV FROM 'file:///etc/passwd' AS l RETURN l",
    "LOAD/**/CSV WITH HEADERS FROM 'file:///etc/passwd' AS l RETURN l",
    "RETURN 'x\\\\' AS a LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "RETURN '/*' AS a LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l, '*/' AS b",
])
def test_a_load_csv_clause_is_refused_however_it_is_spelt(client, query):
    assert_error(client.post("/v1/cypher", json={"query": query}), 400, "load_csv_refused")
