"""Issue 15 through the API on both engines: buying groups per initiative (created, listed, roles
assigned per group, each with its own required roles, intent and SQL gate; the account's SQL says
which group qualified, in readiness, the buying center and the history) and subsidiary engagement
rolled up to a parent's MQA, with where each contact sits."""

from __future__ import annotations

from conftest import NOW, iso
from test_bant_api import _activate
from test_qualification_api import act, engineer_engagement, post, setup_account

DAY = 86400.0
RF = "RF test system"
KIND_TOML = '\n[[sql.extra_roles]]\nkind = "rf_test"\nroles = ["technical_evaluator"]\n'


def _group(client, name=RF, kind="rf_test", account="acme"):
    return client.post(f"/v1/accounts/{account}/groups", json={"name": name, "kind": kind, "actor": "rep-1"})


def _roles(client, contact, confirm):
    r = client.put(f"/v1/contacts/{contact}/roles", json={"confirm": confirm, "actor": "rep-1"})
    assert r.status_code == 200, r.text


def _mqa_with_groups(client):
    """Acme is an MQA (three engaged engineers, one quote request by e1). Sales puts the VP in the RF
    test committee as decision maker and calls her a champion of the default group (so no title
    inference makes her the default group's decision maker)."""
    setup_account(client)
    assert _group(client).status_code == 201
    _roles(client, "vp", [{"role": "decision_maker", "buying_group": RF}, {"role": "champion"}])
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])
    post(client, [act("vp-web", "vp", "webinar_attended", 8), act("q1", "e1", "quote_request", 1)])


def test_groups_are_created_listed_and_kept_apart(client):
    setup_account(client)
    r = _group(client)
    assert r.status_code == 201, r.text
    assert (r.json()["name"], r.json()["kind"], r.json()["created"]) == (RF, "rf_test", True)
    again = _group(client, name="rf test  SYSTEM", kind=None).json()
    assert (again["name"], again["kind"], again["created"]) == (RF, "rf_test", False)  # same slug, kind kept
    body = client.get("/v1/accounts/acme/groups").json()
    assert [(g["name"], g["kind"], g["members"]) for g in body["groups"]] == [("default", None, []), (RF, "rf_test", [])]
    assert body["qualified_group"] is None
    rf = body["groups"][1]
    assert rf["sql_passed"] is False and rf["missing"] == ["decision_maker"]
    _roles(client, "e2", [{"role": "technical_evaluator", "buying_group": RF}])
    rf = client.get("/v1/accounts/acme/groups").json()["groups"][1]
    assert rf["members"] == [{"contact_id": "e2", "role": "technical_evaluator", "source": "sales", "confidence": 1.0}]
    contact = client.get("/v1/contacts/e2").json()
    assert [(x["role"], x["buying_group"]) for x in contact["roles"]] == [("technical_evaluator", "acme:rf_test_system")]


def test_group_errors(client):
    setup_account(client)
    assert _group(client, account="nope").status_code == 404
    assert client.get("/v1/accounts/nope/groups").status_code == 404
    assert client.post("/v1/accounts/acme/groups", json={"name": "", "actor": "x"}).status_code == 422
    assert client.post("/v1/accounts/acme/groups", json={"name": "x"}).status_code == 422
    assert client.post("/v1/accounts/acme/groups", json={"name": "x", "actor": "x", "colour": 1}).status_code == 422


def test_a_group_qualifies_on_its_own_and_everything_says_which(client, clock):
    _mqa_with_groups(client)
    body = client.get("/v1/accounts/acme/readiness").json()
    # the default group has no decision maker; the RF group has one but no intent from its members
    assert body["stage"] == "mqa" and body["qualified_group"] is None
    by = {g["name"]: g for g in body["groups"]}
    assert by["default"]["missing"] == ["decision_maker"] and by[RF]["missing"] == []
    intent = next(c for c in by[RF]["sql"]["checks"] if c["name"] == "intent")
    assert not intent["passed"] and f"from a member of buying group {RF}" in intent["detail"]

    clock.advance(60.0)
    post(client, [act("vp-q", "vp", "quote_request", 0)])
    body = client.get("/v1/accounts/acme/readiness").json()
    assert body["stage"] == "sql" and body["qualified_group"] == RF and body["group"] == RF
    assert body["buying_center"]["missing"] == [] and f"buying group {RF}:" in body["reason"]
    assert {g["name"]: g["sql"]["passed"] for g in body["groups"]} == {"default": False, RF: True}
    history = client.get("/v1/accounts/acme/history").json()
    assert (history[-1]["to"], history[-1]["group"]) == ("sql", RF)
    bc = client.get("/v1/accounts/acme/buying-center").json()
    assert bc["qualified_group"] == RF and [g["name"] for g in bc["groups"]] == ["default", RF]
    dm = next(r for r in bc["roles"] if r["role"] == "decision_maker")
    assert [c["id"] for c in dm["contacts"]] == ["vp"]
    groups = client.get("/v1/accounts/acme/groups").json()
    assert groups["qualified_group"] == RF and [g["sql_passed"] for g in groups["groups"]] == [False, True]
    event = next(e for e in client.get("/v1/events").json()["events"] if e["type"] == "stage_changed"
                 and e["data"]["to"] == "sql")
    assert event["data"]["qualified_group"] == RF


