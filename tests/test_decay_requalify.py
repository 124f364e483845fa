"""Issue 10: decay-driven requalification on the real store, both engines. Each outcome is stored
with `requalify_at` (rules/decay.py); the periodic requalifier requalifies only the accounts whose
requalify_at has come, not before, and what it decides is what a full pass would."""

from __future__ import annotations

from datetime import datetime

from test_qualification_api import DAY, engineer_engagement, post, setup_account

from graphsvc.qualification.registry import active_ruleset
from graphsvc.qualification.service import QualificationService


def _epoch(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def _service(client) -> QualificationService:
    state = client.app.state.graphsvc
    return QualificationService(state.store, active_ruleset(state))


def _account(client) -> dict:
    return client.get("/v1/accounts/acme").json()


def test_an_mqa_decays_when_its_time_comes_not_before(client, clock):
    setup_account(client)
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])
    assert _account(client)["stage"] == "mqa"
    body = client.get("/v1/accounts/acme/readiness").json()
    due = _epoch(body["requalify_at"])
    assert due > clock.now
    requalifier = client.app.state.requalifier

    # One second before: nothing is due, the periodic pass reads nothing, and a full pass at that
    # moment would change nothing either.
    clock.now = due - 1
    assert _service(client).due_accounts(clock.now) == []
    assert requalifier.run_once()["accounts"] == 0
    assert _service(client).requalify_all(clock.now)["changed"] == 0
    assert _account(client)["stage"] == "mqa"

    # At requalify_at the MQA bar fails: requalified, held (the hold counts from the moment the bar
    # was last known to pass, not from the last evaluation, days ago).
    clock.now = due
    assert _service(client).due_accounts(clock.now) == ["acme"]
    out = requalifier.run_once()
    assert (out["accounts"], out["changed"]) == (1, 0)
    held = client.get("/v1/accounts/acme/readiness").json()
    assert held["stage"] == "mqa" and held["held"] and not held["mqa"]["passed"]
    hold_end = _epoch(held["requalify_at"])
    assert abs(hold_end - (due + 14 * DAY)) <= 2
    assert requalifier.run_once()["accounts"] == 0  # done until the hold ends

    clock.now = hold_end - 1
    assert requalifier.run_once()["accounts"] == 0 and _account(client)["stage"] == "mqa"

    # The hold ends: the stage drops, recorded like any rules change; a full pass at the same
    # moment agrees (changes nothing more).
    clock.now = hold_end
    out = requalifier.run_once()
    assert (out["accounts"], out["changed"]) == (1, 1)
    assert _account(client)["stage"] == "engaged"
    last = client.get("/v1/accounts/acme/history").json()[-1]
    assert (last["from"], last["to"]) == ("mqa", "engaged") and last["actor"].startswith("rules@")
    assert _service(client).requalify_all(clock.now)["changed"] == 0


def test_the_full_pass_is_still_available(client, clock):
    """requalify_full_pass: the periodic pass requalifies every account, due or not."""
    setup_account(client)
    post(client, [r for c in ("e1", "e2", "e3") for r in engineer_engagement(c)])
    requalifier = client.app.state.requalifier
    assert requalifier.run_once()["accounts"] == 0
    requalifier.full_pass = True
    assert requalifier.run_once()["accounts"] == 1


def test_new_activity_moves_requalify_at_with_the_outcome(client, clock):
    """Ingest requalifies the account it touches: requalify_at is written with that outcome."""
    setup_account(client)
    post(client, [r for c in ("e1", "e2") for r in engineer_engagement(c)])
    assert _account(client)["stage"] == "engaged"  # due when its engagement falls below 0.5: months
    first = _epoch(client.get("/v1/accounts/acme/readiness").json()["requalify_at"])
    assert first > clock.now + 100 * DAY
    assert _service(client).due_accounts(first - 1) == [] and _service(client).due_accounts(first) == ["acme"]
    post(client, engineer_engagement("e3"))  # an MQA now: due when its score falls below 90, days away
    assert _account(client)["stage"] == "mqa"
    second = _epoch(client.get("/v1/accounts/acme/readiness").json()["requalify_at"])
    assert clock.now < second < first
    assert _service(client).due_accounts(second - 1) == [] and _service(client).due_accounts(second) == ["acme"]
