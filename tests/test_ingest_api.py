"""Ingest API on the real store: upserts, matching, idempotency, and bad batches that write nothing."""

from __future__ import annotations

from conftest import NOW, iso

ACCOUNTS = [
    {"id": "acc-acme", "name": "Acme Motion", "domain": "www.Acme-Motion.example", "industry": "industrial_automation",
     "employees": 420, "annual_revenue": 9.5e7, "country": "DE", "segment": "mid_market", "owner": "rep-1"},
    {"id": "acc-acme-eu", "name": "Acme Motion EU", "domain": "eu.acme-motion.example", "parent_id": "acc-acme"},
    {"id": "acc-wafer", "name": "Wafer Works", "domain": "waferworks.example", "employees": 2400},
]


def seed_accounts(client):
    r = client.post("/v1/accounts", json={"accounts": ACCOUNTS})
    assert r.status_code == 200, r.text
    return r.json()


def seed_contacts(client):
    contacts = [
        {"id": "c-vp", "email": "Vera.Ops@acme-motion.example", "account_id": "acc-acme", "title": "VP Operations",
         "seniority": "vp", "department": "operations", "roles": [{"role": "decision_maker", "source": "sales"}]},
        {"id": "c-eng", "email": "eli@acme-motion.example", "title": "Process Engineer", "reports_to": "c-vp"},
        {"id": "c-free", "email": "someone@gmail.com", "title": "Consultant"},
    ]
    r = client.post("/v1/contacts", json={"contacts": contacts})
    assert r.status_code == 200, r.text
    return r.json()


def test_accounts_upsert_get_and_idempotent(client):
    assert seed_accounts(client) == {"created": 3, "updated": 0}
    acme = client.get("/v1/accounts/acc-acme").json()
    assert acme["domain"] == "acme-motion.example"  # normalised: lower case, no www.
    assert acme["stage"] == "target" and acme["employees"] == 420
    assert acme["subsidiaries"] == ["acc-acme-eu"]
    assert acme["created_at"].endswith("Z")
    assert client.get("/v1/accounts/acc-acme-eu").json()["parent_id"] == "acc-acme"
    before = {a["id"]: client.get(f"/v1/accounts/{a['id']}").json() for a in ACCOUNTS}
    assert seed_accounts(client) == {"created": 0, "updated": 3}
    after = {a["id"]: client.get(f"/v1/accounts/{a['id']}").json() for a in ACCOUNTS}
    assert before == after  # a retried batch changes nothing


def test_unknown_ids_404(client):
    r = client.get("/v1/accounts/nope")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert client.get("/v1/contacts/nope").status_code == 404


def test_account_errors_name_every_row_and_write_nothing(client):
    bad = [
        {"id": "a1", "name": "ok"},
        {"id": "a2", "name": "self", "parent_id": "a2"},
        {"id": "a3", "name": "orphan", "parent_id": "missing"},
        {"id": "a1", "name": "dup"},
    ]
    r = client.post("/v1/accounts", json={"accounts": bad})
    assert r.status_code == 422
    details = r.json()["details"]
    assert {(d["row"], d["field"]) for d in details} == {(1, "parent_id"), (2, "parent_id"), (3, "id")}
    assert client.get("/v1/accounts/a1").status_code == 404


def test_shape_errors_are_422_with_row_and_field(client):
    r = client.post("/v1/accounts", json={"accounts": [{"id": "x", "name": "ok"}, {"name": "no id", "employees": -3}]})
    assert r.status_code == 422
    fields = {(d["row"], d["field"]) for d in r.json()["details"]}
    assert (1, "id") in fields and (1, "employees") in fields