def test_required_roles_per_group_kind(client):
    _activate(client, KIND_TOML)
    _mqa_with_groups(client)
    post(client, [act("vp-q", "vp", "quote_request", 0)])
    body = client.get("/v1/accounts/acme/readiness").json()
    rf = next(g for g in body["groups"] if g["name"] == RF)
    assert body["stage"] == "mqa" and rf["required"] == ["decision_maker", "technical_evaluator"]
    assert rf["missing"] == ["technical_evaluator"]
    assert next(g for g in body["groups"] if g["name"] == "default")["required"] == ["decision_maker"]
    _roles(client, "e2", [{"role": "technical_evaluator", "buying_group": RF}])
    body = client.get("/v1/accounts/acme/readiness").json()
    assert body["stage"] == "sql" and body["qualified_group"] == RF


def test_bant_gates_the_group_it_was_recorded_for(client):
    toml = client.get("/v1/rules").json()["toml"].replace("[sql]\n", '[sql]\nbant = ["budget"]\n', 1)
    assert client.put("/v1/rules", content=toml, headers={"Content-Type": "application/toml"}).status_code == 200
    _mqa_with_groups(client)
    post(client, [act("vp-q", "vp", "quote_request", 0)])
    assert client.get("/v1/accounts/acme/readiness").json()["stage"] == "mqa"
    r = client.put(f"/v1/accounts/acme/groups/{RF}/bant", json={"budget": {"met": True}, "actor": "rep-1"})
    assert r.status_code == 200, r.text
    assert [(c["from"], c["to"]) for c in r.json()["stage_changes"]] == [("mqa", "sql")]
    assert client.get("/v1/accounts/acme/readiness").json()["qualified_group"] == RF


def test_an_account_without_groups_answers_as_before(client):
    setup_account(client)
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])
    post(client, [act("vp-web", "vp", "webinar_attended", 8), act("vp-price", "vp", "pricing_page_view", 2),
                  act("q1", "e1", "quote_request", 1)])
    body = client.get("/v1/accounts/acme/readiness").json()
    assert body["stage"] == "sql" and "groups" not in body and "qualified_group" not in body and "hierarchy" not in body
    assert "groups" not in client.get("/v1/accounts/acme/buying-center").json()
    assert client.get("/v1/accounts/acme/history").json()[-1]["group"] == "default"


# ----------------------------------------------------------------------------------- roll-up
def _hierarchy(client):
    """United Oil & Gas (no engaged people of its own) with a UK subsidiary and a plant below it,
    each with engaged engineers."""
    r = client.post("/v1/accounts", json={"accounts": [
        {"id": "uog", "name": "United Oil & Gas", "domain": "uog.example", "industry": "industrial automation",
         "employees": 400, "annual_revenue": 8e7, "country": "DE"},
        {"id": "uog-uk", "name": "United Oil & Gas UK", "domain": "uk.uog.example", "parent_id": "uog"},
        {"id": "uog-plant", "name": "Aberdeen plant", "domain": "plant.uog.example", "parent_id": "uog-uk"}]})
    assert r.status_code == 200, r.text
    people = [("u1", "uog-uk"), ("u2", "uog-uk"), ("p1", "uog-plant")]
    r = client.post("/v1/contacts", json={"contacts": [
        {"id": cid, "email": f"{cid}@{acc.removeprefix('uog-')}.uog.example", "account_id": acc,
         "title": "Process Engineer"} for cid, acc in people]})
    assert r.status_code == 200, r.text
    post(client, [r for cid, _ in people for r in engineer_engagement(cid)])


def test_without_roll_up_a_parent_keeps_only_its_own_engagement(client):
    _hierarchy(client)
    body = client.get("/v1/accounts/uog/readiness").json()
    assert body["scores"]["engagement"] == 0 and body["stage"] == "target" and "hierarchy" not in body


