"""What-if simulation on both engines: nothing is written, the answer is what a real activation then
does, moves name their deciding checks; dry_run, a past as_of, errors, the CLI."""

from __future__ import annotations

import hashlib
import json

from click.testing import CliRunner
from conftest import NOW, iso
from test_qualification_api import act, engineer_engagement, post, setup_account

from graphsvc.cli import main
from graphsvc.rules import default_ruleset_text, load_ruleset

DAY = 86400.0
DEFAULT = default_ruleset_text()
# The candidate widens the intent window from 30 to 60 days: acme's 40-day-old quote request counts.
CANDIDATE = DEFAULT.replace("intent_window_days = 30.0", "intent_window_days = 60.0")


def fingerprint(store) -> str:
    """A hash of every node and relationship with all their properties."""
    row = store.read("admin/fingerprint")[0]
    items = sorted(json.dumps(x, sort_keys=True) for x in row["nodes"] + row["rels"])
    return hashlib.sha256("\n".join(items).encode()).hexdigest() + f":{len(items)}"


def build(client) -> None:
    """acme: MQA with a decision maker engaged and a quote request 40 days old; beta: engaged; gamma: target."""
    setup_account(client)
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])
    post(client, [act("vp-web", "vp", "webinar_attended", 8), act("vp-price", "vp", "pricing_page_view", 2),
                  act("q-old", "e1", "quote_request", 40)])
    r = client.post("/v1/accounts", json={"accounts": [
        {"id": "beta", "name": "Beta", "domain": "beta.example", "segment": "enterprise", "employees": 5000},
        {"id": "gamma", "name": "Gamma", "domain": "gamma.example", "segment": "smb", "employees": 20}]})
    assert r.status_code == 200, r.text
    r = client.post("/v1/contacts", json={"contacts": [
        {"id": "b1", "email": "b1@beta.example", "title": "Engineer", "seniority": "individual",
         "department": "engineering"}]})
    assert r.status_code == 200, r.text
    post(client, [act("b1-pv", "b1", "page_view", 1)])


def simulate(client, toml: str, **params):
    return client.post("/v1/rules/simulate", content=toml, params=params,
                       headers={"Content-Type": "application/toml"})


def test_simulate_writes_nothing_and_matches_the_activation_that_follows(client, store):
    build(client)
    stored = {a: client.get(f"/v1/accounts/{a}").json()["stage"] for a in ("acme", "beta", "gamma")}
    assert stored == {"acme": "mqa", "beta": "engaged", "gamma": "target"}
    before = fingerprint(store)

    r = simulate(client, CANDIDATE)
    assert r.status_code == 200, r.text
    out = r.json()
    assert fingerprint(store) == before  # not one property of one node or relationship changed

    assert out["accounts"] == 3
    assert out["candidate_version"] == load_ruleset(CANDIDATE).version
    assert out["stages"] == {"target": {"now": 1, "candidate": 1, "change": 0},
                             "engaged": {"now": 1, "candidate": 1, "change": 0},
                             "mqa": {"now": 1, "candidate": 0, "change": -1},
                             "sql": {"now": 0, "candidate": 1, "change": 1}}
    assert out["matrix"] == {"target": {"target": 1}, "engaged": {"engaged": 1}, "mqa": {"sql": 1}}
    assert out["segments"] == {
        "enterprise": {"accounts": 1, "mqa_now": 0, "mqa_candidate": 0, "sql_now": 0, "sql_candidate": 0},
        "mid_market": {"accounts": 1, "mqa_now": 1, "mqa_candidate": 0, "sql_now": 0, "sql_candidate": 1},
        "smb": {"accounts": 1, "mqa_now": 0, "mqa_candidate": 0, "sql_now": 0, "sql_candidate": 0}}
    assert out["moves_total"] == 1 and out["moves_because_of_candidate"] == 1 and not out["moves_truncated"]
    move = out["moves"][0]
    assert (move["account_id"], move["from"], move["to"], move["current_rules"]) == ("acme", "mqa", "sql", "mqa")
    # The one check whose verdict the candidate changes: intent, 40 days old, bar 60 (was 30).
    assert [d["check"] for d in move["deciding"]] == ["intent"]
    intent = move["deciding"][0]
    assert intent["passed"] is True and intent["value"] == 40.0 and intent["threshold"] == 60.0
    assert intent["current"] == {"passed": False, "value": 40.0, "threshold": 30.0}
    assert "quote_request" in intent["detail"] and move["reason"].startswith("Promoted mqa -> sql")

    # A real activation afterwards does exactly what the simulation said.
    r = client.put("/v1/rules", content=CANDIDATE, headers={"Content-Type": "application/toml"})
    assert r.status_code == 200, r.text
    assert [(c["account_id"], c["from"], c["to"]) for c in r.json()["changes"]] == [("acme", "mqa", "sql")]
    after = {a: client.get(f"/v1/accounts/{a}").json()["stage"] for a in ("acme", "beta", "gamma")}
    predicted = {**stored, **{m["account_id"]: m["to"] for m in out["moves"]}}
    assert after == predicted
    # And simulating the now-active ruleset moves nothing.
    again = simulate(client, CANDIDATE).json()
    assert again["moves_total"] == 0 and again["current_version"] == again["candidate_version"]


