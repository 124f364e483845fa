"""`graphsvc rules calibrate` over the real store (both engines): snapshots read from the graph, an
outcomes CSV or the recorded won/lost transitions, a candidate written, nothing written to the graph."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import NOW, iso
from test_lab_simulate import fingerprint

from graphsvc.cli import main
from graphsvc.lab import outcomes
from graphsvc.rules import load_ruleset

DAY = 86400.0
N = 60


def build(client) -> str:
    """60 one-contact accounts; the even ones asked for a quote. Won: 24 of the 30 quoters, 6 of the
    others. Returns the outcomes CSV."""
    accounts = [{"id": f"a{i}", "name": f"A{i}", "domain": f"a{i}.example", "segment": "smb"} for i in range(N)]
    assert client.post("/v1/accounts", json={"accounts": accounts}).status_code == 200
    contacts = [{"id": f"c{i}", "email": f"c{i}@a{i}.example", "seniority": "manager", "department": "engineering"}
                for i in range(N)]
    assert client.post("/v1/contacts", json={"contacts": contacts}).status_code == 200
    acts = [{"id": f"pv{i}", "contact_id": f"c{i}", "type": "page_view", "at": iso(NOW - (i % 7) * DAY)}
            for i in range(N)]
    acts += [{"id": f"q{i}", "contact_id": f"c{i}", "type": "quote_request", "at": iso(NOW - (i % 5 + 1) * DAY)}
             for i in range(0, N, 2)]
    r = client.post("/v1/activities", json={"activities": acts})
    assert r.status_code == 200, r.text
    lines = ["account_id,outcome"]
    for i in range(N):
        quoter = i % 2 == 0
        won = (i // 2) % 5 != 0 if quoter else (i // 2) % 5 == 0
        lines.append(f"a{i},{'won' if won else 'lost'}")
    return "\n".join(lines) + "\n"


def test_calibrate_from_the_graph_writes_a_candidate_and_nothing_else(client, cli_store, tmp_path):
    csv_path = tmp_path / "outcomes.csv"
    csv_path.write_text(build(client))
    before = fingerprint(cli_store)
    out, report = tmp_path / "candidate.toml", tmp_path / "report.json"
    r = CliRunner().invoke(main, ["rules", "calibrate", "--outcomes", str(csv_path), "--as-of", iso(NOW),
                                  "--out", str(out), "--report", str(report), "--folds", "3", "--rounds", "10"])
    assert r.exit_code == 0, r.output
    assert fingerprint(cli_store) == before  # nothing written to the graph, nothing activated
    assert client.get("/v1/rules").json()["default"] is True
    data = json.loads(report.read_text())
    assert (data["accounts"], data["won"], data["lost"]) == (N, 30, 30)
    points = {p["path"]: p for p in data["points"]}
    quote = points["activities.points.quote_request"]
    # quote requesters win 80 % vs 20 %: odds x16, about 40 points (shrunk a little by the regularisation)
    assert 20 <= quote["value"] <= 45 and quote["low"] <= quote["value"] <= quote["high"]
    cand = load_ruleset(out.read_text())
    assert cand.activities.points["quote_request"] == quote["value"] and cand.name == "calibrated"
    assert data["cv"]["candidate"]["auc"] > 0.7
    assert "candidate ruleset" in r.stdout and "NOT activated" in r.stdout


def test_bad_outcome_rows_are_named_and_nothing_is_written(client, cli_store, tmp_path):
    csv_path = tmp_path / "outcomes.csv"
    csv_path.write_text("account_id,outcome\na1,won\na2,maybe\n,lost\n")
    out = tmp_path / "candidate.toml"
    r = CliRunner().invoke(main, ["rules", "calibrate", "--outcomes", str(csv_path), "--out", str(out)])
    assert r.exit_code == 1 and not out.exists()
    # every bad row named by its line in the file, with the field
    assert "2 bad row(s)" in r.stderr and "row 3 outcome: 'maybe'" in r.stderr and "row 4 account_id: empty" in r.stderr
    csv_path.write_text("account_id,outcome\nnope,won\n")
    r = CliRunner().invoke(main, ["rules", "calibrate", "--outcomes", str(csv_path), "--out", str(out)])
    assert r.exit_code == 1 and "no account 'nope'" in r.stderr


def test_recorded_outcomes_are_each_accounts_newest_won_or_lost(client, store):
    build(client)
    for i, steps in ((0, ["won"]), (1, ["lost"]), (2, ["won", "lost"])):
        stage = client.get(f"/v1/accounts/a{i}").json()["stage"]
        for n, to in enumerate(steps):
            assert store.write("qualification/transition", id=f"a{i}", to=to, at=NOW + n, actor="t", action=to,
                               reason=None, change_id=f"x{i}-{n}", **{"from": stage})
            stage = to
    assert outcomes.recorded(store) == {"a0": 1, "a1": 0, "a2": 0}


def test_outcomes_csv_parsing():
    assert outcomes.parse_csv("\ufeffAccount_ID,Outcome\na,Won\nb,0\nc,yes\n") == {"a": 1, "b": 0, "c": 1}