def test_contacts_match_by_domain_org_chart_and_roles(client):
    seed_accounts(client)
    out = seed_contacts(client)
    assert out["created"] == 3 and out["unmatched"] == ["c-free"]
    eng = client.get("/v1/contacts/c-eng").json()
    assert eng["account_id"] == "acc-acme" and eng["reports_to"] == "c-vp"
    vp = client.get("/v1/contacts/c-vp").json()
    assert vp["email"] == "vera.ops@acme-motion.example"
    assert [(r["role"], r["source"], r["buying_group"]) for r in vp["roles"]] == [
        ("decision_maker", "sales", "acc-acme:default")
    ]
    assert client.get("/v1/contacts/c-free").json()["account_id"] is None
    assert client.get("/v1/accounts/acc-acme").json()["contact_count"] == 2
    # idempotent
    assert seed_contacts(client)["created"] == 0
    assert len(client.get("/v1/contacts/c-vp").json()["roles"]) == 1


def test_contact_errors(client):
    seed_accounts(client)
    seed_contacts(client)
    rows = [
        {"id": "n1", "email": "not-an-email"},
        {"id": "n2", "email": "x@acme-motion.example", "account_id": "acc-missing"},
        {"id": "n3", "email": "y@acme-motion.example", "reports_to": "ghost"},
        {"id": "n4", "email": "eli@acme-motion.example"},  # belongs to c-eng
        {"id": "n5", "email": "z@acme-motion.example", "roles": [{"role": "wizard"}]},
    ]
    r = client.post("/v1/contacts", json={"contacts": rows})
    assert r.status_code == 422
    fields = {(d["row"], d["field"]) for d in r.json()["details"]}
    assert (0, "email") in fields
    r = client.post("/v1/contacts", json={"contacts": rows[1:]})
    fields = {(d["row"], d["field"]) for d in r.json()["details"]}
    assert fields == {(0, "account_id"), (1, "reports_to"), (2, "email"), (3, "roles[0].role")}
    assert client.get("/v1/contacts/n2").status_code == 404


def test_leads_matching(client):
    seed_accounts(client)
    seed_contacts(client)
    leads = [
        {"id": "l1", "email": "eli@acme-motion.example", "created_at": iso(NOW - 3600)},  # existing contact
        {"id": "l2", "email": "new.person@eu.acme-motion.example", "created_at": iso(NOW - 3600), "title": "Buyer"},
        {"id": "l3", "email": "student@mit.edu", "created_at": iso(NOW - 3600)},
        {"id": "l4", "email": "fan@gmail.com", "created_at": iso(NOW - 3600)},
        {"id": "l5", "email": "who@unknown-corp.example", "created_at": iso(NOW - 3600)},
        {"id": "l6", "email": "New.Person@eu.acme-motion.example", "created_at": iso(NOW - 60)},  # same person again
    ]
    r = client.post("/v1/leads", json={"leads": leads})
    assert r.status_code == 200, r.text
    body = r.json()
    by_id = {x["id"]: x for x in body["leads"]}
    assert by_id["l1"]["contact_id"] == "c-eng" and by_id["l1"]["account_id"] == "acc-acme"
    # eu.acme-motion.example is an account of its own (the subsidiary): the longest domain wins
    assert by_id["l2"]["account_id"] == "acc-acme-eu" and by_id["l2"]["contact_created"]
    assert by_id["l6"]["contact_id"] == by_id["l2"]["contact_id"] and not by_id["l6"]["contact_created"]
    for lid in ("l3", "l4", "l5"):
        assert by_id[lid]["status"] == "unmatched" and by_id[lid]["contact_id"] is None
    assert "free-mail" in by_id["l4"]["reason"]
    assert body["matched"] == 3 and body["unmatched"] == 3
    # retry: no duplicate contacts, same answers
    again = client.post("/v1/leads", json={"leads": leads}).json()
    assert {x["id"]: x["contact_id"] for x in again["leads"]} == {x["id"]: x["contact_id"] for x in body["leads"]}
    assert not any(x["contact_created"] for x in again["leads"])