def test_roll_up_counts_the_subsidiaries_people_once_and_says_where_they_sit(client):
    _hierarchy(client)
    alone = client.get("/v1/accounts/uog-uk/readiness").json()["scores"]["engagement"]
    plant = client.get("/v1/accounts/uog-plant/readiness").json()["scores"]["engagement"]
    _activate(client, '\n[hierarchy]\nsubsidiary_engagement = "roll_up"\n')
    body = client.get("/v1/accounts/uog/readiness").json()
    assert body["stage"] == "mqa"
    assert abs(body["scores"]["engagement"] - (alone + plant)) < 0.02
    detail = next(c for c in body["mqa"]["checks"] if c["name"] == "engaged_contacts")["detail"]
    assert "u1 at subsidiary United Oil & Gas UK (uog-uk)" in detail and "p1 at subsidiary Aberdeen plant (uog-plant)" in detail
    assert sorted((h["contact_id"], h["account_id"], h["relation"]) for h in body["hierarchy"]) == [
        ("p1", "uog-plant", "subsidiary"), ("u1", "uog-uk", "subsidiary"), ("u2", "uog-uk", "subsidiary")]
    # the middle account counts its plant, not its parent; the plant only itself
    assert client.get("/v1/accounts/uog-uk/readiness").json()["scores"]["engagement"] > alone
    assert client.get("/v1/accounts/uog-plant/readiness").json()["scores"]["engagement"] == plant
    # one level only: the plant no longer counts for the group
    toml = client.get("/v1/rules").json()["toml"].replace('subsidiary_engagement = "roll_up"\n',
                                                          'subsidiary_engagement = "roll_up"\nmax_levels = 1\n')
    assert client.put("/v1/rules", content=toml, headers={"Content-Type": "application/toml"}).status_code == 200
    body = client.get("/v1/accounts/uog/readiness").json()
    assert {h["contact_id"] for h in body["hierarchy"]} == {"u1", "u2"}
    # a past as_of replays the subsidiaries' activities too
    past = client.get("/v1/accounts/uog/readiness", params={"as_of": iso(NOW - 30 * DAY)}).json()
    assert past["scores"]["engagement"] == 0


# ----------------------------------------------------------------------------------- board
def test_the_board_shows_a_parent_with_its_subsidiaries_stages_when_asked(client):
    _hierarchy(client)
    plain = client.get("/v1/accounts", params={"sort": "name"}).json()["items"]
    assert all("subsidiaries" not in r and "parent_id" not in r for r in plain)  # the shape callers know
    rows = {r["id"]: r for r in client.get("/v1/accounts", params={"group_by": "parent", "sort": "name"}).json()["items"]}
    assert set(rows) == {"uog", "uog-uk", "uog-plant"}
    top = rows["uog"]
    assert top["parent_id"] is None
    assert [(s["id"], s["level"], s["parent_id"], s["stage"]) for s in top["subsidiaries"]] == [
        ("uog-uk", 1, "uog", rows["uog-uk"]["stage"]), ("uog-plant", 2, "uog-uk", rows["uog-plant"]["stage"])]
    assert sum(top["subsidiary_stages"].values()) == 2
    assert rows["uog-uk"]["parent_id"] == "uog" and [s["id"] for s in rows["uog-uk"]["subsidiaries"]] == ["uog-plant"]
    assert rows["uog-plant"]["subsidiaries"] == [] and rows["uog-plant"]["subsidiary_stages"] == {}
    assert client.get("/v1/accounts", params={"group_by": "child"}).status_code == 422


def test_an_account_merge_keeps_the_groups_and_their_kinds(client):
    setup_account(client)
    assert client.post("/v1/accounts", json={"accounts": [
        {"id": "acme-2", "name": "Acme Motion GmbH", "domain": "acme2.example"}]}).status_code == 200
    assert _group(client, account="acme-2").status_code == 201
    r = client.post("/v1/contacts", json={"contacts": [
        {"id": "x1", "email": "x1@acme2.example", "account_id": "acme-2", "title": "RF Engineer",
         "roles": [{"role": "technical_evaluator", "source": "sales", "buying_group": RF}]}]})
    assert r.status_code == 200, r.text
    r = client.post("/v1/merges/accounts", json={"survivor": "acme", "merged": ["acme-2"], "actor": "rep-1"})
    assert r.status_code == 200, r.text
    groups = {g["name"]: g for g in client.get("/v1/accounts/acme/groups").json()["groups"]}
    assert groups[RF]["kind"] == "rf_test" and [m["contact_id"] for m in groups[RF]["members"]] == ["x1"]
