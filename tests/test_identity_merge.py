"""Issue 15: merging duplicate contacts and accounts on both engines: everything moves to the survivor,
engagement stays exact, merged ids and emails keep resolving, the merge is recorded, retries are safe,
bad requests are 4xx naming the field and change nothing."""

from __future__ import annotations

from conftest import NOW, iso
from test_engagement_aggregates import assert_same

from graphsvc.qualification.service import QualificationService
from graphsvc.rules.loading import default_ruleset

DAY = 86400.0


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()


def act(i, contact, kind="content_download", days=1.0, **extra):
    return {"id": f"x{i}", "contact_id": contact, "type": kind, "at": iso(NOW - days * DAY), **extra}


def seed(client, store):
    QualificationService(store, default_ruleset()).ensure_engagement()  # keep aggregates from the start
    ok(client.post("/v1/accounts", json={"accounts": [
        {"id": "acc-edge", "name": "Edge Communications", "domain": "edgecomm.com", "employees": 1000,
         "industry": "telecommunications", "country": "US"},
        {"id": "acc-edge-2", "name": "EDGE Communications Inc.", "domain": "edge.com"},
        {"id": "acc-parent", "name": "Edge Holding"}]}))
    ok(client.post("/v1/contacts", json={"contacts": [
        {"id": "sf-boss", "email": "ceo@edgecomm.com", "account_id": "acc-edge", "title": "CEO"},
        {"id": "sf-rose", "email": "rose@edgecomm.com", "first_name": "Rose", "last_name": "Gonzalez",
         "account_id": "acc-edge"},
        {"id": "hs-rose", "email": "rose.gonzalez@edgecomm.com", "first_name": "Rosé", "last_name": "GONZALEZ",
         "title": "SVP, Procurement", "seniority": "vp", "department": "procurement", "account_id": "acc-edge",
         "reports_to": "sf-boss", "roles": [{"role": "decision_maker", "source": "import", "confidence": 0.8}]},
        {"id": "hs-rep", "email": "buyer@edgecomm.com", "account_id": "acc-edge", "reports_to": "hs-rose"}]}))
    ok(client.post("/v1/leads", json={"leads": [
        {"id": "lead-1", "email": "rose.gonzalez@edgecomm.com", "created_at": iso(NOW - 9 * DAY)}]}))
    ok(client.post("/v1/activities", json={"activities": [
        act(1, "sf-rose", days=3), act(2, "hs-rose", "quote_request", days=2), act(3, "hs-rose", days=40),
        act(4, "sf-rose", "webinar_attended", days=10)]}))


