"""Issue 15: erasing a person (GDPR Art. 17) on both engines: personal data gone, the account's
engagement and history unchanged (activities anonymous), a later import of the email reported."""

from __future__ import annotations

import json

from conftest import NOW, iso
from test_engagement_aggregates import assert_same
from test_identity_merge import DAY, act, ok, seed

from graphsvc.qualification.service import QualificationService
from graphsvc.rules.loading import default_ruleset


def _engagement(store):
    snap = QualificationService(store, default_ruleset()).snapshot("acc-edge", NOW, NOW)
    return sorted((s.type, s.count, s.last_at, round(s.decay_weight, 12)) for c in snap.contacts for s in c.stats)


def test_erasure_removes_the_person_and_keeps_the_accounts_engagement(client, store):
    seed(client, store)
    ok(client.post("/v1/merges/contacts", json={"survivor": "sf-rose", "merged": ["hs-rose"], "actor": "ops"}))
    ok(client.post("/v1/accounts/acc-edge/transitions", json={"action": "disqualify", "reason": "test", "actor": "rep"}))
    before = _engagement(store)
    history = ok(client.get("/v1/accounts/acc-edge/history"))
    r = client.delete("/v1/contacts/sf-rose", params={"actor": "dpo@x"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "query.erase"
    out = ok(client.delete("/v1/contacts/sf-rose", params={"erase": "true", "actor": "dpo@x"}))
    assert out["erased"] == "sf-rose" and out["account_id"] == "acc-edge" and out["emails_hashed"] == 2
    assert client.get("/v1/contacts/sf-rose").status_code == 404
    assert client.get("/v1/contacts/sf-rose/merges").status_code == 404
    anon = ok(client.get(f"/v1/contacts/{out['anonymous_id']}"))
    assert anon["status"] == "erased" and anon["account_id"] == "acc-edge" and anon["roles"] == []
    assert anon["reports_to"] is None
    for field in ("email", "first_name", "last_name", "title", "seniority", "department"):
        assert anon.get(field) is None, field
    assert ok(client.get("/v1/contacts/hs-rep"))["reports_to"] is None
    # nothing personal is left anywhere in the graph: not the emails, not the names, not the ids
    dump = json.dumps(store.read("identity/contact_keys")) + json.dumps(
        client.post("/v1/cypher", json={"query": "MATCH (n) RETURN properties(n) AS p"}).json())
    for personal in ("rose@edgecomm.com", "rose.gonzalez@edgecomm.com", "Gonzalez", "GONZALEZ", "sf-rose", "hs-rose"):
        at = dump.find(personal)
        assert at < 0, dump[max(0, at - 300):at + 60]
    # the account's engagement and history are what they were
    assert _engagement(store) == before
    assert ok(client.get("/v1/accounts/acc-edge/history")) == history
    assert_same(store, default_ruleset(), "acc-edge", NOW, expect_exact=True, made_here=False)
    # ingest by the erased email: a new contact, reported
    res = ok(client.post("/v1/contacts", json={"contacts": [
        {"id": "back", "email": "Rose.Gonzalez@edgecomm.com", "account_id": "acc-edge"},
        {"id": "other", "email": "someone@edgecomm.com", "account_id": "acc-edge"}]}))
    assert res["previously_erased"] == ["back"] and res["created"] == 2
    back = ok(client.get("/v1/contacts/back"))
    assert back["roles"] == [] and back["reports_to"] is None and back.get("first_name") is None
    leads = ok(client.post("/v1/leads", json={"leads": [{"id": "lead-2", "email": "rose@edgecomm.com",
                                                          "created_at": iso(NOW - DAY)}]}))
    assert leads["previously_erased"] == ["lead-2"]
    # activities for the erased id are refused as for any unknown contact
    r = client.post("/v1/activities", json={"activities": [act(9, "sf-rose")]})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "contact_id"


def test_erasing_an_unknown_contact_is_404(client):
    r = client.delete("/v1/contacts/nobody", params={"erase": "true", "actor": "dpo"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_nothing_erased_nothing_reported(client, store):
    seed(client, store)
    res = ok(client.post("/v1/contacts", json={"contacts": [{"id": "n1", "email": "n1@edgecomm.com"}]}))
    assert res["previously_erased"] == []


def test_anonymised_rewrites_only_what_names_the_person():
    from graphsvc.identity.erasure import anonymised

    payload = json.dumps({"contact_id": "e", "detail": "2 contact(s) (e, e-2, x\"q)", "gate": "mqa", "e": 1,
                          "checks": [{"name": "role", "value": "x\"q"}]})
    out = json.loads(anonymised(payload, ["e", 'x"q'], "ANON"))
    # the ids, whole or as a token, and nothing else: "e-2" and the letter e inside words stay
    assert out == {"contact_id": "ANON", "detail": "2 contact(s) (ANON, e-2, ANON)", "gate": "mqa", "ANON": 1,
                   "checks": [{"name": "role", "value": "ANON"}]}
    assert anonymised(json.dumps({"detail": "nobody"}), ["e"], "ANON") is None
    assert anonymised("not json", ["e"], "ANON") is None
