"""Issue 8, input hardening (items 8, 9, 10): bad input is a 4xx in the project's error format that
names the row and field, never a 500, never a silent change, and writes nothing (read back through
the API). Every test runs on FalkorDB and on Neo4j (the `client` fixture)."""

from __future__ import annotations

import csv
import json
from urllib.parse import quote

import pytest
from conftest import NOW, REPO, iso

DATA = REPO.parent / "shared" / "data"
AT = iso(NOW - 86400)


def assert_error(r, status: int, code: str, *, row=None, field=None, case=None) -> dict:
    """The project's error format, and (when given) a detail naming `row` and `field`."""
    assert r.status_code == status, (case, r.text)
    body = r.json()
    assert body["error"] == code and isinstance(body["message"], str) and "detail" not in body, (case, body)
    if field is not None:
        assert any(d.get("row") == row and d.get("field") == field for d in body["details"]), (case, body["details"])
    return body


def post_raw(client, path: str, text: str):
    return client.post(path, content=text.encode(), headers={"Content-Type": "application/json"})


def seed(client):
    assert client.post("/v1/accounts", json={"accounts": [{"id": "acme", "name": "Acme"}]}).status_code == 200
    r = client.post("/v1/contacts", json={"contacts": [{"id": "c1", "email": "c1@acme.example", "account_id": "acme"}]})
    assert r.status_code == 200, r.text


def activity(i: int, **over) -> dict:
    return {"id": f"act-{i}", "contact_id": "c1", "type": "page_view", "at": AT, **over}


def assert_no_activity_written(client, n: int = 2):
    """Sending the valid batch afterwards records every row as new: the refused one wrote none."""
    r = client.post("/v1/activities", json={"activities": [activity(i) for i in range(n)]})
    assert r.status_code == 200 and r.json()["new"] == n and r.json()["duplicate"] == 0, r.text


# -- item 8: NUL bytes, non-finite numbers ----------------------------------------------------------
@pytest.mark.parametrize("kind,row,field", [
    ("accounts", {"id": "nul\u0000id", "name": "x"}, "id"),
    ("accounts", {"id": "a-1", "name": "Acme\u0000"}, "name"),
    ("accounts", {"id": "a-1", "name": "Acme", "owner": "rep\u0000"}, "owner"),
    ("contacts", {"id": "c-1", "email": "x@acme.example", "title": "VP\u0000"}, "title"),
    ("contacts", {"id": "c-1", "email": "x\u0000@acme.example"}, "email"),
    ("leads", {"id": "l-1", "email": "l@acme.example", "company": "A\u0000", "created_at": AT}, "company"),
    ("activities", {"id": "nul\u0000id", "contact_id": "c1", "type": "page_view", "at": AT}, "id"),
    ("activities", {"id": "a-1", "contact_id": "c1", "type": "page_view", "at": AT, "channel": "w\u0000"}, "channel"),
])
def test_nul_byte_in_a_string_field_is_a_422_not_a_500(client, kind, row, field):
    seed(client)
    ok = {"accounts": {"id": "ok", "name": "fine"}, "contacts": {"id": "c-ok", "email": "ok@acme.example"},
          "leads": {"id": "l-ok", "email": "ok@acme.example", "created_at": AT}, "activities": activity(9)}[kind]
    r = client.post(f"/v1/{kind}", json={kind: [ok, row]})
    assert_error(r, 422, "invalid_input", row=1, field=field)
    assert client.get("/v1/accounts/ok").status_code == 404 and client.get("/v1/contacts/c-ok").status_code == 404
    if kind == "activities":
        assert_no_activity_written(client)


NUL_PARAMS = [
    ("GET", "/v1/accounts?stage=a%00b", "query.stage"),
    ("GET", "/v1/accounts?segment=%00", "query.segment"),
    ("GET", "/v1/accounts/acme%00x", "path.account_id"),
    ("GET", "/v1/accounts/acme/readiness?as_of=2026-10-01T00:00:00%00Z", "query.as_of"),
    ("GET", "/v1/contacts/c1%00", "path.contact_id"),
    ("GET", "/v1/queries/funnel_now%00", "path.name"),
    ("GET", "/v1/reports/funnel?by=segment%00", "query.by"),
    ("POST", "/v1/accounts/acme/transitions?x=%00", "query.x"),
    ("PUT", "/v1/rules?actor=adm%00in", "query.actor"),
]


def test_nul_byte_in_a_query_or_path_parameter_is_a_422_naming_it(client):
    seed(client)
    before = client.get("/v1/accounts/acme").json(), client.get("/v1/rules").json()["version"]
    for method, path, field in NUL_PARAMS:
        r = client.request(method, path, json={"action": "disqualify", "reason": "r", "actor": "sam"})
        assert_error(r, 422, "invalid_input", row=None, field=field, case=path)
    assert (client.get("/v1/accounts/acme").json(), client.get("/v1/rules").json()["version"]) == before
    assert client.get("/v1/accounts/acme/history").json() == []


