"""The predictive score: the pure model (probability, factors in words, cold start), then fitted with
`graphsvc rules fit-score` and shown by readiness and the board on both engines."""

from __future__ import annotations

import math

from click.testing import CliRunner
from test_lab_calibrate import AS_OF, world
from test_lab_calibrate_store import build

from graphsvc.cli import main
from graphsvc.lab import predict
from graphsvc.lab.features import row_of
from graphsvc.rules import AccountSnapshot, default_ruleset


def test_probability_and_factors_in_words():
    base = default_ruleset()
    snaps, won = world(3000, seed=2)
    model = predict.fit([row_of(s, w, base) for s, w in zip(snaps, won)], fitted_at=AS_OF, min_outcomes=50)
    assert model.ready and model.outcomes == 3000 and model.won == sum(won)
    again = predict.ScoreModel.from_json(model.to_json())
    # the account with the most quote requests in the world scores high, and says why
    best = max(snaps, key=lambda s: sum(st.decay_weight for st in s.contacts[0].stats if st.type == "quote_request"))
    p = predict.predict(again, best, base)
    assert p["probability"] > 0.5 and p["message"] is None
    assert p["factors"][0]["factor"] == "quote_request activity"
    assert p["factors"][0]["text"].startswith("more quote_request activity than the average account raises the odds x")
    assert math.isclose(float(p["factors"][0]["text"].rsplit("x", 1)[1]), math.exp(p["factors"][0]["log_odds"]),
                        abs_tol=0.06)
    # an account with no engagement: below the base rate, and lack of quotes is what lowers it
    empty = predict.predict(again, AccountSnapshot(id="x"), base)
    assert empty["probability"] < sum(won) / len(won)
    assert all(f["log_odds"] < 0 for f in empty["factors"][:1])


def test_cold_start_says_so_instead_of_guessing():
    base = default_ruleset()
    snaps, won = world(30, seed=2)
    model = predict.fit([row_of(s, w, base) for s, w in zip(snaps, won)], fitted_at=AS_OF, min_outcomes=50)
    assert not model.ready
    p = predict.predict(model, snaps[0], base)
    assert p["probability"] is None and p["factors"] == []
    assert p["message"].startswith(f"Not enough outcomes to score: 30 won or lost account(s) ({sum(won)} won)")
    assert "at least 50" in p["message"]
    none = predict.predict(None, snaps[0], base)
    assert none["probability"] is None and "graphsvc rules fit-score" in none["message"]


def test_readiness_and_board_show_the_score(client, cli_store, tmp_path):
    csv_path = tmp_path / "outcomes.csv"
    csv_path.write_text(build(client))
    before = client.get("/v1/accounts/a0/readiness").json()["prediction"]
    assert before["probability"] is None and "No score model" in before["message"]
    board = client.get("/v1/accounts", params={"limit": 5}).json()
    assert all(i["prediction"] is None for i in board["items"]) and "No score model" in board["prediction_note"]

    r = CliRunner().invoke(main, ["rules", "fit-score", "--outcomes", str(csv_path), "--min-outcomes", "1000"])
    assert r.exit_code == 0 and "no score" in r.stdout
    cold = client.get("/v1/accounts/a0/readiness").json()["prediction"]
    assert cold["probability"] is None and "a score needs at least 1000" in cold["message"]

    r = CliRunner().invoke(main, ["rules", "fit-score", "--outcomes", str(csv_path), "--min-outcomes", "20"])
    assert r.exit_code == 0 and "fitted on 60 outcomes (30 won)" in r.stdout, r.output
    quoter = client.get("/v1/accounts/a0/readiness").json()["prediction"]
    other = client.get("/v1/accounts/a1/readiness").json()["prediction"]
    assert quoter["probability"] > 0.5 > other["probability"] and quoter["outcomes"] == 60
    assert quoter["fitted_at"].endswith("Z")  # ISO-8601, as every time the API answers
    assert quoter["factors"][0]["factor"] == "quote_request activity"
    assert other["factors"][0]["text"].startswith("less quote_request activity than the average account lowers")
    board = client.get("/v1/accounts", params={"limit": 60}).json()
    assert board["prediction_note"] is None
    by_id = {i["id"]: i["prediction"] for i in board["items"]}
    assert by_id["a0"]["probability"] == quoter["probability"] and by_id["a0"]["top_factor"]
