"""`graphsvc rules backtest` over a small recorded history on both engines: exact numbers for two
rulesets side by side, the chart file, nothing written."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import NOW, iso
from test_lab_simulate import fingerprint

from graphsvc.cli import main
from graphsvc.rules import default_ruleset_text

D = 86400.0
T0 = NOW - 60 * D  # day 0 of the history; the test clock's now is day 60
STRICT = default_ruleset_text().replace("min_score = 90.0", "min_score = 500.0")  # nobody is ever an MQA
BUNDLE = ["webinar_attended", "content_download", "content_download", "capability_page_view",
          "capability_page_view", "capability_page_view"]


def day(d: float) -> str:
    return iso(T0 + d * D)


def build(client, clock) -> None:
    """acme: three engineers engage every 10 days, e1 asks for a quote on day 45, `boss` engages on day
    44 and is imported as decision maker on day 50. beta and gamma: no engagement."""
    clock.now = T0 + 50 * D
    r = client.post("/v1/accounts", json={"accounts": [
        {"id": "acme", "name": "Acme", "domain": "acme.example", "industry": "industrial automation",
         "employees": 400, "annual_revenue": 8e7, "country": "DE", "segment": "mid_market"},
        {"id": "beta", "name": "Beta", "domain": "beta.example"}, {"id": "gamma", "name": "Gamma"}]})
    assert r.status_code == 200, r.text
    people = [{"id": c, "email": f"{c}@acme.example", "title": "Process Engineer", "seniority": "individual",
               "department": "engineering"} for c in ("e1", "e2", "e3")]
    people.append({"id": "boss", "email": "boss@acme.example", "title": "Coordinator", "seniority": "individual",
                   "department": "operations", "roles": [{"role": "decision_maker"}]})  # known from day 50
    assert client.post("/v1/contacts", json={"contacts": people}).status_code == 200

    def acts(days):
        rows = [{"id": f"{c}-{d}-{i}", "contact_id": c, "type": t, "at": day(d)}
                for c in ("e1", "e2", "e3") for d in days for i, t in enumerate(BUNDLE)]
        return rows

    early = acts(range(0, 51, 10)) + [{"id": "q", "contact_id": "e1", "type": "quote_request", "at": day(45)},
                                      {"id": "b1", "contact_id": "boss", "type": "webinar_attended", "at": day(44)},
                                      {"id": "b2", "contact_id": "boss", "type": "pricing_page_view", "at": day(44)}]
    assert client.post("/v1/activities", json={"activities": early}).status_code == 200
    clock.now = NOW
    assert client.post("/v1/activities", json={"activities": acts([60])}).status_code == 200


def test_backtest_two_rulesets_side_by_side(client, cli_store, clock, tmp_path):
    build(client, clock)
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(f"account_id,outcome,at\nacme,won,{day(58)}\nbeta,won,{day(30)}\ngamma,lost,{day(40)}\n")
    strict = tmp_path / "strict.toml"
    strict.write_text(STRICT)
    chart = tmp_path / "backtest.png"
    before = fingerprint(cli_store)
    r = CliRunner().invoke(main, ["rules", "backtest", "default", "--against", str(strict), "--from", day(0),
                                  "--to", day(60), "--step", "5d", "--horizon", "30d", "--outcomes", str(outcomes),
                                  "--chart", str(chart), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert fingerprint(cli_store) == before
    default, strict_result = json.loads(r.stdout)
    assert default["ruleset"] == "default"
    assert {k: v for k, v in default.items() if k not in ("ruleset", "version")} == {
        "accounts": 3, "won_in_period": 2, "base_rate": 0.6667, "mqa_accounts": 1, "sql_accounts": 1,
        "sql_won_within_horizon": 1, "sql_precision": 1.0, "sql_recall": 0.5, "lift": 1.5, "mqa_to_sql": 1.0,
        "sql_to_won": 1.0, "median_days_mqa_to_won": 58.0, "median_days_sql_to_won": 8.0,
        "leakage": 1, "leakage_share": 0.5, "inflation": 0, "inflation_share": 0.0}
    assert (strict_result["mqa_accounts"], strict_result["sql_accounts"], strict_result["sql_precision"],
            strict_result["sql_recall"], strict_result["leakage"], strict_result["leakage_share"]) == (
        0, 0, None, 0.0, 2, 1.0)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    text = CliRunner().invoke(main, ["rules", "backtest", "default", "--from", day(0), "--to", day(60),
                                     "--step", "10d", "--outcomes", str(outcomes)])
    assert text.exit_code == 0, text.output
    assert "SQL precision" in text.stdout and "leakage (won, never MQA)" in text.stdout


def test_backtest_errors_are_named(client, cli_store, clock, tmp_path):
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("account_id,outcome,at\nacme,won,yesterday\n")
    r = CliRunner().invoke(main, ["rules", "backtest", "default", "--from", day(0), "--to", day(60),
                                  "--outcomes", str(outcomes)])
    assert r.exit_code == 1 and "row 2 at: 'yesterday' is not ISO-8601" in r.stderr
    outcomes.write_text("account_id,outcome,at\n")
    r = CliRunner().invoke(main, ["rules", "backtest", "default", "--from", day(60), "--to", day(0),
                                  "--outcomes", str(outcomes)])
    assert r.exit_code == 1 and "from: must be before `to`" in r.stderr
    r = CliRunner().invoke(main, ["rules", "backtest", "default", "--from", day(0), "--to", day(60), "--step", "soon"])
    assert r.exit_code == 2 and "expected a number and a unit" in r.stderr


def test_backtest_over_http(client, store, clock):
    build(client, clock)
    body = {"rulesets": ["default", STRICT], "from": day(0), "to": day(60), "step_days": 5, "horizon_days": 30,
            "outcomes": [{"account_id": "acme", "outcome": "won", "at": day(58)},
                         {"account_id": "beta", "outcome": "won", "at": day(30)},
                         {"account_id": "gamma", "outcome": "lost", "at": day(40)}]}
    before = fingerprint(store)
    r = client.post("/v1/rules/backtest", json=body)
    assert r.status_code == 200, r.text
    default, strict = r.json()
    assert (default["sql_precision"], default["sql_recall"], default["lift"], default["leakage"]) == (1.0, 0.5, 1.5, 1)
    assert (strict["sql_accounts"], strict["leakage"]) == (0, 2)
    assert fingerprint(store) == before
    # no outcomes given and none recorded: every share that needs one is empty, nothing fails
    r = client.post("/v1/rules/backtest", json={**body, "outcomes": None, "rulesets": ["active"]})
    assert r.status_code == 200 and r.json()[0]["won_in_period"] == 0 and r.json()[0]["sql_recall"] is None

    r = client.post("/v1/rules/backtest", json={**body, "from": day(60), "to": day(0)})
    assert r.status_code == 422 and r.json()["details"] == [{"field": "from", "message": "must be before `to`"}]
    r = client.post("/v1/rules/backtest", json={**body, "rulesets": ["default", "not = [toml"]})
    assert r.status_code == 422 and r.json()["message"].startswith("rulesets[1] is invalid")
    r = client.post("/v1/rules/backtest", json={**body, "outcomes": [{"account_id": "acme", "outcome": "maybe",
                                                                      "at": day(1)}]})
    assert r.status_code == 422