def test_subdomain_matches_parent_domain(client):
    client.post("/v1/accounts", json={"accounts": [{"id": "acme", "name": "Acme", "domain": "acme.com"}]})
    r = client.post("/v1/leads", json={"leads": [{"id": "l", "email": "a@eu.acme.com", "created_at": iso(NOW)}]})
    lead = r.json()["leads"][0]
    assert lead["account_id"] == "acme" and "parent domain acme.com" in lead["reason"]


def activity(i, contact="c-eng", type_="webinar_attended", at=None, **extra):
    row = {"id": f"act-{i}", "contact_id": contact, "type": type_, "at": iso(at if at is not None else NOW - 86400)}
    row.update(extra)
    return row


def test_activities_idempotent_by_id(client):
    seed_accounts(client)
    seed_contacts(client)
    batch = [activity(1, asset="wp-1", campaign="camp-1"), activity(2, type_="content_download"),
             {"id": "act-3", "email": "VERA.OPS@acme-motion.example", "type": "pricing_page_view", "at": iso(NOW - 60)}]
    r = client.post("/v1/activities", json={"activities": batch})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["new"] == 3 and body["duplicate"] == 0 and body["accounts_touched"] == ["acc-acme"]
    counts = client.app.state.graphsvc.store.counts()
    r = client.post("/v1/activities", json={"activities": batch + [activity(4)]})
    assert (r.json()["new"], r.json()["duplicate"]) == (1, 3)
    assert client.app.state.graphsvc.store.counts()["activities"] == counts["activities"] + 1


def test_activity_errors_write_nothing(client, clock):
    seed_accounts(client)
    seed_contacts(client)
    rows = [
        activity(1),
        activity(2, type_="telepathy"),
        activity(3, at=NOW + 86400),
        activity(4, contact="ghost"),
        {"id": "act-5", "email": "nobody@nowhere.example", "type": "page_view", "at": iso(NOW)},
        {"id": "act-6", "contact_id": "c-eng", "type": "page_view", "at": "2026-10-01T10:00:00"},  # no timezone
        {"id": "act-7", "type": "page_view", "at": iso(NOW)},
    ]
    r = client.post("/v1/activities", json={"activities": rows})
    assert r.status_code == 422
    fields = {(d["row"], d["field"]) for d in r.json()["details"]}
    assert (5, "at") in fields and (6, None) in fields or (5, "at") in fields
    r = client.post("/v1/activities", json={"activities": rows[:5]})
    assert r.status_code == 422
    fields = {(d["row"], d["field"]) for d in r.json()["details"]}
    assert fields == {(1, "type"), (2, "at"), (3, "contact_id"), (4, "email")}
    assert client.app.state.graphsvc.store.counts()["activities"] == 0


def test_oversized_batch_is_413(client, settings):
    settings.max_batch = 3
    r = client.post("/v1/accounts", json={"accounts": [{"id": str(i), "name": "x"} for i in range(4)]})
    assert r.status_code == 413 and r.json()["details"] == {"rows": 4, "limit": 3}
    assert client.post("/v1/accounts", json={"accounts": [{"id": "1", "name": "x"}]}).status_code == 200


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store"]["engine"] in ("falkordb", "neo4j")


def test_contact_moving_employer_replaces_the_link_and_requalifies_both(client):
    seed_accounts(client)
    seed_contacts(client)
    r = client.post("/v1/contacts", json={"contacts": [
        {"id": "c-eng", "email": "eli@waferworks.example", "account_id": "acc-wafer", "reports_to": None}]})
    assert r.status_code == 200, r.text
    assert r.json()["accounts_touched"] == ["acc-acme", "acc-wafer"]
    eng = client.get("/v1/contacts/c-eng").json()
    assert eng["account_id"] == "acc-wafer" and eng["reports_to"] is None
    assert client.get("/v1/accounts/acc-acme").json()["contact_count"] == 1
    # a new contact alone cannot change any qualification: nothing to requalify
    r = client.post("/v1/contacts", json={"contacts": [{"id": "c-new", "email": "new@acme-motion.example"}]})
    assert r.json()["accounts_touched"] == [] and r.json()["created"] == 1