def test_contact_merge_moves_everything_and_keeps_resolving(client, store):
    seed(client, store)
    groups = ok(client.get("/v1/duplicates/contacts"))["groups"]
    assert {"reason": "same_name_and_domain", "key": "rose gonzalez @edgecomm.com", "ids": ["hs-rose", "sf-rose"]} in groups

    out = ok(client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": ["hs-rose"], "actor": "ops@x",
                                                       "reason": "HubSpot duplicate"}))
    assert out["merged"] == ["hs-rose"] and out["already_merged"] == [] and out["merge_id"]
    assert client.get("/v1/contacts/hs-rose").status_code == 404
    rose = ok(client.get("/v1/contacts/sf-rose"))
    assert rose["email"] == "rose@edgecomm.com" and rose["title"] == "SVP, Procurement"  # own fields kept, gaps filled
    assert rose["first_name"] == "Rose" and rose["reports_to"] == "sf-boss"
    assert [(r["role"], r["source"]) for r in rose["roles"]] == [("decision_maker", "import")]
    assert ok(client.get("/v1/contacts/hs-rep"))["reports_to"] == "sf-rose"
    lead = store.read("read/contacts_by_emails", emails=["rose@edgecomm.com"])
    assert lead == [{"id": "sf-rose", "email": "rose@edgecomm.com", "account_id": "acc-edge"}]
    # engagement on the account: the aggregates equal a replay from every activity
    assert_same(store, default_ruleset(), "acc-edge", NOW, expect_exact=True, made_here=False)
    snap = QualificationService(store, default_ruleset()).snapshot("acc-edge", NOW, NOW)
    stats = {s.type: s.count for c in snap.contacts if c.id == "sf-rose" for s in c.stats}
    assert stats == {"content_download": 2, "quote_request": 1, "webinar_attended": 1}
    # the merge is recorded with its actor
    merges = ok(client.get("/v1/contacts/sf-rose/merges"))
    assert [(m["merged"], m["actor"], m["reason"]) for m in merges] == [(["hs-rose"], "ops@x", "HubSpot duplicate")]
    assert merges[0]["at"].endswith("Z")
    # ingest by the old id or the old email lands on the survivor
    ok(client.post("/v1/activities", json={"activities": [
        act(5, "hs-rose", "demo_request"), {"id": "x6", "email": "Rose.Gonzalez@edgecomm.com", "type": "page_view",
                                            "at": iso(NOW - DAY)}]}))
    ok(client.post("/v1/contacts", json={"contacts": [
        {"id": "hs-rose", "email": "rose.gonzalez@edgecomm.com", "title": "Chief Procurement Officer"}]}))
    rose = ok(client.get("/v1/contacts/sf-rose"))
    assert rose["title"] == "Chief Procurement Officer" and rose["email"] == "rose@edgecomm.com"
    assert client.get("/v1/contacts/hs-rose").status_code == 404
    snap = QualificationService(store, default_ruleset()).snapshot("acc-edge", NOW, NOW)
    stats = {s.type: s.count for c in snap.contacts if c.id == "sf-rose" for s in c.stats}
    assert stats["demo_request"] == 1 and stats["page_view"] == 1
    assert_same(store, default_ruleset(), "acc-edge", NOW, expect_exact=True, made_here=False)
    # a new contact row with the merged email but another id is the email-uniqueness error it always was
    r = client.post("/v1/contacts", json={"contacts": [{"id": "new", "email": "rose.gonzalez@edgecomm.com"}]})
    assert r.status_code == 422 and "sf-rose" in r.json()["details"][0]["message"]
    # a retry changes nothing and says so
    again = ok(client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": ["hs-rose"], "actor": "ops@x"}))
    assert again["merged"] == [] and again["already_merged"] == ["hs-rose"] and again["merge_id"] is None
    assert len(ok(client.get("/v1/contacts/sf-rose/merges"))) == 1


def test_contact_merge_errors_change_nothing(client, store):
    seed(client, store)
    r = client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": ["sf-rose", "nope", "hs-rep", "hs-rep"],
                                                "actor": "ops"})
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["details"]] == ["merged[0]", "merged[3]"]
    r = client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": ["nope", "hs-rep"], "actor": "ops"})
    assert r.status_code == 422 and [d["field"] for d in r.json()["details"]] == ["merged[0]"]
    assert client.post("/v1/merges/contacts", json={"survivor": "ghost", "merged": ["hs-rep"], "actor": "ops"}).status_code == 404
    assert client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": [], "actor": "ops"}).status_code == 422
    assert ok(client.get("/v1/contacts/hs-rep"))["reports_to"] == "hs-rose"  # nothing moved
    ok(client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": ["hs-rose"], "actor": "ops"}))
    r = client.post("/v1/merges/contacts", json={"survivor": "sf-boss", "merged": ["hs-rose"], "actor": "ops"})
    assert r.status_code == 409 and "sf-rose" in r.json()["details"][0]["message"]
    r = client.post("/v1/merges/contacts", json={"survivor": "hs-rose", "merged": ["hs-rep"], "actor": "ops"})
    assert r.status_code == 404 and "sf-rose" in r.json()["message"]


def test_account_merge_moves_contacts_groups_subsidiaries_and_history(client, store):
    seed(client, store)
    ok(client.post("/v1/contacts", json={"contacts": [
        {"id": "e2-cfo", "email": "cfo@edge.com", "account_id": "acc-edge-2", "title": "CFO",
         "roles": [{"role": "economic_buyer", "source": "sales", "buying_group": "RF test"}]}]}))
    ok(client.post("/v1/activities", json={"activities": [act(10, "e2-cfo", "meeting_booked", days=5)]}))
    ok(client.post("/v1/accounts", json={"accounts": [{"id": "acc-sub", "name": "Edge UK", "parent_id": "acc-edge-2"},
                                                      {"id": "acc-edge-2", "name": "EDGE Communications Inc.",
                                                       "parent_id": "acc-parent"}]}))
    history_2 = ok(client.get("/v1/accounts/acc-edge-2/history"))
    assert history_2  # engaged by the meeting
    names = {g["key"]: g["ids"] for g in ok(client.get("/v1/duplicates/accounts"))["groups"]}
    assert names["edge communications"] == ["acc-edge", "acc-edge-2"]

    out = ok(client.post("/v1/merges/accounts", json={"survivor": "acc-edge", "merged": ["acc-edge-2"], "actor": "ops"}))
    assert out["merged"] == ["acc-edge-2"] and out["parent_id"] == "acc-parent" and out["parent_dropped"] is None
    assert client.get("/v1/accounts/acc-edge-2").status_code == 404
    edge = ok(client.get("/v1/accounts/acc-edge"))
    assert edge["parent_id"] == "acc-parent" and edge["subsidiaries"] == ["acc-sub"] and edge["contact_count"] == 5
    assert edge["domain"] == "edgecomm.com"  # the survivor's own
    cfo = ok(client.get("/v1/contacts/e2-cfo"))
    assert cfo["account_id"] == "acc-edge"
    assert [(r["role"], r["buying_group"]) for r in cfo["roles"]] == [("economic_buyer", "acc-edge:rf_test")]
    history = ok(client.get("/v1/accounts/acc-edge/history"))
    assert {h["id"] for h in history_2} <= {h["id"] for h in history}
    assert_same(store, default_ruleset(), "acc-edge", NOW, expect_exact=True, made_here=False)
    assert [m["merged"] for m in ok(client.get("/v1/accounts/acc-edge/merges"))] == [["acc-edge-2"]]
    # ingest naming the old account lands on the survivor
    ok(client.post("/v1/contacts", json={"contacts": [{"id": "late", "email": "late@x.example", "account_id": "acc-edge-2"}]}))
    assert ok(client.get("/v1/contacts/late"))["account_id"] == "acc-edge"
    ok(client.post("/v1/accounts", json={"accounts": [{"id": "acc-new", "name": "New", "parent_id": "acc-edge-2"},
                                                      {"id": "acc-edge-2", "name": "Edge Communications", "owner": "rep-9"}]}))
    assert ok(client.get("/v1/accounts/acc-new"))["parent_id"] == "acc-edge"
    assert ok(client.get("/v1/accounts/acc-edge"))["owner"] == "rep-9"
    assert client.get("/v1/accounts/acc-edge-2").status_code == 404


def test_account_merge_drops_a_parent_that_would_loop(client, store):
    ok(client.post("/v1/accounts", json={"accounts": [
        {"id": "top", "name": "Top"}, {"id": "mid", "name": "Mid", "parent_id": "top"},
        {"id": "dup", "name": "Top dup", "parent_id": "mid"}]}))
    out = ok(client.post("/v1/merges/accounts", json={"survivor": "top", "merged": ["dup"], "actor": "ops"}))
    assert out["parent_id"] is None and out["parent_dropped"] == "mid"
    assert ok(client.get("/v1/accounts/top"))["parent_id"] is None
    assert ok(client.get("/v1/accounts/mid"))["parent_id"] == "top"