def test_infinite_or_nan_revenue_is_a_422_not_a_500(client):
    for literal in ("Infinity", "-Infinity", "NaN", "1e400"):
        r = post_raw(client, "/v1/accounts", '{"accounts": [{"id": "a-1", "name": "ok"},'
                                              f' {{"id": "a-2", "name": "x", "annual_revenue": {literal}}}]}}')
        assert_error(r, 422, "invalid_input", row=1, field="annual_revenue", case=literal)
    assert client.get("/v1/accounts/a-1").status_code == 404


def test_min_score_that_is_not_finite_is_a_422(client):
    seed(client)
    for value in ("inf", "-inf", "nan", "Infinity", "1e400"):
        r = client.get("/v1/accounts", params={"min_score": value})
        assert_error(r, 422, "invalid_input", field="query.min_score", case=value)
    assert [i["id"] for i in client.get("/v1/accounts").json()["items"]] == ["acme"]


def test_a_forged_board_cursor_is_a_422(client):
    import base64

    for skip in ("1e400", "-5", "true", "10000000000000000000000", '"3"'):
        cursor = base64.urlsafe_b64encode(f'{{"skip": {skip}}}'.encode()).decode()
        assert_error(client.get("/v1/accounts", params={"cursor": cursor}), 422, "invalid_input", field="cursor")


# -- item 9: no silent changes --------------------------------------------------------------------
def test_an_integer_beyond_64_bits_is_refused_not_clamped(client):
    for employees in (10**30, 2**63, -(2**63) - 1):
        r = client.post("/v1/accounts", json={"accounts": [{"id": "a-1", "name": "x", "employees": employees}]})
        assert_error(r, 422, "invalid_input", row=0, field="employees", case=employees)
    assert client.get("/v1/accounts/a-1").status_code == 404


def test_the_largest_64_bit_integer_is_stored_exactly(client):
    r = client.post("/v1/accounts", json={"accounts": [{"id": "a-1", "name": "x", "employees": 2**63 - 1}]})
    assert r.status_code == 200, r.text
    assert client.get("/v1/accounts/a-1").json()["employees"] == 2**63 - 1


def test_a_bool_or_a_string_is_not_a_number(client):
    for field, value in [("annual_revenue", False), ("annual_revenue", True), ("annual_revenue", "95000000"),
                         ("annual_revenue", 2**53 + 1), ("employees", "12"), ("employees", True),
                         ("employees", 12.5), ("employees", 12.0)]:
        r = client.post("/v1/accounts", json={"accounts": [{"id": "a-1", "name": "x", field: value}]})
        assert_error(r, 422, "invalid_input", row=0, field=field, case=(field, value))
    r = client.post("/v1/contacts", json={"contacts": [{"id": "c-1", "email": "c@acme.example",
                                                        "roles": [{"role": "champion", "confidence": "1"}]}]})
    assert_error(r, 422, "invalid_input", row=0, field="roles.0.confidence")
    assert client.get("/v1/accounts/a-1").status_code == 404 and client.get("/v1/contacts/c-1").status_code == 404


def test_a_number_is_not_a_time_in_a_body(client):
    seed(client)
    for at in (1735689600, 1735689600.5, "1735689600", "0.5", True, "2026-10-01T00:00:00", "0001-01-01T00:00:00Z"):
        r = client.post("/v1/activities", json={"activities": [activity(0), activity(1, at=at)]})
        assert_error(r, 422, "invalid_input", row=1, field="at", case=at)
        r = client.post("/v1/leads", json={"leads": [{"id": "l-1", "email": "l@acme.example", "created_at": at}]})
        assert_error(r, 422, "invalid_input", row=0, field="created_at", case=at)
    assert_no_activity_written(client)


def test_a_number_is_not_a_time_in_a_query(client):
    seed(client)
    for path, param in [("/v1/accounts/acme/readiness", "as_of"), ("/v1/accounts/acme/buying-center", "as_of"),
                        ("/v1/reports/funnel", "from"), ("/v1/reports/sla", "to")]:
        for value in ("0.5", "0", "1735689600", "-1", "inf"):
            r = client.get(path, params={param: value})
            assert_error(r, 422, "invalid_input", field=f"query.{param}", case=(path, value))
        assert client.get(path, params={param: "2026-10-01T00:00:00Z"}).status_code == 200


