"""Issue 15 in the seeds: every generated world (the demo's too) holds a hierarchy, an account with two
buying groups and duplicate people and companies; loaded through the API (both engines) they show
what they are for: the group that qualifies, the hierarchy, the duplicate candidates, the roll-up."""

from __future__ import annotations

from conftest import NOW
from test_bant_api import _activate

from seeds import generate
from seeds.demo import demo_dataset
from seeds.enterprise import ACCOUNTS, ENTERPRISE_ACCOUNTS, PACK, RF, enterprise_rows


def test_the_generated_world_contains_them():
    for ds in (demo_dataset(), generate(12, seed=3)):
        accounts = {a["id"]: a for a in ds.accounts}
        assert set(ENTERPRISE_ACCOUNTS.values()) <= set(accounts)
        assert accounts["acc-halvorsen-uk"]["parent_id"] == accounts["acc-halvorsen-de"]["parent_id"] == "acc-halvorsen"
        contacts = [c for c in ds.contacts if c["account_id"] == "acc-kestrel"]
        groups = {r["buying_group"] for c in contacts for r in c["roles"]}
        assert groups == {RF, PACK}
        danas = [c for c in contacts if (c["first_name"], c["last_name"]) == ("Dana", "Whitfield")]
        assert len(danas) == 2 and len({c["email"] for c in danas}) == 2
        assert accounts["acc-orrin"]["name"].split()[:2] == accounts["acc-orrin-us"]["name"].split()[:2]
    # the parent comes before its subsidiaries, as the loader needs
    order = [a["id"] for a in demo_dataset().accounts]
    assert order.index("acc-halvorsen") < order.index("acc-halvorsen-uk")


def _load(client):
    rows = [enterprise_rows(e, int(NOW)) for e in ACCOUNTS]
    for kind, batch in (("accounts", [r[0] for r in rows]), ("contacts", [c for r in rows for c in r[1]]),
                        ("activities", [a for r in rows for a in r[2]])):
        r = client.post(f"/v1/{kind}", json={kind: batch})
        assert r.status_code == 200, r.text


def test_loaded_they_show_groups_hierarchy_and_duplicates(client):
    _load(client)
    kestrel = client.get("/v1/accounts/acc-kestrel/readiness").json()
    assert kestrel["stage"] == "sql" and kestrel["qualified_group"] == RF, kestrel["reason"]
    pack = next(g for g in kestrel["groups"] if g["name"] == PACK)
    assert not pack["sql"]["passed"]
    tree = client.get("/v1/accounts/acc-halvorsen/hierarchy").json()
    assert [s["id"] for s in tree["subsidiaries"]] == ["acc-halvorsen-de", "acc-halvorsen-uk"]
    people = client.get("/v1/duplicates/contacts").json()["groups"]
    assert any(g["ids"] == ["con-kestrel-04", "con-kestrel-06"] for g in people)
    companies = client.get("/v1/duplicates/accounts").json()["groups"]
    assert any(g["ids"] == ["acc-orrin", "acc-orrin-us"] for g in companies)
    uk = client.get("/v1/accounts/acc-halvorsen-uk/readiness").json()
    assert uk["stage"] == "mqa" and uk["buying_center"]["missing"] == ["decision_maker"]


def test_with_the_hierarchy_rules_the_group_ceo_covers_and_the_subsidiaries_roll_up(client):
    _load(client)
    before = client.get("/v1/accounts/acc-halvorsen/readiness").json()["scores"]["engagement"]
    _activate(client, '\n[hierarchy]\nparent_roles = ["decision_maker", "economic_buyer"]\n'
                      'subsidiary_engagement = "roll_up"\n')
    uk = client.get("/v1/accounts/acc-halvorsen-uk/readiness").json()
    assert uk["stage"] == "sql" and [h["contact_id"] for h in uk["hierarchy"]] == ["con-halvorsen-01"]
    group = client.get("/v1/accounts/acc-halvorsen/readiness").json()
    assert group["scores"]["engagement"] > before
    assert {h["account_id"] for h in group["hierarchy"]} == {"acc-halvorsen-uk", "acc-halvorsen-de"}