def test_dry_run_is_simulate_and_activates_nothing(client, store):
    build(client)
    version = client.get("/v1/rules").json()["version"]
    before = fingerprint(store)
    r = client.put("/v1/rules", content=CANDIDATE, params={"dry_run": "true"},
                   headers={"Content-Type": "application/toml"})
    assert r.status_code == 200, r.text
    assert r.json() == simulate(client, CANDIDATE).json()
    assert fingerprint(store) == before and client.get("/v1/rules").json()["version"] == version


def test_a_past_as_of_starts_from_the_stage_the_account_had_then(client, store):
    build(client)  # acme became an MQA at NOW (ingest requalifies at the clock's now)
    # A day earlier acme had no recorded stage change yet: it starts from target, and under the
    # candidate the activities up to then already make it an SQL.
    out = simulate(client, CANDIDATE, as_of=iso(NOW - DAY)).json()
    assert out["as_of"] == NOW - DAY
    move = next(m for m in out["moves"] if m["account_id"] == "acme")
    assert (move["from"], move["to"], move["current_rules"]) == ("target", "sql", "mqa")
    assert [d["check"] for d in move["deciding"]] == ["intent"]


def test_a_demotion_names_the_failing_check(client, store, clock):
    build(client)
    clock.advance(30 * DAY)  # past the 14-day hold: acme's MQA no longer has to be kept
    strict = DEFAULT.replace("min_engaged_contacts = 2", "min_engaged_contacts = 9")
    assert strict != DEFAULT
    out = simulate(client, strict).json()
    acme = next(m for m in out["moves"] if m["account_id"] == "acme")
    assert acme["from"] == "mqa" and acme["to"] in ("engaged", "target")
    names = [d["check"] for d in acme["deciding"]]
    assert "engaged_contacts" in names and all(not d["passed"] for d in acme["deciding"])


def test_an_invalid_candidate_is_a_422_naming_each_path(client, store):
    bad = DEFAULT.replace("intent_window_days = 30.0", "intent_window_days = -1.0").replace(
        "min_score = 90.0", 'min_score = "high"')
    r = simulate(client, bad)
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"
    paths = {d["path"] for d in r.json()["details"]}
    assert {"sql.intent_window_days", "mqa.min_score"} <= paths
    assert simulate(client, "not = [toml").status_code == 422


def test_sales_may_not_simulate(client, store, settings):
    from graphsvc.auth import KeyStore

    keys = KeyStore.for_settings(settings)
    _, sales = keys.create(["sales"], label="t")
    _, analyst = keys.create(["analyst"], label="t")
    r = client.post("/v1/rules/simulate", content=DEFAULT, headers={"Authorization": f"Bearer {sales}"})
    assert r.status_code == 403
    r = client.post("/v1/rules/simulate", content=DEFAULT, headers={"Authorization": f"Bearer {analyst}"})
    assert r.status_code == 200, r.text


def test_cli_simulate_and_diff(client, cli_store, tmp_path):
    build(client)
    cand = tmp_path / "candidate.toml"
    cand.write_text(CANDIDATE)
    moves = tmp_path / "moves.jsonl"
    before = fingerprint(cli_store)
    at = ["--as-of", iso(NOW)]  # the CLI's now is the wall clock: the test data is of the test clock's day
    r = CliRunner().invoke(main, ["rules", "simulate", str(cand), *at, "--format", "json", "--moves-file", str(moves)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["stages"]["sql"] == {"now": 0, "candidate": 1, "change": 1}
    assert [json.loads(line)["account_id"] for line in moves.read_text().splitlines()] == ["acme"]
    assert fingerprint(cli_store) == before
    text = CliRunner().invoke(main, ["rules", "simulate", str(cand), *at])
    assert text.exit_code == 0 and "acme mqa -> sql: intent: latest intent quote_request" in text.stdout

    r = CliRunner().invoke(main, ["rules", "diff", "default", str(cand)])
    assert r.exit_code == 0 and "The intent window is longer: 30 -> 60 days" in r.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT.replace("intent_window_days = 30.0", "intent_window_days = -1.0"))
    r = CliRunner().invoke(main, ["rules", "simulate", str(bad)])
    assert r.exit_code == 1 and "sql.intent_window_days" in r.stderr
