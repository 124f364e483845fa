"""The predictive score as "won within the horizon": training examples are (account, as_of) pairs
over the history. Pure: labels and sample times. Both engines: a small hand-built history, the exact
examples, a fitted model readiness shows with its horizon, and the cold start unchanged."""

from __future__ import annotations

from conftest import NOW, iso

from graphsvc.lab import horizon, service
from graphsvc.lab.backtest import Outcome
from graphsvc.qualification.registry import active_ruleset_for

DAY = 86_400.0
N = 40
H = 60 * DAY
STEP = 15 * DAY


def test_labels_and_sample_times():
    won, lost = Outcome(True, 100 * DAY), Outcome(False, 100 * DAY)
    assert horizon.label(None, 0.0, H) == 0
    assert horizon.label(won, 50 * DAY, H) == 1 and horizon.label(won, 40 * DAY, H) == 1
    assert horizon.label(won, 39 * DAY, H) == 0  # won, but after the horizon
    assert horizon.label(won, 100 * DAY, H) is None and horizon.label(lost, 120 * DAY, H) is None  # decided
    assert horizon.label(lost, 50 * DAY, H) == 0
    times = horizon.sample_times({"a": won, "b": Outcome(False, 130 * DAY)}, now=200 * DAY, horizon_s=H, step_s=STEP)
    assert times[0] >= 40 * DAY - 1e-6 and times[-1] == 140 * DAY and len(times) == 7
    assert all(abs(b - a - STEP) < 1e-6 for a, b in zip(times, times[1:]))
    assert horizon.sample_times({}, now=200 * DAY, horizon_s=H, step_s=STEP) == []
    assert horizon.sample_times({"a": won}, now=120 * DAY, horizon_s=H, step_s=STEP) == [45 * DAY, 60 * DAY]


def history(client) -> dict[str, Outcome]:
    """N one-contact accounts with a page view every 20 days over 200 days. The even ones ask for a
    quote (day -160 + 5*(i % 10)) and are won 20 days later; odd ones with i % 4 == 1 are lost on day
    -90, the others have no outcome."""
    accounts = [{"id": f"h{i}", "name": f"H{i}", "domain": f"h{i}.example", "segment": "smb"} for i in range(N)]
    assert client.post("/v1/accounts", json={"accounts": accounts}).status_code == 200
    contacts = [{"id": f"hc{i}", "email": f"hc{i}@h{i}.example", "seniority": "manager", "department": "engineering"}
                for i in range(N)]
    assert client.post("/v1/contacts", json={"contacts": contacts}).status_code == 200
    acts = [{"id": f"hp{i}-{d}", "contact_id": f"hc{i}", "type": "page_view", "at": iso(NOW - d * DAY)}
            for i in range(N) for d in range(10, 201, 20)]
    outcomes = {}
    for i in range(0, N, 2):
        quote = NOW - (160 - 5 * (i % 10)) * DAY
        acts.append({"id": f"hq{i}", "contact_id": f"hc{i}", "type": "quote_request", "at": iso(quote)})
        outcomes[f"h{i}"] = Outcome(True, quote + 20 * DAY)
    for i in range(1, N, 4):
        outcomes[f"h{i}"] = Outcome(False, NOW - 90 * DAY)
    r = client.post("/v1/activities", json={"activities": acts})
    assert r.status_code == 200, r.text
    return outcomes


def test_the_score_is_fitted_on_account_date_pairs_won_within_the_horizon(client, store):
    outcomes = history(client)
    rs = active_ruleset_for(store)
    times = horizon.sample_times(outcomes, now=NOW, horizon_s=H, step_s=STEP)
    labels = [horizon.label(outcomes.get(f"h{i}"), t, H) for t in times for i in range(N)]
    kept = [y for y in labels if y is not None]
    model = service.fit_score(store, rs, outcomes, now=NOW, min_outcomes=20, horizon_s=H, step_s=STEP)
    assert model.ready and model.horizon_days == 60.0
    assert (model.outcomes, model.won) == (30, 20)
    assert (model.examples, model.positives) == (len(kept), sum(kept)) and model.examples > model.outcomes
    assert model.coef[model.types.index("quote_request")] > 0

    ready = client.get("/v1/accounts/h0/readiness").json()["prediction"]
    other = client.get("/v1/accounts/h3/readiness").json()["prediction"]
    assert ready["horizon_days"] == 60.0 and ready["message"] is None
    assert 0.0 <= other["probability"] <= 1.0 and ready["probability"] != other["probability"]

    cold = service.fit_score(store, rs, outcomes, now=NOW, min_outcomes=31, horizon_s=H, step_s=STEP)
    assert not cold.ready
    msg = client.get("/v1/accounts/h0/readiness").json()["prediction"]
    assert msg["probability"] is None and "30 won or lost account(s) (20 won)" in msg["message"]
    assert "at least 31" in msg["message"]