# -- item 10: bodies that are not JSON, ids that cannot be read back -------------------------------
def test_a_body_that_is_not_json_or_nests_too_deep_is_a_400_in_the_error_format(client):
    seed(client)
    before = client.get("/v1/accounts/acme").json()
    for path in ("/v1/accounts", "/v1/activities", "/v1/cypher", "/v1/queries/funnel_now", "/v1/accounts/acme/transitions"):
        for text in ("{not json", '{"accounts": [', "[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000):
            body = assert_error(post_raw(client, path, text), 400, "invalid_body", case=(path, text[:12]))
            assert body["details"] and "nothing was written" in body["message"]
    assert client.get("/v1/accounts/acme").json() == before
    assert client.get("/v1/accounts/acme/history").json() == []


def test_unknown_paths_and_methods_answer_in_the_error_format(client):
    assert_error(client.get("/v1/nowhere"), 404, "not_found")
    assert_error(client.delete("/v1/accounts"), 405, "method_not_allowed")


def test_an_id_that_could_not_be_read_back_is_refused_at_ingest(client):
    seed(client)
    for kind, row, field in [
        ("accounts", {"id": "crm/0015/x", "name": "x"}, "id"),
        ("accounts", {"id": "a-1", "name": "x", "parent_id": "crm/1"}, "parent_id"),
        ("accounts", {"id": "..", "name": "x"}, "id"),
        ("accounts", {"id": "tab\there", "name": "x"}, "id"),
        ("contacts", {"id": "c/1", "email": "c@acme.example"}, "id"),
        ("contacts", {"id": "c-1", "email": "c@acme.example", "reports_to": "c1/x"}, "reports_to"),
        ("leads", {"id": "l/1", "email": "l@acme.example", "created_at": AT}, "id"),
        ("activities", {"id": "a/1", "contact_id": "c1", "type": "page_view", "at": AT}, "id"),
    ]:
        r = client.post(f"/v1/{kind}", json={kind: [row]})
        assert_error(r, 422, "invalid_input", row=0, field=field, case=row)
    assert_error(client.get("/v1/accounts/crm%2F0015%2Fx"), 404, "not_found")
    assert [i["id"] for i in client.get("/v1/accounts").json()["items"]] == ["acme"]
    assert client.get("/v1/contacts/c-1").status_code == 404 and client.get("/v1/contacts/lead:l%2F1").status_code == 404
    assert_no_activity_written(client)


def _real_ids() -> list[str]:
    """Ids as CRMs export them: from ../shared/data when it is there, plus their shapes by hand."""
    ids = ["0016g000003PipH", "0016g000003PipHAAS", "@0016g000003PipHAAS", "9000000137", "51000",
           "7927b2df-8bba-4d29-b9a2-b6e0beafe620", "dac32acd4db4c29c230538b72f8dd87d", "rose@edge.com",
           "Acme Corporation", "Gekko & Co", "United Oil & Gas, UK", "Société Générale", "100%", "a?b#c", "x.y", "ü"]
    files = [("salesforce/einstein-demo-accounts-dataloader.csv", "ID"), ("salesforce/devorg-sample-cumulusci/Contact.csv",
             "Email"), ("hubspot/hubspot-shaped-companies-export.csv", "Record ID"),
             ("crm-sales-opportunities/accounts.csv", "account"), ("olist/olist_marketing_qualified_leads_dataset.csv",
             "mql_id"), ("xeducation/Leads.csv", "Prospect ID")]
    for name, column in files:
        path = DATA / name
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as f:
                ids += [r[column] for _, r in zip(range(40), csv.DictReader(f)) if r.get(column)]
    return list(dict.fromkeys(ids))


def test_real_crm_ids_are_accepted_and_read_back_by_their_url(client):
    ids = _real_ids()
    r = client.post("/v1/accounts", json={"accounts": [{"id": i, "name": f"n{n}"} for n, i in enumerate(ids)]})
    assert r.status_code == 200, r.text
    for i in ids:
        got = client.get(f"/v1/accounts/{quote(i, safe='')}")
        assert got.status_code == 200 and got.json()["id"] == i, (i, got.text)
    emails = [i for i in ids if "@" in i and not i.startswith("@")]
    r = client.post("/v1/contacts", json={"contacts": [{"id": e, "email": f"p{n}@acme.example", "account_id": ids[0]}
                                                       for n, e in enumerate(emails)]})
    assert r.status_code == 200, r.text
    assert all(client.get(f"/v1/contacts/{quote(e, safe='')}").json()["id"] == e for e in emails)


def test_an_asset_id_may_be_a_url(client):
    seed(client)
    r = client.post("/v1/activities", json={"activities": [activity(0, asset="https://acme.example/wp.pdf")]})
    assert r.status_code == 200 and r.json()["new"] == 1, r.text


def test_a_lone_surrogate_is_a_422_not_a_500(client):
    r = post_raw(client, "/v1/accounts", '{"accounts": [{"id": "a-1", "name": "\\ud800"}]}')
    assert_error(r, 422, "invalid_input", row=0, field="name")
    r = post_raw(client, "/v1/cypher", '{"query": "RETURN $p AS p", "params": {"p": "\\udfff"}}')
    assert_error(r, 422, "invalid_input", field="params.p")
    assert client.get("/v1/accounts/a-1").status_code == 404


def test_a_json_string_is_still_accepted_where_text_is_expected(client):
    """The stricter types did not cost a valid request: same rows as before, now also exact."""
    r = client.post("/v1/accounts", json={"accounts": [{"id": "a-1", "name": " Acme ", "employees": 5,
                                                        "annual_revenue": 5, "country": "DE"}]})
    assert r.status_code == 200, r.text
    got = client.get("/v1/accounts/a-1").json()
    assert (got["name"], got["employees"], got["annual_revenue"]) == ("Acme", 5, 5.0)
    assert json.loads(json.dumps(got)) == got
